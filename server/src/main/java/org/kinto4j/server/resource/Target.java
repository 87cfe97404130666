package org.kinto4j.server.resource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a resource URL addresses: the kind, whether it is the plural endpoint, and the ids.
 * URIs are without {@code /v1}, as used for permissions, parent ids and event payloads.
 */
public record Target(ResourceKind kind, boolean plural, String bucketId, String collectionId, String objectId) {

    /** {@code ""} for buckets, {@code /buckets/b} for collections and groups, {@code /buckets/b/collections/c} for records. */
    public String parentId() {
        return switch (kind) {
            case BUCKET -> "";
            case COLLECTION, GROUP -> "/buckets/" + bucketId;
            case RECORD -> "/buckets/" + bucketId + "/collections/" + collectionId;
        };
    }

    public String pluralUri() {
        return parentId() + "/" + kind.segment();
    }

    public String objectUri() {
        return objectUri(objectId);
    }

    public String objectUri(String id) {
        return pluralUri() + "/" + id;
    }

    /** The URI of the request without {@code /v1}, as in event payloads. */
    public String requestUri() {
        return plural ? pluralUri() : objectUri();
    }

    public Target object(String id) {
        return new Target(kind, false, bucketId, collectionId, id);
    }

    /** The URL parameters as Kinto puts them in payloads: {@code bucket_id}, ..., {@code <resource>_id}. */
    public Map<String, String> urlParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        if (kind != ResourceKind.BUCKET) {
            out.put("bucket_id", bucketId);
        }
        if (kind == ResourceKind.RECORD) {
            out.put("collection_id", collectionId);
        }
        if (!plural) {
            out.put(kind.resourceName() + "_id", objectId);
        }
        return out;
    }

    /** Replaces the bucket id (the default bucket alias). */
    public Target inBucket(String realBucketId) {
        String id = kind == ResourceKind.BUCKET && !plural ? realBucketId : objectId;
        return new Target(kind, plural, realBucketId, collectionId, id);
    }
}
