package org.kinto4j.examples.tracker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.kinto4j.listener.ListenerStorage;

/** A {@link ListenerStorage} in a list, enough for the tracker's unit tests. */
final class InMemoryListenerStorage implements ListenerStorage {

    private record Key(String resourceName, String parentId, String id) {
    }

    private final Map<Key, Map<String, Object>> objects = new LinkedHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    @Override
    public synchronized Map<String, Object> create(String resourceName, String parentId, Map<String, Object> object) {
        String id = object.get("id") instanceof String given ? given : UUID.randomUUID().toString();
        Key key = new Key(resourceName, parentId, id);
        if (objects.containsKey(key)) {
            throw new IllegalStateException(resourceName + " " + id + " already exists");
        }
        return store(key, object);
    }

    @Override
    public synchronized Map<String, Object> put(String resourceName, String parentId, String id, Map<String, Object> object) {
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
            if (key.resourceName().equals(resourceName) && key.parentId().equals(parentId)
                    && object.entrySet().containsAll(filters.entrySet())) {
                matching.add(0, object);
            }
        });
        return matching;
    }

    @Override
    public synchronized long count(String resourceName, String parentId, Map<String, Object> filters) {
        return list(resourceName, parentId, filters).size();
    }

    @Override
    public synchronized boolean delete(String resourceName, String parentId, String id) {
        return objects.remove(new Key(resourceName, parentId, id)) != null;
    }

    private Map<String, Object> store(Key key, Map<String, Object> object) {
        Map<String, Object> stored = new LinkedHashMap<>(object);
        stored.put("id", key.id());
        stored.put("last_modified", clock.incrementAndGet());
        objects.put(key, Map.copyOf(stored));
        return Map.copyOf(stored);
    }
}
