package org.kinto4j.builtin.webhook;

/**
 * A webhook delivery failed: the receiver was unreachable, too slow, refused (an internal
 * address) or answered other than 2xx. The message names the instance, the event, the URL
 * (without its query) and what happened; in {@code durable} delivery the event is retried.
 */
public class WebhookDeliveryException extends Exception {

    WebhookDeliveryException(String message) {
        super(message);
    }

    WebhookDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
