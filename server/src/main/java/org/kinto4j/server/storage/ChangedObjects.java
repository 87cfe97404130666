package org.kinto4j.server.storage;

import java.util.function.Consumer;

/**
 * The read of a replay: the stored objects and tombstones of one resource changed since a time,
 * streamed in the caller's transaction.
 */
public final class ChangedObjects {

    /** One stored object (or tombstone): its parent id and its stored JSON. */
    public record Row(String parentId, String data, boolean deleted) {
    }

    private ChangedObjects() {
    }

    /**
     * Hands {@code each} the objects of {@code resourceName} with {@code last_modified > from},
     * ordered by parent, then {@code last_modified}, then id, fetched 1000 at a time.
     */
    public static void since(Tx tx, String resourceName, long from, Consumer<Row> each) {
        tx.handle().createQuery("SELECT parent_id, data, deleted FROM objects WHERE resource_name = ? AND last_modified > ? "
                        + "ORDER BY parent_id, last_modified, id")
                .bind(0, resourceName).bind(1, from).setFetchSize(1000)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .forEach(each);
    }
}
