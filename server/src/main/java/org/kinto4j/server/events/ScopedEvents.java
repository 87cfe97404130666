package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kinto4j.server.config.ListenerScope;
import org.kinto4j.server.json.Json;

/**
 * Applies an instance's {@code buckets} / {@code collections} scope to an event before delivery
 * (and before a durable instance's outbox row is written). The bucket and collection come from
 * the event's parent ({@code /buckets/b/collections/c}) and, for bucket and collection events,
 * from each impacted object's id: a merged event about several buckets (a batch) keeps only the
 * objects in scope, its payload then describing the first of them.
 */
final class ScopedEvents {

    private ScopedEvents() {
    }

    /** The event as the instance should see it, or {@code null} when nothing of it is in scope. */
    static ChangeEvent select(ListenerScope scope, ChangeEvent event) {
        if (scope.isAll()) {
            return event;
        }
        String[] parent = event.parentId().split("/");
        String bucket = parent.length > 2 ? parent[2] : null;
        String collection = parent.length > 4 ? parent[4] : null;
        boolean perObject = event.resourceName().equals("bucket") || event.resourceName().equals("collection");
        if (!perObject) {
            return scope.matches(bucket, collection) ? event : null;
        }
        ArrayNode kept = Json.array();
        for (JsonNode entry : event.impacted()) {
            String id = objectId(entry);
            boolean in = event.resourceName().equals("bucket") ? scope.matches(id, null) : scope.matches(bucket, id);
            if (in) {
                kept.add(entry);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        if (kept.size() == event.impacted().size()) {
            return event;
        }
        ObjectNode payload = event.payload().deepCopy();
        String first = objectId(kept.get(0));
        if (event.resourceName().equals("bucket")) {
            payload.put("bucket_id", first);
            payload.put("uri", "/buckets/" + first);
        } else {
            payload.put("collection_id", first);
            payload.put("uri", event.parentId() + "/collections/" + first);
        }
        return new ChangeEvent(event.resourceName(), event.parentId(), event.action(), payload, kept);
    }

    private static String objectId(JsonNode entry) {
        JsonNode id = entry.path("new").path("id");
        return id.isTextual() ? id.textValue() : entry.path("old").path("id").asText(null);
    }
}
