package org.kinto4j.builtin.redis;

import org.kinto4j.listener.ResourceEvent;

/**
 * The message pushed for an event: exactly Kinto's payload JSON plus an {@code id} field, the
 * event id, stable across redeliveries, so consumers can drop duplicates.
 */
final class RedisMessage {

    private RedisMessage() {
    }

    static String of(ResourceEvent event) {
        String payload = event.json().strip();
        String id = "\"id\":\"" + event.id().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        if (payload.equals("{}")) {
            return "{" + id + "}";
        }
        return "{" + id + "," + payload.substring(1);
    }
}
