package org.kinto4j.builtin.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kinto4j.listener.ListenerStorage;

/**
 * Kinto's {@code history.auto_trim_max_count}: once a bucket holds more than max + threshold
 * entries of one resource name (of one user when {@code auto_trim_user_ids} is set), the oldest
 * are deleted until max remain.
 */
final class HistoryTrim {

    private final ListenerStorage storage;
    private final HistorySettings settings;

    HistoryTrim(ListenerStorage storage, HistorySettings settings) {
        this.storage = storage;
        this.settings = settings;
    }

    void afterInsert(String bucketUri, String resourceName, String userId) {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("resource_name", resourceName);
        if (!settings.autoTrimUserIds().isEmpty()) {
            filters.put("user_id", userId);
        }
        long count = storage.count(HistoryListener.RESOURCE, bucketUri, filters);
        if (count <= (long) settings.autoTrimMaxCount() + settings.autoTrimThreshold()) {
            return;
        }
        List<Map<String, Object>> newestFirst = storage.list(HistoryListener.RESOURCE, bucketUri, filters);
        for (Map<String, Object> old : newestFirst.subList(Math.min(settings.autoTrimMaxCount(), newestFirst.size()),
                newestFirst.size())) {
            String id = (String) old.get("id");
            storage.delete(HistoryListener.RESOURCE, bucketUri, id);
            storage.setPermissions(HistoryListener.RESOURCE, bucketUri, id, Map.of());
        }
    }
}
