package org.kinto4j.builtin.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/**
 * Writes one history entry per impacted object, Kinto's shape: {@code date}, {@code target}
 * ({@code data}, {@code permissions}), the payload's {@code action, uri, user_id,
 * resource_name} and ids, stored as resource {@code history} under {@code /buckets/{bid}}.
 * Each entry's ACL grants {@code read} to the principals that could read the object when the
 * entry was written (bucket, collection and object readers and writers).
 */
final class HistoryListener implements Listener {

    static final String RESOURCE = "history";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'")
            .withZone(ZoneOffset.UTC);

    private final HistorySettings settings;

    HistoryListener(HistorySettings settings) {
        this.settings = settings;
    }

    @Override
    public void onEvent(ResourceEvent event) {
        Map<String, Object> payload = event.payload();
        String userId = (String) payload.get("user_id");
        if (userId != null && settings.excludedUserIds().contains(userId)) {
            return;
        }
        String resource = event.resourceName();
        ListenerStorage storage = event.storage();
        for (Map<String, Object> impacted : event.impactedObjects()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) impacted.get("new");
            String objectId = (String) target.get("id");
            String bucketId = payload.containsKey("bucket_id") ? (String) payload.get("bucket_id") : objectId;
            String bucketUri = "/buckets/" + bucketId;
            String collectionUri = payload.containsKey("collection_id")
                    ? bucketUri + "/collections/" + payload.get("collection_id") : null;
            String uri = objectUri(resource, bucketUri, collectionUri, objectId);
            if (excluded(bucketUri) || excluded(collectionUri) || excluded(uri)) {
                continue;
            }
            Map<String, List<String>> objectAcl = storage.permissions(uri);
            Map<String, Object> entry = entry(payload, resource, objectId, uri, target, objectAcl);
            Map<String, Object> stored = storage.create(RESOURCE, bucketUri, entry);
            if (settings.trims(userId)) {
                new HistoryTrim(storage, settings).afterInsert(bucketUri, resource, userId);
            }
            if (settings.explicitPermissions()) {
                Set<String> readers = new LinkedHashSet<>();
                addReaders(readers, storage.permissions(bucketUri));
                if (collectionUri != null) {
                    addReaders(readers, storage.permissions(collectionUri));
                }
                addReaders(readers, objectAcl);
                storage.setPermissions(RESOURCE, bucketUri, (String) stored.get("id"), Map.of("read", readers));
            }
        }
    }

    private boolean excluded(String uri) {
        return uri != null && settings.excludedResources().contains(uri);
    }

    private static String objectUri(String resource, String bucketUri, String collectionUri, String id) {
        return switch (resource) {
            case "bucket" -> bucketUri;
            case "collection" -> bucketUri + "/collections/" + id;
            case "group" -> bucketUri + "/groups/" + id;
            default -> collectionUri + "/records/" + id;
        };
    }

    private static Map<String, Object> entry(Map<String, Object> payload, String resource, String objectId,
            String uri, Map<String, Object> target, Map<String, List<String>> acl) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("date", DATE.format(Instant.now()));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("data", target);
        t.put("permissions", new LinkedHashMap<String, Object>(acl));
        entry.put("target", t);
        for (Map.Entry<String, Object> e : payload.entrySet()) {
            if (!e.getKey().equals("timestamp") && !e.getKey().equals("bucket_id")) {
                entry.put(e.getKey(), e.getValue());
            }
        }
        entry.put(resource + "_id", objectId);
        entry.put("uri", uri);
        return entry;
    }

    private static void addReaders(Set<String> readers, Map<String, List<String>> acl) {
        readers.addAll(acl.getOrDefault("read", List.of()));
        readers.addAll(acl.getOrDefault("write", List.of()));
    }

}
