package org.kinto4j.examples.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.testkit.TestEvent;
import org.kinto4j.testkit.TestListenerContext;

/** Sends real mails to a GreenMail SMTP server on a free port. */
class EmailListenerSmtpTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("kinto", "s3cret-password"));

    private static Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("server", "127.0.0.1:" + SMTP.getSmtp().getPort());
        settings.put("from", "kinto@example.com");
        settings.put("recipients", List.of("ops@example.com", "dev@example.com"));
        return settings;
    }

    private static Listener createListener(Map<String, Object> settings) {
        return new EmailListenerFactory().create(TestListenerContext.named("send_email").settings(settings));
    }

    @Test
    void eventArrivesAsOneMailWithSubjectSenderRecipientsAndBody() throws Exception {
        createListener(settings()).onEvent(
                TestEvent.of(Action.CREATE, "record").user("basicauth:alice").id("event-1").build());

        assertThat(SMTP.waitForIncomingEmail(5_000, 2)).isTrue();
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient mailbox
        MimeMessage mail = received[0];
        assertThat(mail.getSubject()).isEqualTo("record created");
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("kinto@example.com");
        assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("ops@example.com", "dev@example.com");
        assertThat(GreenMailUtil.getBody(mail).trim()).isEqualTo("User id: basicauth:alice");
        assertThat(mail.getMessageID()).isEqualTo("<event-1.send_email@kinto4j>");
        assertThat(inboxSize("ops@example.com")).isEqualTo(1);
        assertThat(inboxSize("dev@example.com")).isEqualTo(1);
    }

    private static int inboxSize(String address) throws Exception {
        return SMTP.getManagers().getImapHostManager()
                .getInbox(SMTP.getUserManager().getUserByEmail(address))
                .getMessageCount();
    }

    @Test
    void eachEventSendsItsOwnMail() throws Exception {
        Map<String, Object> settings = settings();
        settings.put("recipients", "ops@example.com");
        Listener listener = createListener(settings);

        listener.onEvent(TestEvent.of(Action.DELETE, "bucket").user("basicauth:alice").build());
        listener.onEvent(TestEvent.of(Action.UPDATE, "collection").user(null).build());

        assertThat(SMTP.waitForIncomingEmail(5_000, 2)).isTrue();
        assertThat(SMTP.getReceivedMessages())
                .extracting(mail -> mail.getSubject() + " / " + GreenMailUtil.getBody(mail).trim())
                .containsExactly("bucket deleted / User id: basicauth:alice", "collection updated / User id: None");
    }

    @Test
    void authenticatesWithUsernameAndPassword() throws Exception {
        Map<String, Object> settings = settings();
        settings.put("username", "kinto");
        settings.put("password", "s3cret-password");

        createListener(settings).onEvent(recordCreatedByAlice());

        assertThat(SMTP.waitForIncomingEmail(5_000, 2)).isTrue();
        assertThat(SMTP.getReceivedMessages()[0].getSubject()).isEqualTo("record created");
    }

    @Test
    void wrongPasswordFailsWithoutRevealingIt() {
        Map<String, Object> settings = settings();
        settings.put("username", "kinto");
        settings.put("password", "wrong-password");
        Listener listener = createListener(settings);

        assertThatThrownBy(() -> listener.onEvent(recordCreatedByAlice()))
                .isInstanceOf(MailNotSentException.class)
                .hasMessageContaining("'record created'")
                .hasMessageContaining("127.0.0.1:" + SMTP.getSmtp().getPort())
                .hasMessageContaining("as user 'kinto'")
                .hasMessageNotContaining("wrong-password");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void tlsRequiredRefusesToSendInClearTextToAServerWithoutStarttls() {
        Map<String, Object> settings = settings();
        settings.put("tls", true);
        Listener listener = createListener(settings);

        assertThatThrownBy(() -> listener.onEvent(recordCreatedByAlice()))
                .isInstanceOf(MailNotSentException.class)
                .hasMessageContaining("STARTTLS");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void unreachableServerFailsNamingIt() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> settings = settings();
        settings.put("server", "127.0.0.1:" + closedPort);
        Listener listener = createListener(settings);

        assertThatThrownBy(() -> listener.onEvent(recordCreatedByAlice()))
                .isInstanceOf(MailNotSentException.class)
                .hasMessageContaining("SMTP server 127.0.0.1:" + closedPort);
    }

    private static ResourceEvent recordCreatedByAlice() {
        return TestEvent.of(Action.CREATE, "record").user("basicauth:alice").build();
    }
}
