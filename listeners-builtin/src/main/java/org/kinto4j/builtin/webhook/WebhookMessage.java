package org.kinto4j.builtin.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kinto4j.listener.ResourceEvent;

/**
 * The body a webhook posts. One event: a JSON object with the event {@code id} (also the
 * {@code webhook-id} header), then Kinto's payload ({@code timestamp, action, uri, user_id,
 * resource_name, bucket_id, ...}), then {@code impacted_objects} ({@code [{"new": ..., "old":
 * ...}]}). A batch ({@code batch = true}): a JSON array of such objects, oldest first, whose
 * {@code webhook-id} is {@code batch_} + a digest of the events' ids (the same events give the
 * same id).
 */
final class WebhookMessage {

    private WebhookMessage() {
    }

    static String body(ResourceEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", event.id());
        out.putAll(event.payload());
        out.put("impacted_objects", event.impactedObjects());
        return JsonText.write(out);
    }

    static String body(List<ResourceEvent> events) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < events.size(); i++) {
            out.append(i == 0 ? "" : ",").append(body(events.get(i)));
        }
        return out.append(']').toString();
    }

    static String batchId(List<ResourceEvent> events) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ResourceEvent e : events) {
                sha.update(e.id().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) ',');
            }
            return "batch_" + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
