package org.kinto4j.examples.tracker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.kinto4j.listener.Action;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/**
 * A {@link ResourceEvent} built by hand, whose storage is the test's in-memory storage; a
 * {@code null} storage behaves like the server outside {@code in_transaction} delivery.
 */
record TestEvent(Action action, String resourceName, Optional<String> userId,
                 List<Map<String, Object>> impactedObjects, ListenerStorage storage) implements ResourceEvent {

    @Override
    public ListenerStorage storage() {
        if (storage == null) {
            throw new IllegalStateException("storage() is only available to in_transaction listeners");
        }
        return storage;
    }

    /** A create event of {@code resourceName} objects with these ids, as merged by Kinto. */
    static TestEvent created(String resourceName, String userId, ListenerStorage storage, String... ids) {
        return new TestEvent(Action.CREATE, resourceName, Optional.ofNullable(userId),
                List.of(ids).stream().map(id -> Map.<String, Object>of("new", Map.of("id", id, "last_modified", 1L))).toList(),
                storage);
    }

    @Override
    public String id() {
        return UUID.nameUUIDFromBytes(toString().getBytes()).toString();
    }

    @Override
    public long timestamp() {
        return 1L;
    }

    @Override
    public Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("timestamp", timestamp());
        payload.put("action", action.value());
        payload.put("uri", "/buckets");
        payload.put("user_id", userId.orElse(null));
        payload.put("resource_name", resourceName);
        return payload;
    }

    @Override
    public String json() {
        throw new UnsupportedOperationException("not needed by the tracker");
    }
}
