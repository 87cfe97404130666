package org.kinto4j.server.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.kinto4j.server.json.Json;

/**
 * One change of one record as the feed sends it: an SSE event whose {@code event:} is the
 * action, {@code id:} the record's {@code last_modified}, {@code data:} Kinto's event payload for
 * that record with the object ({@code data}: the record, or its tombstone on delete).
 */
public record FeedEvent(String bucketId, String collectionId, String recordId, long timestamp, String action,
        byte[] frame) {

    /** The collection's URI without {@code /v1}: {@code /buckets/b/collections/c}. */
    public String collectionUri() {
        return FeedEvent.collectionUri(bucketId, collectionId);
    }

    static String collectionUri(String bucketId, String collectionId) {
        return "/buckets/" + bucketId + "/collections/" + collectionId;
    }

    /** Builds the event of a stored record (or tombstone) of the collection {@code parentUri}. */
    static FeedEvent of(String parentUri, ObjectNode object, String action, String userId) {
        String[] parts = parentUri.split("/", -1);
        String bucketId = parts[2];
        String collectionId = parts[4];
        String recordId = object.path("id").asText();
        long timestamp = object.path("last_modified").asLong();
        ObjectNode payload = Json.object();
        payload.put("timestamp", timestamp);
        payload.put("action", action);
        payload.put("uri", parentUri + "/records/" + recordId);
        if (userId != null) {
            payload.put("user_id", userId);
        } else {
            payload.putNull("user_id");
        }
        payload.put("resource_name", "record");
        payload.put("bucket_id", bucketId);
        payload.put("collection_id", collectionId);
        payload.put("record_id", recordId);
        payload.set("data", object);
        String frame = "event: " + action + "\nid: " + timestamp + "\ndata: " + Json.write(payload) + "\n\n";
        return new FeedEvent(bucketId, collectionId, recordId, timestamp, action,
                frame.getBytes(StandardCharsets.UTF_8));
    }
}
