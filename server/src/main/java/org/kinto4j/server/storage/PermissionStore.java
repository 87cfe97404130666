package org.kinto4j.server.storage;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Access control entries ({@code object URI, permission -> principals}) and group memberships
 * ({@code user id -> principals}); both transactional with the data.
 */
public final class PermissionStore {

    /** Pseudo user whose principals every authenticated user gets (groups with system.Authenticated). */
    public static final String AUTHENTICATED = "system.Authenticated";

    private final boolean cachePrincipals;
    private final boolean announceChanges;
    private final PrincipalsCache principalsCache;
    private final Set<Tx> changingMemberships = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public PermissionStore() {
        this(false);
    }

    /**
     * @param cachePrincipals keep each user's group principals in memory; only correct when this
     *                        process is the database's only writer (the embedded H2 database)
     */
    public PermissionStore(boolean cachePrincipals) {
        this.cachePrincipals = cachePrincipals;
        this.announceChanges = false;
        this.principalsCache = new PrincipalsCache(cachePrincipals);
    }

    private PermissionStore(PgNotifications notifications) {
        this.cachePrincipals = true;
        this.announceChanges = true;
        this.principalsCache = new PrincipalsCache(false);
        notifications.subscribe(PrincipalsCache.CHANNEL, principalsCache);
    }

    /**
     * The store for a database: principals cached on H2 (one process owns it) and on PostgreSQL
     * while its notifications are listening (every membership change is announced to every
     * process); without notifications, not cached.
     */
    public static PermissionStore forDatabase(Database database) {
        return database.notifications().map(PermissionStore::new)
                .orElseGet(() -> new PermissionStore(database.dialect().serialisesWritesInProcess()));
    }

    /** Whether group principals are being cached right now (tests, operations). */
    public boolean cachingPrincipals() {
        return cachePrincipals && principalsCache.isOn();
    }

