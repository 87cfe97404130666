package org.kinto4j.server.feed;

import java.util.Map;

/**
 * What the hub learns of one committed change, from this process or (PostgreSQL) another:
 * which bucket, collection and resource changed, and for records the action per
 * {@code last_modified} when known ({@code hints}) and who made it.
 */
record Notice(String origin, String resourceName, String bucketId, String collectionId, String userId,
        Map<Long, String> hints) {

    /** A notice that every watched collection may have changed (after a lost notification channel). */
    static Notice everything() {
        return new Notice(null, "*", null, null, null, Map.of());
    }

    boolean isRecord() {
        return "record".equals(resourceName) && collectionId != null;
    }
}
