package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;
import org.kinto4j.server.json.Json;

/**
 * The write side of {@link ObjectStore}: every write allocates its {@code last_modified} (Kinto's
 * algorithm, spec 3.4) and stores the object with it, in as few statements as the dialect allows.
 *
 * <p>PostgreSQL, no forced timestamp: one statement per write. A data-modifying CTE bumps the
 * collection timestamp ({@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}, which holds the
 * row lock until commit, so timestamps follow commit order across processes), writes the object
 * with that value spliced into its JSON, and, for a fresh id, inserts its ACL. H2 (writes
 * serialised by the write gate): one {@code UPDATE} through {@code FINAL TABLE} returns the new
 * timestamp, then the object and its ACL. Forced timestamps (replication, rare) take the general
 * path: read the timestamp under lock, decide, write.
 *
 * <p>The stored JSON ends with {@code last_modified}; the JSON is written once, by Jackson,
 * without it, and the value is appended (by the database on PostgreSQL).
 */
final class ObjectWriter {

    private static final String BUMP_PG = "INSERT INTO timestamps (parent_id, resource_name, last_modified) "
            + "VALUES (:parent, :resource, :now) ON CONFLICT (parent_id, resource_name) DO UPDATE SET last_modified = "
            + "GREATEST(EXCLUDED.last_modified, timestamps.last_modified + 1) RETURNING last_modified";

    private final LongSupplier clock;
    private final JsonColumn json = new JsonColumn();

    ObjectWriter(LongSupplier clock) {
        this.clock = clock;
    }