    /** The ACL of one object: permission name to principals, sorted by permission name. */
    public Map<String, Set<String>> acl(Tx tx, String objectUri) {
        Map<String, Set<String>> acl = new TreeMap<>();
        tx.handle().createQuery("SELECT permission, principal FROM access_control_entries WHERE object_id = ? "
                        + "ORDER BY permission, principal")
                .bind(0, objectUri)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> acl.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue()));
        return acl;
    }

    /** Replaces the whole ACL of an object. */
    public void replaceAcl(Tx tx, String objectUri, Map<String, ? extends Collection<String>> acl) {
        tx.beginWrite();
        tx.handle().createUpdate("DELETE FROM access_control_entries WHERE object_id = ?").bind(0, objectUri).execute();
        insertAcl(tx, objectUri, acl);
    }

    /** Writes the ACL of an object that has none yet (just created with a fresh id). */
    public void insertAcl(Tx tx, String objectUri, Map<String, ? extends Collection<String>> acl) {
        tx.beginWrite();
        PreparedBatch batch = tx.handle().prepareBatch(
                "INSERT INTO access_control_entries (object_id, permission, principal) VALUES (?, ?, ?)");
        int rows = 0;
        for (Map.Entry<String, ? extends Collection<String>> e : acl.entrySet()) {
            for (String principal : new LinkedHashSet<>(e.getValue())) {
                batch.bind(0, objectUri).bind(1, e.getKey()).bind(2, principal).add();
                rows++;
            }
        }
        if (rows > 0) {
            batch.execute();
        }
    }

    /** Deletes the ACL of {@code uri} and of every object below it. */
    public void deleteAclsUnder(Tx tx, String uri) {
        tx.beginWrite();
        tx.handle().createUpdate("DELETE FROM access_control_entries WHERE object_id = ? OR object_id LIKE ? ESCAPE '\\'")
                .bind(0, uri).bind(1, ObjectStore.escapeLike(uri) + "/%").execute();
    }

    public void deleteAcl(Tx tx, String uri) {
        tx.beginWrite();
        tx.handle().createUpdate("DELETE FROM access_control_entries WHERE object_id = ?").bind(0, uri).execute();
    }

    /**
     * Whether any of the (object URI, permission) pairs grants one of the principals. The only
     * condition is on object ids, the primary key's prefix, so every database reads just those
     * objects' ACEs (a handful); pairs and principals are checked here. A query OR-ing the pairs
     * and filtering on principals let H2 walk the principal index instead, whose entries for a
     * user grow with every object the user ever wrote: each list page cost grew with the data.
     */
    public boolean anyGranted(Tx tx, List<Map.Entry<String, String>> pairs, Set<String> principals) {
        if (pairs.isEmpty() || principals.isEmpty()) {
            return false;
        }
        return grantedAndExists(tx, pairs, principals, null).granted();
    }

    /** A live object the permission check also looks for: (resource, parent id, id). */
    public record ObjectKey(String resource, String parentId, String id) {
    }

    /** What {@link #grantedAndExists} found. */
    public record Check(boolean granted, boolean exists) {
    }

    /**
     * {@link #anyGranted} and whether {@code object} is stored and not deleted (a record's
     * collection, checked before creating in it): one round trip for both where the database
     * reuses a prepared {@code UNION}, two cached statements on H2. With {@code object} null,
     * {@code exists} is false.
     */
    public Check grantedAndExists(Tx tx, List<Map.Entry<String, String>> pairs, Set<String> principals,
            ObjectKey object) {
        Set<String> objects = new LinkedHashSet<>();
        Set<String> wanted = new HashSet<>();
        for (Map.Entry<String, String> pair : pairs) {
            objects.add(pair.getKey());
            wanted.add(pair.getKey() + '\n' + pair.getValue());
        }
        if (objects.isEmpty() && object == null) {
            return new Check(false, false);
        }
        if (!tx.dialect().reusesPreparedUnions()) {
            return new Check(!objects.isEmpty() && anyEntryMatches(tx, objects, wanted, principals),
                    object != null && isLive(tx, object));
        }
        StringBuilder sql = new StringBuilder();
        if (!objects.isEmpty()) {
            sql.append(ENTRIES_OF_OBJECTS);
        }
        if (object != null) {
            // The probe's row is the only one whose object_id is NULL.
            sql.append(objects.isEmpty() ? "" : " UNION ALL ").append("SELECT CAST(NULL AS VARCHAR(1024)), "
                    + "CAST(NULL AS VARCHAR(64)), CAST(NULL AS VARCHAR(1024)) FROM objects WHERE " + LIVE_OBJECT);
        }
        org.jdbi.v3.core.statement.Query q = tx.handle().createQuery(sql.toString());
        if (!objects.isEmpty()) {
            q.bindList("objects", List.copyOf(objects));
        }
        if (object != null) {
            bindKey(q, object);
        }
        boolean granted = false;
        boolean exists = false;
        for (String[] row : q.map(PermissionStore::entryRow).list()) {
            if (row[0] == null) {
                exists = true;
            } else if (matches(row, wanted, principals)) {
                granted = true;
            }
        }
        return new Check(granted, exists);
    }

    private static final String ENTRIES_OF_OBJECTS =
            "SELECT object_id, permission, principal FROM access_control_entries WHERE object_id IN (<objects>)";
    private static final String LIVE_OBJECT =
            "parent_id = :parent AND resource_name = :resource AND id = :id AND deleted = FALSE";

    private static boolean anyEntryMatches(Tx tx, Set<String> objects, Set<String> wanted, Set<String> principals) {
        return tx.handle().createQuery(ENTRIES_OF_OBJECTS).bindList("objects", List.copyOf(objects))
                .map(PermissionStore::entryRow).list().stream().anyMatch(row -> matches(row, wanted, principals));
    }

    private static boolean isLive(Tx tx, ObjectKey object) {
        return bindKey(tx.handle().createQuery("SELECT 1 FROM objects WHERE " + LIVE_OBJECT), object)
                .mapTo(Integer.class).findOne().isPresent();
    }

    private static org.jdbi.v3.core.statement.Query bindKey(org.jdbi.v3.core.statement.Query q, ObjectKey object) {
        return q.bind("parent", object.parentId()).bind("resource", object.resource()).bind("id", object.id());
    }

    private static String[] entryRow(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
    }

    private static boolean matches(String[] row, Set<String> wanted, Set<String> principals) {
        return principals.contains(row[2]) && wanted.contains(row[0] + '\n' + row[1]);
    }

    /**
     * Ids of the direct children of {@code pluralUri} (e.g. {@code /buckets/b/collections})
     * on which one of the principals holds one of the permissions through the child's own ACL.
     */
    public Set<String> childIdsGranted(Tx tx, String pluralUri, Set<String> permissions, Set<String> principals) {
        String prefix = pluralUri + "/";
        Set<String> ids = new HashSet<>();
        tx.handle().createQuery("SELECT object_id FROM access_control_entries WHERE object_id LIKE :prefix ESCAPE '\\' "
                        + "AND permission IN (<perms>) AND principal IN (<principals>)")
                .bind("prefix", ObjectStore.escapeLike(prefix) + "%")
                .bindList("perms", List.copyOf(permissions))
                .bindList("principals", List.copyOf(principals))
                .mapTo(String.class)
                .forEach(objectId -> {
                    String rest = objectId.substring(prefix.length());
                    if (!rest.isEmpty() && rest.indexOf('/') < 0) {
                        ids.add(rest);
                    }
                });
        return ids;
    }

    /** Every (object URI -> permissions) where one of the principals is listed explicitly. */
    public Map<String, Set<String>> objectsGranted(Tx tx, Set<String> principals) {
        Map<String, Set<String>> out = new TreeMap<>();
        if (principals.isEmpty()) {
            return out;
        }
        tx.handle().createQuery("SELECT object_id, permission FROM access_control_entries WHERE principal IN (<principals>)")
                .bindList("principals", List.copyOf(principals))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue()));
        return out;
    }

    // ---- group memberships ---------------------------------------------------------------

    /** Group principals of an authenticated user, including those granted to every authenticated user. */
    public Set<String> userPrincipals(Tx tx, String userId) {
        if (!cachePrincipals || changingMemberships.contains(tx)) {
            return loadUserPrincipals(tx, userId);
        }
        Set<String> cached = principalsCache.get(userId);
        if (cached != null) {
            return cached;
        }
        long generation = principalsCache.generation();
        Set<String> loaded = java.util.Collections.unmodifiableSet(loadUserPrincipals(tx, userId));
        principalsCache.put(userId, loaded, generation);
        return loaded;
    }

    /**
     * A membership write: no cached principals survive it, committed or rolled back; on
     * PostgreSQL every process is told at commit.
     */
    private void membershipsChanging(Tx tx) {
        if (!cachePrincipals) {
            return;
        }
        if (changingMemberships.add(tx)) {
            if (announceChanges) {
                PgNotifications.send(tx.handle(), PrincipalsCache.CHANNEL, "");
            }
            tx.afterEnd(() -> {
                principalsCache.invalidate();
                changingMemberships.remove(tx);
            });
        }
        principalsCache.invalidate();
    }

    private Set<String> loadUserPrincipals(Tx tx, String userId) {
        Set<String> out = new LinkedHashSet<>();
        tx.handle().createQuery("SELECT principal FROM user_principals WHERE user_id IN (?, ?)")
                .bind(0, userId).bind(1, AUTHENTICATED)
                .mapTo(String.class).forEach(out::add);
        return out;
    }

    public void addUserPrincipal(Tx tx, String userId, String principal) {
        tx.beginWrite();
        membershipsChanging(tx);
        int n = tx.handle().createQuery("SELECT COUNT(*) FROM user_principals WHERE user_id = ? AND principal = ?")
                .bind(0, userId).bind(1, principal).mapTo(Integer.class).one();
        if (n == 0) {
            tx.handle().createUpdate("INSERT INTO user_principals (user_id, principal) VALUES (?, ?)")
                    .bind(0, userId).bind(1, principal).execute();
        }
    }

    public void removeUserPrincipal(Tx tx, String userId, String principal) {
        tx.beginWrite();
        membershipsChanging(tx);
        tx.handle().createUpdate("DELETE FROM user_principals WHERE user_id = ? AND principal = ?")
                .bind(0, userId).bind(1, principal).execute();
    }

    /** Removes a principal from every user (a group was deleted). */
    public void removePrincipal(Tx tx, String principal) {
        tx.beginWrite();
        membershipsChanging(tx);
        tx.handle().createUpdate("DELETE FROM user_principals WHERE principal = ?").bind(0, principal).execute();
    }

    /** Removes every group principal below a bucket URI (the bucket was deleted). */
    public void removePrincipalsUnder(Tx tx, String uri) {
        tx.beginWrite();
        membershipsChanging(tx);
        tx.handle().createUpdate("DELETE FROM user_principals WHERE principal LIKE ? ESCAPE '\\'")
                .bind(0, ObjectStore.escapeLike(uri) + "/%").execute();
    }

    /** Deletes every ACL and group membership (the flush endpoint); cached principals go too. */
    public void deleteAll(Tx tx) {
        tx.beginWrite();
        membershipsChanging(tx);
        tx.handle().createUpdate("DELETE FROM access_control_entries").execute();
        tx.handle().createUpdate("DELETE FROM user_principals").execute();
    }
}
