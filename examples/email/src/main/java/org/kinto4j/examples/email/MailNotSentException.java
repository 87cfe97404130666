package org.kinto4j.examples.email;

/** A mail could not be handed to the SMTP server. The message never contains the password. */
final class MailNotSentException extends Exception {

    MailNotSentException(EventMail mail, EmailSettings settings, Exception cause) {
        super("Could not send the '" + mail.subject() + "' mail to " + settings.recipients().size()
                + " recipient(s) through SMTP server " + settings.server()
                + (settings.tls() ? " (STARTTLS required)" : "")
                + settings.username().map(user -> " as user '" + user + "'").orElse("")
                + ": " + cause.getMessage()
                + ". Check that the server is reachable and the event_listeners settings server, tls,"
                + " username and password.", cause);
    }
}
