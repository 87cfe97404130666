package org.kinto4j.builtin.redis.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/**
 * A record-creation event whose {@link #json()} is written by hand, as Kinto would serialise
 * the payload. Test-only.
 */
public record FakeResourceEvent(String id, long timestamp, String recordId) implements ResourceEvent {

    private static final AtomicLong SEQUENCE = new AtomicLong(1_700_000_000_000L);

    /** A new event for record {@code recordId} with a fresh id and timestamp. */
    public static FakeResourceEvent recordCreated(String recordId) {
        long n = SEQUENCE.incrementAndGet();
        return new FakeResourceEvent("event-" + n, n, recordId);
    }

    @Override
    public Action action() {
        return Action.CREATE;
    }

    @Override
    public String resourceName() {
        return "record";
    }

    @Override
    public Optional<String> userId() {
        return Optional.of("basicauth:0123abcd");
    }

    @Override
    public Map<String, Object> payload() {
        return Map.of("timestamp", timestamp, "action", "create", "uri", uri(),
                "user_id", "basicauth:0123abcd", "resource_name", "record",
                "bucket_id", "b1", "collection_id", "c1", "record_id", recordId);
    }

    @Override
    public List<Map<String, Object>> impactedObjects() {
        return List.of(Map.of("new", Map.of("id", recordId, "last_modified", timestamp)));
    }

    @Override
    public String json() {
        return "{\"timestamp\": " + timestamp + ", \"action\": \"create\", \"uri\": \"" + uri()
                + "\", \"user_id\": \"basicauth:0123abcd\", \"resource_name\": \"record\","
                + " \"bucket_id\": \"b1\", \"collection_id\": \"c1\", \"record_id\": \""
                + recordId + "\"}";
    }

    @Override
    public ListenerStorage storage() {
        throw new IllegalStateException("storage() is only available to in_transaction listeners");
    }

    private String uri() {
        return "/buckets/b1/collections/c1/records/" + recordId;
    }
}
