package org.kinto4j.server.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Tx;

/**
 * The feed's reads of stored records, tombstones included, oldest first, through the
 * {@code (parent_id, resource_name, last_modified)} index.
 */
class FeedReader {

    /** One stored record or tombstone and the collection it is in. */
    record Row(String parentUri, ObjectNode object) {
        long timestamp() {
            return object.path("last_modified").asLong();
        }

        boolean deleted() {
            return object.path("deleted").asBoolean(false);
        }
    }

    /** Records of one collection changed after {@code since}, oldest first, at most {@code limit}. */
    List<Row> collectionSince(Tx tx, String collectionUri, long since, int limit) {
        return tx.handle().createQuery("SELECT parent_id, data FROM objects WHERE parent_id = ? AND resource_name = "
                        + "'record' AND last_modified > ? ORDER BY parent_id, resource_name, last_modified LIMIT " + limit)
                .bind(0, collectionUri).bind(1, since)
                .map((rs, ctx) -> new Row(rs.getString(1), Json.parseStored(rs.getString(2)))).list();
    }

    /**
     * Records of every collection of a bucket changed after ({@code since}, {@code afterParent})
     * in (last_modified, collection) order ({@code afterParent} null: after {@code since}), at
     * most {@code limit}.
     */
    List<Row> bucketSince(Tx tx, String bucketId, long since, String afterParent, int limit) {
        String after = afterParent == null ? "last_modified > :since"
                : "(last_modified > :since OR (last_modified = :since AND parent_id > :parent))";
        var query = tx.handle().createQuery("SELECT parent_id, data FROM objects WHERE resource_name = 'record' "
                        + "AND parent_id LIKE :prefix ESCAPE '\\' AND " + after
                        + " ORDER BY last_modified, parent_id LIMIT " + limit)
                .bind("prefix", ObjectStore.escapeLike("/buckets/" + bucketId + "/collections/") + "%")
                .bind("since", since);
        if (afterParent != null) {
            query.bind("parent", afterParent);
        }
        return query.map((rs, ctx) -> new Row(rs.getString(1), Json.parseStored(rs.getString(2)))).list();
    }

    /** The newest {@code last_modified} of a collection's records and tombstones (0 when none). */
    long newest(Tx tx, String collectionUri) {
        return tx.handle().createQuery("SELECT MAX(last_modified) FROM objects WHERE parent_id = ? "
                        + "AND resource_name = 'record'")
                .bind(0, collectionUri).mapTo(Long.class).findOne().orElse(0L);
    }

    /** The newest {@code last_modified} of each collection of a bucket that has records or tombstones. */
    Map<String, Long> newestPerCollection(Tx tx, String bucketId) {
        Map<String, Long> out = new HashMap<>();
        tx.handle().createQuery("SELECT parent_id, MAX(last_modified) FROM objects WHERE resource_name = 'record' "
                        + "AND parent_id LIKE ? ESCAPE '\\' GROUP BY parent_id")
                .bind(0, ObjectStore.escapeLike("/buckets/" + bucketId + "/collections/") + "%")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
