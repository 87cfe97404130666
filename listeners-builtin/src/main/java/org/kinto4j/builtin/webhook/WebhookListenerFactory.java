package org.kinto4j.builtin.webhook;

import java.net.UnknownHostException;
import java.util.Set;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.SettingsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code webhook} listener: posts every event to a URL, signed as
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> specify.
 *
 * <pre>{@code
 * event_listeners {
 *   hook {
 *     use = webhook
 *     url = "https://hooks.example.com/kinto"
 *     secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"   # or secrets = [new, old] to rotate
 *     allow_private_networks = false   # true to deliver to loopback/private/link-local addresses
 *     connect_timeout = 5s
 *     timeout = 15s                    # how long the receiver may take to answer
 *     batch = false                    # true: post the due events together as a JSON array
 *   }
 * }
 * }</pre>
 *
 * <p>Headers: {@code webhook-id} (the event id, the same on every retry), {@code
 * webhook-timestamp} (this attempt, unix seconds), {@code webhook-signature} ({@code v1,<base64
 * HMAC-SHA256 of id.timestamp.body>}, one per secret, space-separated). Durable by default.
 * The start fails on a malformed URL, a host name that does not resolve, a host that resolves
 * to an internal address (unless {@code allow_private_networks}) and a missing or malformed
 * secret; a receiver that is down at start only delays delivery.
 */
public final class WebhookListenerFactory implements ListenerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookListenerFactory.class);

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("secret", "secrets");
    }

    @Override
    public Delivery defaultDelivery() {
        return Delivery.DURABLE;
    }

    @Override
    public Listener create(ListenerContext context) {
        String instance = context.name();
        WebhookSettings settings = WebhookSettings.read(instance, context.settings());
        String key = "event_listeners." + instance + ".url";
        try {
            new AddressGuard(settings.allowPrivate()).check(settings.url().getHost());
        } catch (UnknownHostException e) {
            throw new SettingsException(key, key + ": the host '" + settings.url().getHost()
                    + "' does not resolve (unreachable). Check the URL or the DNS");
        } catch (AddressGuard.RefusedAddressException e) {
            throw new SettingsException(key, key + ": " + e.getMessage());
        }
        LOG.info("webhook listener '{}' posts to {} ({}, batch {}, timeout {} ms{})", instance, settings.shownUrl(),
                settings.secrets(), settings.batch(), settings.timeout().toMillis(),
                settings.allowPrivate() ? ", private networks allowed" : "");
        return settings.batch() ? new BatchingWebhookListener(instance, settings)
                : new WebhookListener(instance, settings);
    }
}