    /** Stores a new object (reviving a tombstone unless {@code freshId}); with {@code aclUri}, inserts its ACL too. */
    ObjectNode create(Tx tx, String resource, String parentId, ObjectNode object, Long forced, boolean freshId,
            String aclUri, Map<String, ? extends Collection<String>> acl) {
        tx.beginWrite();
        Handle h = tx.handle();
        String id = object.get("id").textValue();
        object.remove("last_modified");
        String head = head(object);
        long lm;
        if (forced == null && tx.dialect() == Dialect.POSTGRESQL) {
            StringBuilder sql = new StringBuilder("WITH ts AS (").append(BUMP_PG).append("), obj AS (")
                    .append("INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) ")
                    .append("SELECT :resource, :parent, :id, ts.last_modified, FALSE, ")
                    .append(json.value(h, tx.dialect(), ":head || CAST(ts.last_modified AS TEXT) || '}'"))
                    .append(" FROM ts");
            if (!freshId) {
                sql.append(" ON CONFLICT (parent_id, resource_name, id) DO UPDATE SET last_modified = ")
                        .append("EXCLUDED.last_modified, deleted = FALSE, data = EXCLUDED.data WHERE objects.deleted");
            }
            sql.append(" RETURNING last_modified)");
            int rows = aclUri == null ? 0 : appendAclInsert(sql, acl);
            sql.append(" SELECT last_modified FROM obj");
            var q = h.createQuery(sql.toString()).bind("parent", parentId).bind("resource", resource)
                    .bind("now", clock.getAsLong()).bind("id", id).bind("head", head);
            if (rows > 0) {
                bindAcl(q, aclUri, acl);
            }
            lm = q.mapTo(Long.class).findOne()
                    .orElseThrow(() -> new StorageConflict(resource + " " + id + " exists already"));
        } else {
            lm = nextTimestamp(tx, resource, parentId, forced);
            String data = head + lm + "}";
            String value = json.value(h, tx.dialect(), ":data");
            int updated = freshId ? 0 : h.createUpdate("UPDATE objects SET last_modified = :lm, deleted = FALSE, data = "
                            + value + " WHERE parent_id = :parent AND resource_name = :resource AND id = :id AND deleted")
                    .bind("lm", lm).bind("data", data).bind("parent", parentId).bind("resource", resource)
                    .bind("id", id).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) "
                                + "VALUES (:resource, :parent, :id, :lm, FALSE, " + value + ")")
                        .bind("resource", resource).bind("parent", parentId).bind("id", id).bind("lm", lm)
                        .bind("data", data).execute();
            }
            if (aclUri != null) {
                insertAcl(h, aclUri, acl);
            }
        }
        object.put("last_modified", lm);
        return object;
    }

    /** Replaces a live object; {@code forced} is already checked against the previous timestamp. */
    ObjectNode update(Tx tx, String resource, String parentId, ObjectNode object, Long forced) {
        object.remove("last_modified");
        long lm = rewrite(tx, resource, parentId, object.get("id").textValue(), forced, head(object), "}", false);
        object.put("last_modified", lm);
        return object;
    }

    /** Replaces a live object by its tombstone {@code {id, last_modified, deleted}}. */
    ObjectNode delete(Tx tx, String resource, String parentId, String id, Long forced) {
        ObjectNode tombstone = Json.object();
        tombstone.put("id", id);
        long lm = rewrite(tx, resource, parentId, id, forced, head(tombstone), ",\"deleted\":true}", true);
        tombstone.put("last_modified", lm);
        tombstone.put("deleted", true);
        return tombstone;
    }

    private long rewrite(Tx tx, String resource, String parentId, String id, Long forced, String head, String tail,
            boolean deleted) {
        tx.beginWrite();
        Handle h = tx.handle();
        if (forced == null && tx.dialect() == Dialect.POSTGRESQL) {
            String sql = "WITH ts AS (" + BUMP_PG + ") UPDATE objects SET last_modified = ts.last_modified, deleted = "
                    + deleted + ", data = " + json.value(h, tx.dialect(), ":head || CAST(ts.last_modified AS TEXT) || :tail")
                    + " FROM ts WHERE objects.parent_id = :parent AND objects.resource_name = :resource "
                    + "AND objects.id = :id RETURNING objects.last_modified";
            return h.createQuery(sql).bind("parent", parentId).bind("resource", resource).bind("now", clock.getAsLong())
                    .bind("id", id).bind("head", head).bind("tail", tail).mapTo(Long.class).findOne()
                    .orElseThrow(() -> new StorageConflict(resource + " " + id + " is gone"));
        }
        long lm = nextTimestamp(tx, resource, parentId, forced);
        h.createUpdate("UPDATE objects SET last_modified = :lm, deleted = " + deleted + ", data = "
                        + json.value(h, tx.dialect(), ":data")
                        + " WHERE parent_id = :parent AND resource_name = :resource AND id = :id")
                .bind("lm", lm).bind("data", head + lm + tail).bind("parent", parentId).bind("resource", resource)
                .bind("id", id).execute();
        return lm;
    }

    /**
     * Allocates the {@code last_modified} of a write in (parent, resource), strictly greater than
     * every earlier one unless a past value is forced. The row lock (PostgreSQL) or the write gate
     * (H2) is held until the transaction ends.
     */
    long nextTimestamp(Tx tx, String resource, String parentId, Long forced) {
        tx.beginWrite();
        Handle h = tx.handle();
        long now = clock.getAsLong();
        if (forced == null && tx.dialect() == Dialect.POSTGRESQL) {
            return h.createQuery(BUMP_PG).bind("parent", parentId).bind("resource", resource).bind("now", now)
                    .mapTo(Long.class).one();
        }
        if (forced == null) {
            // H2, under the write gate: bump and read back in one statement.
            Optional<Long> bumped = h.createQuery("SELECT last_modified FROM FINAL TABLE (UPDATE timestamps SET "
                            + "last_modified = GREATEST(:now, last_modified + 1) WHERE parent_id = :parent "
                            + "AND resource_name = :resource)")
                    .bind("now", now).bind("parent", parentId).bind("resource", resource).mapTo(Long.class).findOne();
            if (bumped.isPresent()) {
                return bumped.get();
            }
        }
        if (tx.dialect() == Dialect.POSTGRESQL) {
            h.createUpdate("INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES (?, ?, 0) "
                            + "ON CONFLICT (parent_id, resource_name) DO NOTHING")
                    .bind(0, parentId).bind(1, resource).execute();
        }
        Optional<Long> current = h.createQuery(
                        "SELECT last_modified FROM timestamps WHERE parent_id = ? AND resource_name = ? FOR UPDATE")
                .bind(0, parentId).bind(1, resource).mapTo(Long.class).findOne();
        long value;
        long collection;
        if (current.isEmpty()) {
            value = forced != null ? forced : now;
            collection = value;
        } else {
            long t = current.get();
            if (forced == null) {
                value = now <= t ? t + 1 : now;
                collection = value;
            } else if (forced == t) {
                value = t + 1;
                collection = value;
            } else {
                value = forced;
                collection = Math.max(forced, t);
            }
        }
        if (current.isEmpty()) {
            h.createUpdate("INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES (?, ?, ?)")
                    .bind(0, parentId).bind(1, resource).bind(2, collection).execute();
        } else if (collection != current.get()) {
            h.createUpdate("UPDATE timestamps SET last_modified = ? WHERE parent_id = ? AND resource_name = ?")
                    .bind(0, collection).bind(1, parentId).bind(2, resource).execute();
        }
        return value;
    }

    /** The object's JSON without its closing brace, ready for {@code "last_modified":<value>}. */
    private static String head(ObjectNode object) {
        String text = Json.write(object);
        String open = text.substring(0, text.length() - 1);
        return open + (object.isEmpty() ? "" : ",") + "\"last_modified\":";
    }

    private static int appendAclInsert(StringBuilder sql, Map<String, ? extends Collection<String>> acl) {
        int rows = 0;
        StringBuilder values = new StringBuilder();
        for (Map.Entry<String, ? extends Collection<String>> e : acl.entrySet()) {
            for (int i = 0; i < new LinkedHashSet<>(e.getValue()).size(); i++) {
                values.append(rows == 0 ? "" : ", ").append("(:acl_uri, :perm").append(rows).append(", :principal")
                        .append(rows).append(')');
                rows++;
            }
        }
        if (rows > 0) {
            sql.append(", acl AS (INSERT INTO access_control_entries (object_id, permission, principal) VALUES ")
                    .append(values).append(')');
        }
        return rows;
    }

    private static void bindAcl(org.jdbi.v3.core.statement.SqlStatement<?> q, String uri,
            Map<String, ? extends Collection<String>> acl) {
        q.bind("acl_uri", uri);
        int row = 0;
        for (Map.Entry<String, ? extends Collection<String>> e : acl.entrySet()) {
            for (String principal : new LinkedHashSet<>(e.getValue())) {
                q.bind("perm" + row, e.getKey()).bind("principal" + row, principal);
                row++;
            }
        }
    }

    /** The ACL of a fresh object, one statement (no earlier entries can exist for a fresh id). */
    static void insertAcl(Handle h, String uri, Map<String, ? extends Collection<String>> acl) {
        StringBuilder sql = new StringBuilder();
        int rows = appendAclInsert(sql, acl);
        if (rows == 0) {
            return;
        }
        String insert = sql.substring(sql.indexOf("(INSERT") + 1, sql.length() - 1);
        Update u = h.createUpdate(insert);
        bindAcl(u, uri, acl);
        u.execute();
    }
}
