package org.kinto4j.examples.email;

import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ResourceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends one {@link EventMail} per event. Thread-safe. */
final class EmailListener implements Listener {

    private static final Logger LOG = LoggerFactory.getLogger(EmailListener.class);

    private final String instanceName;
    private final SmtpMailer mailer;

    EmailListener(String instanceName, SmtpMailer mailer) {
        this.instanceName = instanceName;
        this.mailer = mailer;
    }

    @Override
    public void onEvent(ResourceEvent event) throws MailNotSentException {
        EventMail mail = EventMail.describe(instanceName, event);
        mailer.send(mail);
        LOG.debug("'{}' sent the '{}' mail for event {}", instanceName, mail.subject(), event.id());
    }
}
