package org.kinto4j.examples.email;

import java.util.Set;

import org.kinto4j.listener.BuiltAgainst;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerApi;
import org.kinto4j.listener.ListenerFactory;

/**
 * Kinto's {@code kinto_email} tutorial as a kinto4j plugin: sends one plain-text mail per event,
 * subject {@code "<resource_name> <action>d"} ({@code record created}, {@code bucket deleted}),
 * body {@code User id: <user id>}.
 *
 * <p>Enable it with {@code use = email}:
 *
 * <pre>{@code
 * event_listeners {
 *   send_email {
 *     use = email
 *     actions = [create]
 *     resources = [record]
 *     server = "localhost:1025"          # host:port, required
 *     tls = false                        # STARTTLS, required when true (default false)
 *     username = "kinto"                 # optional: authenticate only when set
 *     password = "s3cret"                # required with username; masked in logs
 *     from = "kinto@example.com"         # required
 *     recipients = ["ops@example.com"]   # required: a list, or "a@x.org b@x.org"
 *     timeout = 10s                      # SMTP connect/read/write timeout (default 10s)
 *   }
 * }
 * }</pre>
 *
 * <p>Settings are validated when the instance is created, so a typo stops the server's start
 * with the full key, the bad value and the expected form (see {@link EmailSettings}).
 *
 * <p>The default delivery is {@link Delivery#DURABLE}: a mail is sent only for a change that
 * committed, from a background thread, and retried when the SMTP server is unreachable. Set
 * {@code delivery = in_transaction} for Kinto's exact behaviour (the request waits for the mail
 * and fails when it cannot be sent).
 */
@BuiltAgainst(ListenerApi.VERSION)
public final class EmailListenerFactory implements ListenerFactory {

    /** The name operators write in {@code use = ...}. */
    public static final String NAME = "email";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Listener create(ListenerContext context) {
        EmailSettings settings = EmailSettings.read(context.name(), context.settings());
        return new EmailListener(context.name(), new SmtpMailer(settings));
    }

    /** The SMTP password is a secret: the server masks it in logs and the operations endpoint. */
    @Override
    public Set<String> secretSettings() {
        return Set.of(EmailSettings.PASSWORD);
    }

    @Override
    public Delivery defaultDelivery() {
        return Delivery.DURABLE;
    }
}
