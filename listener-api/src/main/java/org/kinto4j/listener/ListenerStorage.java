package org.kinto4j.listener;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small view of kinto4j's object storage for listeners: plain JSON objects addressed by
 * resource name, parent id and object id, like Kinto's storage backend API.
 *
 * <p>Objects are {@code Map<String, Object>} with JSON-compatible values; stored objects always
 * carry {@code id} (String) and {@code last_modified} (Long). Resource names of your own
 * ({@code tracker}, {@code audit}) keep a plugin's data apart from buckets and records; they are
 * not reachable over HTTP. Kinto's own names ({@code account}, {@code bucket}, {@code collection},
 * {@code group}, {@code record}) are reserved: every method throws {@link IllegalArgumentException}
 * for them. Writes made through {@link ResourceEvent#storage()} belong to the
 * request's transaction.
 *
 * <p>{@code filters} arguments are equality filters on top-level fields; an empty map matches
 * everything.
 */
public interface ListenerStorage {

    /**
     * Stores a new object. A missing {@code id} is generated (a UUID); {@code last_modified} is
     * assigned by the server.
     *
     * @return the stored object, with {@code id} and {@code last_modified}
     * @throws IllegalStateException if an object with that id already exists
     */
    Map<String, Object> create(String resourceName, String parentId, Map<String, Object> object);

    /** Creates or replaces the object with this id; returns the stored object. */
    Map<String, Object> put(String resourceName, String parentId, String id, Map<String, Object> object);

    /** The object, if it exists (tombstones are not returned). */
    Optional<Map<String, Object>> get(String resourceName, String parentId, String id);

    /** Objects matching the equality filters, newest first. */
    List<Map<String, Object>> list(String resourceName, String parentId, Map<String, Object> filters);

    /** How many objects match the equality filters. */
    long count(String resourceName, String parentId, Map<String, Object> filters);

    /** Deletes the object; returns whether it existed. */
    boolean delete(String resourceName, String parentId, String id);

    /**
     * The access control list of any object, by URI without {@code /v1}: a bucket
     * ({@code /buckets/b}), a collection, group or record, or one of the plugin's own objects
     * ({@code parentId + "/" + resourceName + "/" + id}). Permission name to principals, both
     * sorted; empty when the object has none (or does not exist). Reads see the request's
     * uncommitted changes when called from {@link ResourceEvent#storage()}: after an update the
     * new ACL, after a delete none.
     *
     * <p>A newer addition: servers that predate it throw {@link UnsupportedOperationException}.
     */
    default Map<String, List<String>> permissions(String objectUri) {
        throw new UnsupportedOperationException("this kinto4j server does not expose permissions to listeners");
    }

    /**
     * Replaces the access control list of one of the plugin's own objects (permission name to
     * principals; an empty map removes it). The ACL is removed with the object's bucket. It
     * decides who may see the object where the plugin exposes its objects over HTTP
     * ({@link ListenerContext#exposeUnderBuckets}): {@code read} lets those principals list it.
     * Writes join the request's transaction like every other write of this view.
     *
     * <p>A newer addition: servers that predate it throw {@link UnsupportedOperationException}.
     *
     * @throws IllegalArgumentException when {@code resourceName} is one of the server's own
     *     ({@code bucket}, {@code collection}, {@code group}, {@code record})
     */
    default void setPermissions(String resourceName, String parentId, String id,
            Map<String, ? extends Collection<String>> acl) {
        throw new UnsupportedOperationException("this kinto4j server does not let listeners write permissions");
    }
}
