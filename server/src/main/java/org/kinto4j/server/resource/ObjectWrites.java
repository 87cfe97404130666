package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * The resource engine's writes: an object stored with its ACL (the writer added when permissions
 * are explicit), its fields checked against Kinto's rules and the collection's schema, a client's
 * {@code last_modified} honoured, tombstones, the default bucket's implicit objects, and the event
 * of each write.
 */
public final class ObjectWrites {

    /** The greatest timestamp Kinto accepts from a client (9999-12-31T23:59:59.999Z). */
    public static final long MAX_TIMESTAMP = 253_402_300_799_999L;

    private final ObjectStore objects;
    private final PermissionStore permissions;
    private final SchemaValidator schemas;
    private final boolean explicitPermissions;

    public ObjectWrites(ObjectStore objects, PermissionStore permissions, SchemaValidator schemas,
            boolean explicitPermissions) {
        this.objects = objects;
        this.permissions = permissions;
        this.schemas = schemas;
        this.explicitPermissions = explicitPermissions;
    }

    /**
     * Validates and stores a new object with its ACL; returns the stored object. {@code freshId}:
     * the id was just generated (no tombstone, no ACL can exist for it).
     */
    public ObjectNode insert(RequestScope scope, Target t, Caller caller, String id, ObjectNode data,
            Map<String, Set<String>> acl, boolean freshId) {
        Tx tx = scope.tx();
        Long forced = forcedTimestamp(data);
        data.remove("last_modified");
        data.put("id", id);
        validateData(t.kind(), data);
        schemas.process(tx, t.object(id), data);
        Map<String, Set<String>> newAcl = new TreeMap<>();
        if (acl != null) {
            acl.forEach((perm, principals) -> {
                if (principals != null) {
                    newAcl.put(perm, new LinkedHashSet<>(principals));
                }
            });
        }
        addWriter(newAcl, caller);
        ObjectNode stored;
        if (freshId) {
            stored = objects.createFresh(tx, t.kind().resourceName(), t.parentId(), data, forced, t.objectUri(id), newAcl);
        } else {
            stored = objects.create(tx, t.kind().resourceName(), t.parentId(), data, forced, false);
            permissions.replaceAcl(tx, t.objectUri(id), newAcl);
        }
        scope.rememberAcl(t.objectUri(id), newAcl);
        return stored;
    }

    /**
     * Stores a new version of an existing object; {@code acl} replaces the whole ACL when not
     * null. Emits the update event.
     */
    public ObjectNode replace(RequestScope scope, Target t, Caller caller, ObjectNode existing, ObjectNode data,
            Map<String, Set<String>> acl) {
        Tx tx = scope.tx();
        Long forced = forcedTimestamp(data);
        data.remove("last_modified");
        data.put("id", t.objectId());
        validateData(t.kind(), data);
        schemas.process(tx, t, data);
        long previous = existing.path("last_modified").asLong();
        ObjectNode stored = objects.update(tx, t.kind().resourceName(), t.parentId(), data, previous, forced);
        Map<String, Set<String>> newAcl = acl != null ? acl : new TreeMap<>(permissions.acl(tx, t.objectUri()));
        addWriter(newAcl, caller);
        permissions.replaceAcl(tx, t.objectUri(), newAcl);
        scope.rememberAcl(t.objectUri(), newAcl);
        scope.emit(t, caller, Action.UPDATE, stored.path("last_modified").asLong(), impacted(stored, existing));
        return stored;
    }

    public ObjectNode remove(RequestScope scope, Target t, ObjectNode existing, Long forced) {
        Tx tx = scope.tx();
        String id = existing.get("id").textValue();
        ObjectNode tombstone = objects.delete(tx, t.kind().resourceName(), t.parentId(), id,
                existing.path("last_modified").asLong(), forced);
        permissions.deleteAcl(tx, t.objectUri(id));
        return tombstone;
    }

    private void addWriter(Map<String, Set<String>> acl, Caller caller) {
        if (explicitPermissions) {
            acl.computeIfAbsent("write", k -> new LinkedHashSet<>()).add(caller.writerPrincipal());
        }
    }

    private static Long forcedTimestamp(ObjectNode data) {
        JsonNode lm = data.get("last_modified");
        if (lm != null && lm.isIntegralNumber() && lm.canConvertToLong() && lm.longValue() >= 0
                && lm.longValue() <= MAX_TIMESTAMP) {
            return lm.longValue();
        }
        return null;
    }

    /** Per-resource field rules (spec 3.2). */
    private static void validateData(ResourceKind kind, ObjectNode data) {
        if (kind == ResourceKind.GROUP) {
            JsonNode members = data.get("members");
            if (members == null) {
                data.putArray("members");
                return;
            }
            if (!members.isArray()) {
                throw ServiceError.invalid("body", "data.members", members + " is not iterable");
            }
            for (JsonNode m : members) {
                if (!m.isTextual()) {
                    throw ServiceError.invalid("body", "data.members", m + " is not a string");
                }
                String s = m.textValue();
                if (s.startsWith("/buckets/") || s.equals(Caller.EVERYONE)) {
                    throw ServiceError.invalid("body", "data.members", "'" + s + "' is not a valid user ID.");
                }
            }
        }
    }

    public static ArrayNode impacted(ObjectNode newObj, ObjectNode oldObj) {
        ArrayNode list = Json.array();
        ObjectNode entry = list.addObject();
        entry.set("new", newObj.deepCopy());
        if (oldObj != null) {
            entry.set("old", oldObj.deepCopy());
        }
        return list;
    }

    public static ArrayNode readImpacted(List<? extends JsonNode> read) {
        ArrayNode list = Json.array();
        for (JsonNode o : read) {
            list.addObject().set("new", o.deepCopy());
        }
        return list;
    }

    /** Creates the bucket (and collection) of a default-bucket request if missing, with create events. */
    public void ensureDefaultObjects(RequestScope scope, Caller caller, String bucketId, String collectionId,
            boolean skipBucket, boolean skipCollection) {
        Tx tx = scope.tx();
        if (!skipBucket && scope.markImplicit("/buckets/" + bucketId)
                && !objects.exists(tx, "bucket", "", bucketId)
                && objects.absentUnderLock(tx, "bucket", "", bucketId)) {
            Target bucket = new Target(ResourceKind.BUCKET, false, bucketId, null, bucketId);
            ObjectNode created = insert(scope, bucket, caller, bucketId, Json.object(), null, false);
            scope.emit(bucket, caller, Action.CREATE, created.path("last_modified").asLong(), impacted(created, null));
        }
        if (collectionId != null && !skipCollection) {
            if (!Ids.isValid(collectionId)) {
                throw ServiceError.invalid("path", null, "Invalid collection id");
            }
            String uri = "/buckets/" + bucketId + "/collections/" + collectionId;
            if (scope.markImplicit(uri) && !objects.exists(tx, "collection", "/buckets/" + bucketId, collectionId)
                    && objects.absentUnderLock(tx, "collection", "/buckets/" + bucketId, collectionId)) {
                Target collection = new Target(ResourceKind.COLLECTION, false, bucketId, collectionId, collectionId);
                ObjectNode created = insert(scope, collection, caller, collectionId, Json.object(), null, false);
                scope.emit(collection, caller, Action.CREATE, created.path("last_modified").asLong(),
                        impacted(created, null));
            }
        }
    }
}
