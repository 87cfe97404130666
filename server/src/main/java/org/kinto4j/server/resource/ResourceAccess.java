package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * Who may do what on a resource (spec 8), in Kinto's order of checks (spec 4): the permission an
 * operation needs, the ids a listing is narrowed to, the parent that must exist, and the part of
 * an object's ACL its reader may see.
 */
public final class ResourceAccess {

    private final ObjectStore objects;
    private final PermissionStore permissions;
    private final Authorizer authorizer;

    public ResourceAccess(ObjectStore objects, PermissionStore permissions, Authorizer authorizer) {
        this.objects = objects;
        this.permissions = permissions;
        this.authorizer = authorizer;
    }

    public void require(Tx tx, Caller caller, String uri, String permission, Target t) {
        if (!authorizer.allowed(tx, caller, uri, permission, t.kind().resourceName())) {
            throw denied(caller);
        }
    }

    /**
     * {@link #requireParentCollection}, and whether the caller holds {@code permission} on
     * {@code uri}, read in the same statement: the caller reports a denial where its checks'
     * order puts it ({@link #requireGranted}).
     */
    public boolean requireParentCollectionAndCheck(Tx tx, Caller caller, String uri, String permission, Target t) {
        if (t.kind() != ResourceKind.RECORD) {
            return authorizer.allowed(tx, caller, uri, permission, t.kind().resourceName());
        }
        PermissionStore.Check check = authorizer.allowedAndExists(tx, caller, uri, permission, t.kind().resourceName(),
                new PermissionStore.ObjectKey("collection", "/buckets/" + t.bucketId(), t.collectionId()));
        if (!check.exists()) {
            throw ServiceError.parentNotFound(t.collectionId(), "collection");
        }
        return check.granted();
    }

    /** Throws the denial (401 for anonymous callers, else 403) unless {@code granted}. */
    public static void requireGranted(boolean granted, Caller caller) {
        if (!granted) {
            throw denied(caller);
        }
    }

    public static ServiceError denied(Caller caller) {
        return caller.isAnonymous() ? ServiceError.unauthenticated() : ServiceError.forbidden();
    }

    public static String createPermission(Target t) {
        return t.kind().resourceName() + ":create";
    }

    /**
     * Authorizes a listing (GET/HEAD/DELETE on a plural URI): {@code null} when allowed on the
     * whole list, else the set of ids shared with the caller (possibly empty, spec 8.4 step 6).
     */
    public Set<String> authorizeListing(Tx tx, Caller caller, Target t, String permission) {
        if (authorizer.allowed(tx, caller, t.pluralUri(), permission, t.kind().resourceName())) {
            return null;
        }
        Set<String> own = permission.equals("write") ? Set.of("write") : t.kind().listingPermissions();
        Set<String> shared = permissions.childIdsGranted(tx, t.pluralUri(), own, caller.principals());
        if (!shared.isEmpty()) {
            return shared;
        }
        if (authorizer.allowed(tx, caller, t.pluralUri(), createPermission(t), t.kind().resourceName())) {
            return Set.of();
        }
        throw denied(caller);
    }

    /** Write on a missing object: allowed to go on (and get a 404) if the caller may read the list. */
    public void requireWriteOrParentRead(Tx tx, Caller caller, Target t, boolean exists) {
        if (authorizer.allowed(tx, caller, t.objectUri(), "write", t.kind().resourceName())) {
            return;
        }
        if (!exists && authorizer.allowed(tx, caller, t.pluralUri(), "read", t.kind().resourceName())) {
            return;
        }
        throw denied(caller);
    }

    public void requireParentCollection(Tx tx, Target t) {
        if (t.kind() == ResourceKind.RECORD
                && !objects.exists(tx, "collection", "/buckets/" + t.bucketId(), t.collectionId())) {
            throw ServiceError.parentNotFound(t.collectionId(), "collection");
        }
    }

    public static void validateObjectId(Target t) {
        if (!Ids.isValid(t.objectId())) {
            throw ServiceError.invalid("path", null, "Invalid object id");
        }
    }

    public ObjectNode objectBody(RequestScope scope, Caller caller, String uri, ObjectNode data) {
        Map<String, Set<String>> written = scope.writtenAcl(uri);
        return objectBody(caller, data, written != null ? written : permissions.acl(scope.tx(), uri));
    }

    /** {@code {data, permissions}} for an object whose ACL the caller already read. */
    public ObjectNode objectBody(Caller caller, ObjectNode data, Map<String, Set<String>> acl) {
        ObjectNode body = Json.object();
        body.set("data", data);
        body.set("permissions", visibleAcl(caller, acl));
        return body;
    }

    /** The object's ACL if the caller is in its own write ACE, else {} (spec 8.6). */
    public ObjectNode visibleAcl(RequestScope scope, Caller caller, String uri) {
        Map<String, Set<String>> written = scope.writtenAcl(uri);
        return visibleAcl(caller, written != null ? written : permissions.acl(scope.tx(), uri));
    }

    private static ObjectNode visibleAcl(Caller caller, Map<String, Set<String>> acl) {
        ObjectNode out = Json.object();
        Set<String> writers = acl.getOrDefault("write", Set.of());
        boolean visible = false;
        for (String p : caller.principals()) {
            if (writers.contains(p)) {
                visible = true;
                break;
            }
        }
        if (visible) {
            acl.forEach((perm, principals) -> {
                if (!principals.isEmpty()) {
                    ArrayNode arr = out.putArray(perm);
                    new TreeSet<>(principals).forEach(arr::add);
                }
            });
        }
        return out;
    }
}
