package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.kinto4j.server.json.Json;

/**
 * Objects of every resource, keyed by (resource name, parent id, id), their tombstones and the
 * collection timestamps of each (parent id, resource name) pair. Stored objects always carry
 * {@code id} and {@code last_modified}; tombstones are {@code {id, last_modified, deleted: true}}.
 */
public final class ObjectStore {

    private final LongSupplier clock;
    private final ObjectWriter writer;

    public ObjectStore(LongSupplier clock) {
        this.clock = clock;
        this.writer = new ObjectWriter(clock);
    }

    // ---- reads ---------------------------------------------------------------------------

    /** The live object, or empty when absent or deleted. */
    public Optional<ObjectNode> get(Tx tx, String resource, String parentId, String id) {
        return tx.handle().createQuery(
                        "SELECT data FROM objects WHERE parent_id = ? AND resource_name = ? AND id = ? AND deleted = FALSE")
                .bind(0, parentId).bind(1, resource).bind(2, id)
                .mapTo(String.class).findOne().map(Json::parseStored);
    }

    /** Whether the object is stored and not deleted (its JSON is neither read nor parsed). */
    public boolean exists(Tx tx, String resource, String parentId, String id) {
        return tx.handle().createQuery(
                        "SELECT 1 FROM objects WHERE parent_id = ? AND resource_name = ? AND id = ? AND deleted = FALSE")
                .bind(0, parentId).bind(1, resource).bind(2, id)
                .mapTo(Integer.class).findOne().isPresent();
    }

    /** A live object with its ACL (permission name to principals, sorted), read together. */
    public record WithAcl(ObjectNode object, Map<String, Set<String>> acl) {
    }

    /**
     * The live object and the ACL of {@code objectUri} in one statement (a read by id shows both:
     * one round trip fewer on PostgreSQL), or empty when the object is absent or deleted.
     */
    public Optional<WithAcl> getWithAcl(Tx tx, String resource, String parentId, String id, String objectUri) {
        return tx.handle().createQuery("SELECT o.data, (SELECT ARRAY_AGG(a.permission || ' ' || a.principal "
                        + "ORDER BY a.permission, a.principal) FROM access_control_entries a WHERE a.object_id = ?) "
                        + "FROM objects o WHERE o.parent_id = ? AND o.resource_name = ? AND o.id = ? AND o.deleted = FALSE")
                .bind(0, objectUri).bind(1, parentId).bind(2, resource).bind(3, id)
                .map((rs, ctx) -> new WithAcl(Json.parseStored(rs.getString(1)), aclOf(rs.getArray(2))))
                .findOne();
    }

    private static Map<String, Set<String>> aclOf(java.sql.Array entries) throws java.sql.SQLException {
        Map<String, Set<String>> acl = new TreeMap<>();
        if (entries == null) {
            return acl;
        }
        for (Object entry : (Object[]) entries.getArray()) {
            String e = (String) entry;
            int space = e.indexOf(' ');
            acl.computeIfAbsent(e.substring(0, space), k -> new LinkedHashSet<>()).add(e.substring(space + 1));
        }
        return acl;
    }

    /**
     * Objects matching the query, in its sort order, at most {@code max} of them ({@code max <= 0}:
     * no cap). PostgreSQL runs the whole query in SQL ({@link PostgresListSql}); H2 streams the
     * rows and keeps the best {@code max} ({@link H2ListScan}).
     */
    public List<ObjectNode> list(Tx tx, String resource, String parentId, ListQuery query, int max) {
        if (tx.dialect() == Dialect.POSTGRESQL) {
            return PostgresListSql.list(resource, parentId, query, max).on(tx.handle())
                    .setFetchSize(500).mapTo(String.class).map(Json::parseStored).list();
        }
        return H2ListScan.list(tx, resource, parentId, query, max);
    }

    /** How many live objects match (tombstones never count; the keyset bound is ignored). */
    public long count(Tx tx, String resource, String parentId, ListQuery query) {
        ListQuery all = query.withAfter(null);
        if (tx.dialect() == Dialect.POSTGRESQL) {
            return PostgresListSql.count(resource, parentId, all).on(tx.handle()).mapTo(Long.class).one();
        }
        return H2ListScan.count(tx, resource, parentId, all);
    }

    public static Comparator<JsonNode> comparator(List<Sort> sorts) {
        return JsonOrder.comparatorOf(sorts);
    }

    // ---- collection timestamps -----------------------------------------------------------

    /** The stored collection timestamp of (parent, resource), without initialising it (readonly mode). */
    public Optional<Long> storedCollectionTimestamp(Tx tx, String resource, String parentId) {
        return tx.handle().createQuery("SELECT last_modified FROM timestamps WHERE parent_id = ? AND resource_name = ?")
                .bind(0, parentId).bind(1, resource).mapTo(Long.class).findOne();
    }

