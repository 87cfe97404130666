package org.kinto4j.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.kinto4j.listener.ListenerStorage;

/**
 * A {@link ListenerStorage} in memory, with the server's rules: a missing {@code id} becomes a
 * UUID, {@code last_modified} is assigned (strictly increasing), {@code create} refuses an
 * existing id, lists are newest first and filter by equality on top-level fields.
 *
 * <p>Thread-safe (every method is synchronized), so it can back concurrent {@code onEvent}
 * calls; there are no transactions: writes are visible at once.
 */
public final class InMemoryListenerStorage implements ListenerStorage {

    private record Key(String resourceName, String parentId, String id) {
    }

    private final Map<Key, Map<String, Object>> objects = new LinkedHashMap<>();
    private long clock = 1_700_000_000_000L;

    @Override
    public synchronized Map<String, Object> create(String resourceName, String parentId, Map<String, Object> object) {
        String id = object.get("id") instanceof String given ? given : UUID.randomUUID().toString();
        Key key = new Key(resourceName, parentId, id);
        if (objects.containsKey(key)) {
            throw new IllegalStateException(resourceName + " '" + id + "' already exists in '" + parentId + "'");
        }
        return store(key, object);
    }

    @Override
    public synchronized Map<String, Object> put(String resourceName, String parentId, String id, Map<String, Object> object) {
        objects.remove(new Key(resourceName, parentId, id));
        return store(new Key(resourceName, parentId, id), object);
    }

    @Override
    public synchronized Optional<Map<String, Object>> get(String resourceName, String parentId, String id) {
        return Optional.ofNullable(objects.get(new Key(resourceName, parentId, id)));
    }

    @Override
    public synchronized List<Map<String, Object>> list(String resourceName, String parentId, Map<String, Object> filters) {
        List<Map<String, Object>> matching = new ArrayList<>();
        objects.forEach((key, object) -> {
            if (key.resourceName().equals(resourceName) && key.parentId().equals(parentId) && matches(object, filters)) {
                matching.add(0, object);
            }
        });
        return Collections.unmodifiableList(matching);
    }

    @Override
    public synchronized long count(String resourceName, String parentId, Map<String, Object> filters) {
        return list(resourceName, parentId, filters).size();
    }

    @Override
    public synchronized boolean delete(String resourceName, String parentId, String id) {
        return objects.remove(new Key(resourceName, parentId, id)) != null;
    }

    /** Every stored object of every resource, oldest first: for assertions. */
    public synchronized List<Map<String, Object>> all() {
        return List.copyOf(objects.values());
    }

    private static boolean matches(Map<String, Object> object, Map<String, Object> filters) {
        return filters.entrySet().stream()
                .allMatch(f -> object.containsKey(f.getKey()) && Objects.equals(object.get(f.getKey()), f.getValue()));
    }

    private Map<String, Object> store(Key key, Map<String, Object> object) {
        Map<String, Object> stored = new LinkedHashMap<>(object);
        stored.put("id", key.id());
        stored.put("last_modified", ++clock);
        Map<String, Object> frozen = Collections.unmodifiableMap(stored);
        objects.put(key, frozen);
        return frozen;
    }
}
