package org.kinto4j.builtin.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/**
 * Kinto's {@code history.*} settings (without the {@code kinto.} prefix), plus the core
 * {@code explicit_permissions} the server hands over.
 */
record HistorySettings(Set<String> excludedUserIds, Set<String> excludedResources, int autoTrimMaxCount,
        int autoTrimThreshold, Set<String> autoTrimUserIds, boolean explicitPermissions) {

    static HistorySettings read(Settings s) {
        List<String> resources = s.list("exclude_resources", List.of());
        for (String uri : resources) {
            if (!uri.matches("/buckets/[^/]+(/(collections|groups)/[^/]+(/records/[^/]+)?)?")
                    || uri.matches("/buckets/[^/]+/groups/[^/]+/records/.*")) {
                throw new SettingsException("history.exclude_resources", "Invalid value for "
                        + "'history.exclude_resources': \"" + uri + "\" is not an object URI. Expected /buckets/b, "
                        + "/buckets/b/collections/c, /buckets/b/groups/g or /buckets/b/collections/c/records/r.");
            }
        }
        int threshold = s.integer("auto_trim_threshold", 100);
        if (threshold < 0) {
            throw new SettingsException("history.auto_trim_threshold", "Invalid value for "
                    + "'history.auto_trim_threshold': " + threshold + ". Expected 0 or more.");
        }
        return new HistorySettings(Set.copyOf(s.list("exclude_user_ids", List.of())), Set.copyOf(resources),
                s.integer("auto_trim_max_count", -1), threshold,
                Set.copyOf(s.list("auto_trim_user_ids", List.of())), s.bool("explicit_permissions", true));
    }

    boolean trims(String userId) {
        return autoTrimMaxCount > 0 && (autoTrimUserIds.isEmpty() || autoTrimUserIds.contains(userId));
    }

    /** The {@code history} capability: Kinto's description and url, plus the active settings. */
    Map<String, Object> capability() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("description", "Track changes on data.");
        c.put("url", "http://kinto.readthedocs.io/en/latest/api/1.x/history.html");
        if (autoTrimMaxCount > 0) {
            c.put("auto_trim_max_count", (long) autoTrimMaxCount);
        }
        if (!autoTrimUserIds.isEmpty()) {
            c.put("auto_trim_user_ids", List.copyOf(autoTrimUserIds));
        }
        if (!excludedResources.isEmpty()) {
            List<Object> excluded = new ArrayList<>();
            for (String uri : excludedResources) {
                excluded.add(uriParts(uri));
            }
            c.put("excluded_resources", excluded);
        }
        return c;
    }

    private static Map<String, Object> uriParts(String uri) {
        String[] p = uri.split("/");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", p[2]);
        if (p.length >= 5) {
            out.put(p[3].equals("collections") ? "collection" : "group", p[4]);
        }
        if (p.length == 7) {
            out.put("record", p[6]);
        }
        return out;
    }
}
