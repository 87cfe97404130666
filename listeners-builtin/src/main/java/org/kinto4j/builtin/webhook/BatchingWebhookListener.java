package org.kinto4j.builtin.webhook;

import java.util.List;
import org.kinto4j.listener.ResourceEvent;

/**
 * A webhook with {@code batch = true}: durable delivery hands it the due events of a round
 * together ({@link org.kinto4j.listener.Listener#onEvents}) and it posts them as one JSON array.
 * A failed batch is retried event by event (each then posted alone), so receivers must accept
 * both an object and an array, and deduplicate on each event's {@code id}.
 */
final class BatchingWebhookListener extends WebhookListener {

    BatchingWebhookListener(String instance, WebhookSettings settings) {
        super(instance, settings);
    }

    @Override
    public void onEvents(List<ResourceEvent> events) throws Exception {
        if (events.size() == 1) {
            onEvent(events.get(0));
        } else {
            postAll(events);
        }
    }
}
