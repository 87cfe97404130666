package org.kinto4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;

/** kinto-emailer's tutorial with the built email-plugin.jar, mails caught by GreenMail. */
class EmailTutorialTest {

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(ServerProcess.freePort(), "127.0.0.1",
            ServerSetup.PROTOCOL_SMTP));

    @TempDir
    Path dir;

    @Test
    void creatingARecordSendsRecordCreatedToEveryRecipient() throws Exception {
        Examples.install(dir, "email/target/email-plugin.jar");
        int port = mail.getSmtp().getPort();
        try (TestServer s = TestServer.startIn(dir, "event_listeners {\n"
                + "  send_email {\n"
                + "    use = email\n"
                + "    actions = [create]\n"
                + "    resources = [record]\n"
                + "    server = \"127.0.0.1:" + port + "\"\n"
                + "    from = \"kinto@example.com\"\n"
                + "    recipients = [\"ops@example.com\", \"dev@example.com\"]\n"
                + "  }\n"
                + "}", Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            assertThat(s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"a\":1}}").status())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.getReceivedMessages().length == 2);
        }
        MimeMessage[] received = mail.getReceivedMessages();
        String alice = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();
        for (MimeMessage m : received) {
            assertThat(m.getSubject()).isEqualTo("record created");
            assertThat(GreenMailUtil.getBody(m).trim()).isEqualTo("User id: " + alice);
            assertThat(m.getFrom()[0].toString()).isEqualTo("kinto@example.com");
            assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                    .containsExactlyInAnyOrder("ops@example.com", "dev@example.com");
        }
    }

    @Test
    void aBadServerSettingStopsTheStartNamingTheKey() {
        Examples.install(dir, "email/target/email-plugin.jar");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners {\n"
                        + "  send_email { use = email, server = \"localhost\", from = \"a@b.c\", recipients = \"x@y.z\" }\n"
                        + "}", Map.of()))
                .hasMessageContaining("event_listeners.send_email.server")
                .hasMessageContaining("localhost");
    }
}