    /**
     * The collection timestamp of (parent, resource). A pair never written gets "now", stored,
     * so an empty list keeps its timestamp (Kinto initialises on read).
     */
    public long collectionTimestamp(Tx tx, String resource, String parentId) {
        Optional<Long> current = tx.handle().createQuery(
                        "SELECT last_modified FROM timestamps WHERE parent_id = ? AND resource_name = ?")
                .bind(0, parentId).bind(1, resource).mapTo(Long.class).findOne();
        if (current.isPresent()) {
            return current.get();
        }
        tx.beginWrite();
        Handle h = tx.handle();
        if (tx.dialect() == Dialect.POSTGRESQL) {
            h.createUpdate("INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES (?, ?, ?) "
                            + "ON CONFLICT (parent_id, resource_name) DO NOTHING")
                    .bind(0, parentId).bind(1, resource).bind(2, clock.getAsLong()).execute();
            return h.createQuery("SELECT last_modified FROM timestamps WHERE parent_id = ? AND resource_name = ?")
                    .bind(0, parentId).bind(1, resource).mapTo(Long.class).one();
        }
        Optional<Long> again = h.createQuery("SELECT last_modified FROM timestamps WHERE parent_id = ? AND resource_name = ?")
                .bind(0, parentId).bind(1, resource).mapTo(Long.class).findOne();
        if (again.isPresent()) {
            return again.get();
        }
        long now = clock.getAsLong();
        h.createUpdate("INSERT INTO timestamps (parent_id, resource_name, last_modified) VALUES (?, ?, ?)")
                .bind(0, parentId).bind(1, resource).bind(2, now).execute();
        return now;
    }

    /**
     * Takes, until the transaction ends, the lock every writer of (parent, resource) holds, so
     * that what the caller reads next (does the object exist, does If-Match still hold) is the
     * last committed state and stays so until it writes: two PUTs of one new id do not both
     * insert (409), two PATCHes with the same If-Match do not both succeed (lost update).
     * H2: the process-wide write gate; PostgreSQL: a transaction-scoped advisory lock (two-key
     * space, apart from the outbox's one-key lock).
     */
    public void lockForWrite(Tx tx, String resource, String parentId) {
        tx.beginWrite();
        if (tx.dialect() == Dialect.POSTGRESQL) {
            tx.handle().createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))) AS locked")
                    .bind(0, parentId).bind(1, resource).mapTo(Integer.class).one();
        }
    }

    /** Whether the object is absent, checked under {@link #lockForWrite} (for implicit creations). */
    public boolean absentUnderLock(Tx tx, String resource, String parentId, String id) {
        lockForWrite(tx, resource, parentId);
        return !exists(tx, resource, parentId, id);
    }

    // ---- writes --------------------------------------------------------------------------

    /**
     * Stores a new object (replacing a tombstone with the same id). {@code object} must carry
     * {@code id}; its {@code last_modified} is set here.
     */
    public ObjectNode create(Tx tx, String resource, String parentId, ObjectNode object, Long forcedTimestamp) {
        return create(tx, resource, parentId, object, forcedTimestamp, false);
    }

    /**
     * Like {@link #create(Tx, String, String, ObjectNode, Long)}; {@code freshId} says the id was
     * just generated, so no tombstone can hold it and one statement is saved.
     */
    public ObjectNode create(Tx tx, String resource, String parentId, ObjectNode object, Long forcedTimestamp,
            boolean freshId) {
        return writer.create(tx, resource, parentId, object, forcedTimestamp, freshId, null, null);
    }

    /**
     * Stores an object under a just generated id together with its ACL (no tombstone and no ACL
     * can exist for it): one statement on PostgreSQL.
     */
    public ObjectNode createFresh(Tx tx, String resource, String parentId, ObjectNode object, Long forcedTimestamp,
            String objectUri, Map<String, ? extends Collection<String>> acl) {
        return writer.create(tx, resource, parentId, object, forcedTimestamp, true, objectUri, acl);
    }

    /**
     * Replaces a live object. A forced timestamp is honoured only when greater than the stored
     * one (spec 3.4).
     */
    public ObjectNode update(Tx tx, String resource, String parentId, ObjectNode object, long previousTimestamp,
            Long forcedTimestamp) {
        Long forced = forcedTimestamp != null && forcedTimestamp > previousTimestamp ? forcedTimestamp : null;
        return writer.update(tx, resource, parentId, object, forced);
    }

    /** Replaces a live object by its tombstone; returns the tombstone. */
    public ObjectNode delete(Tx tx, String resource, String parentId, String id, long previousTimestamp,
            Long forcedTimestamp) {
        Long forced = forcedTimestamp != null && forcedTimestamp > previousTimestamp ? forcedTimestamp : null;
        return writer.delete(tx, resource, parentId, id, forced);
    }

    /** Removes an object for good, no tombstone (plugin storage). */
    public boolean purge(Tx tx, String resource, String parentId, String id) {
        tx.beginWrite();
        return tx.handle().createUpdate("DELETE FROM objects WHERE parent_id = ? AND resource_name = ? AND id = ?")
                .bind(0, parentId).bind(1, resource).bind(2, id).execute() > 0;
    }

    /**
     * Removes every object and timestamp whose parent is {@code uri} or lies below it, without
     * tombstones (the cascade of a bucket or collection deletion). {@code /buckets/ab} is not
     * below {@code /buckets/a}.
     */
    public void purgeUnder(Tx tx, String uri) {
        tx.beginWrite();
        String below = escapeLike(uri) + "/%";
        tx.handle().createUpdate("DELETE FROM objects WHERE parent_id = ? OR parent_id LIKE ? ESCAPE '\\'")
                .bind(0, uri).bind(1, below).execute();
        tx.handle().createUpdate("DELETE FROM timestamps WHERE parent_id = ? OR parent_id LIKE ? ESCAPE '\\'")
                .bind(0, uri).bind(1, below).execute();
    }

    public static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Iterates every live object of a list, for plugins' equality-filtered reads. */
    public List<ObjectNode> listEqual(Tx tx, String resource, String parentId, List<Filter> filters) {
        return list(tx, resource, parentId, new ListQuery(filters, List.of(Sort.LAST_MODIFIED_DESC), null, null), 0);
    }
}
