package org.kinto4j.examples.email;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Sends {@link EventMail}s over SMTP with Jakarta Mail, one connection per mail (as the
 * tutorial does). Thread-safe: the {@link Session} is shared, each send has its own transport.
 */
final class SmtpMailer {

    private final EmailSettings settings;
    private final Session session;

    SmtpMailer(EmailSettings settings) {
        this.settings = settings;
        this.session = BundledMailClassLoader.run(() -> Session.getInstance(sessionProperties(settings)));
    }

    /**
     * Sends the mail to every recipient.
     *
     * @throws MailNotSentException naming the subject, the server and the SMTP error (never the password)
     */
    void send(EventMail mail) throws MailNotSentException {
        try {
            BundledMailClassLoader.run(() -> {
                MimeMessage message = toMessage(mail);
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect(settings.server().host(), settings.server().port(),
                            settings.username().orElse(null), settings.username().isPresent() ? settings.password() : null);
                    transport.sendMessage(message, message.getAllRecipients());
                }
                return message;
            });
        } catch (MessagingException e) {
            throw new MailNotSentException(mail, settings, e);
        }
    }

    private MimeMessage toMessage(EventMail mail) throws MessagingException {
        MimeMessage message = new MimeMessageWithId(session, mail.messageId());
        message.setFrom(settings.from());
        message.setRecipients(Message.RecipientType.TO, settings.recipients().toArray(InternetAddress[]::new));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setText(mail.body(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        return message;
    }

    /** A message whose Message-ID is chosen by us instead of generated at random when sent. */
    private static final class MimeMessageWithId extends MimeMessage {
        private final String messageId;

        MimeMessageWithId(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    private static Properties sessionProperties(EmailSettings settings) {
        String timeoutMillis = Long.toString(settings.timeout().toMillis());
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", settings.server().host());
        properties.setProperty("mail.smtp.port", Integer.toString(settings.server().port()));
        properties.setProperty("mail.smtp.connectiontimeout", timeoutMillis);
        properties.setProperty("mail.smtp.timeout", timeoutMillis);
        properties.setProperty("mail.smtp.writetimeout", timeoutMillis);
        properties.setProperty("mail.smtp.auth", Boolean.toString(settings.username().isPresent()));
        properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(settings.tls()));
        properties.setProperty("mail.smtp.starttls.required", Boolean.toString(settings.tls()));
        return properties;
    }
}
