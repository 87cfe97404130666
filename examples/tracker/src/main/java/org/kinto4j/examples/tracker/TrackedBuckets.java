package org.kinto4j.examples.tracker;

import java.util.Map;

import org.kinto4j.listener.ListenerStorage;

/**
 * Where the tracker keeps its data: one object {@code {"userid": ..., "bucket_id": ...}} per
 * created bucket, in the plugin's own resource {@code tracker} (not reachable over HTTP), all
 * under the empty parent id.
 */
final class TrackedBuckets {

    static final String RESOURCE_NAME = "tracker";
    static final String PARENT_ID = "";
    static final String USER_ID_FIELD = "userid";
    static final String BUCKET_ID_FIELD = "bucket_id";

    private TrackedBuckets() {
    }

    /** Records that {@code userId} created the bucket {@code bucketId}. */
    static void recordCreation(ListenerStorage storage, String userId, String bucketId) {
        storage.create(RESOURCE_NAME, PARENT_ID, Map.of(USER_ID_FIELD, userId, BUCKET_ID_FIELD, bucketId));
    }

    /** How many buckets {@code userId} has created. */
    static long countCreatedBy(ListenerStorage storage, String userId) {
        return storage.count(RESOURCE_NAME, PARENT_ID, Map.of(USER_ID_FIELD, userId));
    }
}
