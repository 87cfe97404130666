package org.kinto4j.server.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What the hub learns of one committed change, from this process or (PostgreSQL) another:
 * which bucket, collection and resource changed, and for records the action per
 * {@code last_modified} when known ({@code hints}), who made it, and, for this process's own
 * commits, each version written ({@code versions}, by {@code last_modified}), so that a version
 * overwritten before the hub read storage is still sent.
 */
record Notice(String origin, String resourceName, String bucketId, String collectionId, String userId,
        Map<Long, String> hints, Map<Long, ObjectNode> versions) {

    /** A notice without the versions written (from another process). */
    Notice(String origin, String resourceName, String bucketId, String collectionId, String userId,
            Map<Long, String> hints) {
        this(origin, resourceName, bucketId, collectionId, userId, hints, Map.of());
    }

    /** A notice that every watched collection may have changed (after a lost notification channel). */
    static Notice everything() {
        return new Notice(null, "*", null, null, null, Map.of());
    }

    boolean isRecord() {
        return "record".equals(resourceName) && collectionId != null;
    }
}
