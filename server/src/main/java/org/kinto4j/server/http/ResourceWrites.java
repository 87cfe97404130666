package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.Envelope;
import org.kinto4j.server.resource.Ids;
import org.kinto4j.server.resource.JsonPatch;
import org.kinto4j.server.resource.ObjectPatches;
import org.kinto4j.server.resource.ObjectWrites;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.resource.ResourceAccess;
import org.kinto4j.server.resource.Target;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Tx;

/** {@code PUT} and {@code PATCH} of one bucket, collection, group or record (spec 5.4, 5.5). */
final class ResourceWrites {

    private final ObjectStore objects;
    private final org.kinto4j.server.storage.PermissionStore permissions;
    private final ResourceAccess access;
    private final ObjectWrites writes;

    ResourceWrites(ObjectStore objects, org.kinto4j.server.storage.PermissionStore permissions, ResourceAccess access,
            ObjectWrites writes) {
        this.objects = objects;
        this.permissions = permissions;
        this.access = access;
        this.writes = writes;
    }

    ApiResponse put(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        access.requireParentCollection(tx, t);
        ContentNegotiation.checkAccept(req);
        ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON));
        objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        ObjectNode existing = Ids.isValid(t.objectId())
                ? objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null) : null;
        Preconditions pre = req.preconditions();
        boolean creating = existing == null || (pre.ifNoneMatch() != null && pre.ifNoneMatch() == Preconditions.ANY);
        if (creating) {
            access.require(tx, caller, t.pluralUri(), ResourceAccess.createPermission(t), t);
        } else {
            access.require(tx, caller, t.objectUri(), "write", t);
        }
        ResourceAccess.validateObjectId(t);
        Envelope envelope = Envelope.parse(Envelope.parseJson(req.body()), t.kind());
        pre.checkWrite(existing, () -> objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()));
        ObjectNode data = envelope.data() == null ? null : envelope.data().deepCopy();
        if (data != null && data.has("id")) {
            JsonNode bodyId = data.get("id");
            if (!bodyId.isTextual() || !bodyId.textValue().equals(t.objectId())) {
                throw KintoException.invalid("body", "id", "Object id does not match existing object");
            }
        }
        if (existing == null) {
            ObjectNode created = writes.insert(scope, t, caller, t.objectId(), data == null ? Json.object() : data,
                    envelope.permissions(), false);
            scope.emit(t, caller, Action.CREATE, created.path("last_modified").asLong(), ObjectWrites.impacted(created, null));
            return HttpDates.withTimestamp(new ApiResponse(201, access.objectBody(scope, caller, t.objectUri(), created)),
                    created.path("last_modified").asLong());
        }
        ObjectNode replacement;
        if (data == null) {
            replacement = existing.deepCopy();
            replacement.remove("last_modified");
        } else {
            replacement = data;
        }
        Map<String, Set<String>> acl = null;
        if (envelope.permissions() != null && !envelope.permissions().isEmpty()) {
            acl = new TreeMap<>();
            for (Map.Entry<String, Set<String>> e : envelope.permissions().entrySet()) {
                if (e.getValue() != null) {
                    acl.put(e.getKey(), new LinkedHashSet<>(e.getValue()));
                }
            }
        }
        ObjectNode updated = writes.replace(scope, t, caller, existing, replacement, acl);
        return HttpDates.withTimestamp(new ApiResponse(200, access.objectBody(scope, caller, t.objectUri(), updated)),
                updated.path("last_modified").asLong());
    }

    ApiResponse patch(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        access.requireParentCollection(tx, t);
        ContentNegotiation.checkAccept(req);
        String type = ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON, ContentNegotiation.MERGE_PATCH, ContentNegotiation.JSON_PATCH));
        objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        ObjectNode existing = Ids.isValid(t.objectId())
                ? objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null) : null;
        access.requireWriteOrParentRead(tx, caller, t, existing != null);
        ResourceAccess.validateObjectId(t);
        String behavior = responseBehavior(req);
        if (existing == null) {
            throw KintoException.objectNotFound(t.objectId(), t.kind().resourceName());
        }
        Preconditions pre = req.preconditions();
        pre.checkWrite(existing);
        JsonNode json = Envelope.parseJson(req.body());
        ObjectNode data = existing.deepCopy();
        Map<String, Set<String>> acl = new TreeMap<>(permissions.acl(tx, t.objectUri()));
        ObjectNode requested;
        if (type.equals(ContentNegotiation.JSON_PATCH)) {
            JsonPatch.validate(json);
            ObjectPatches.applyJsonPatch(t, data, acl, json);
            requested = data.deepCopy();
        } else {
            Envelope envelope = Envelope.parse(json, t.kind());
            if (envelope.data() == null && envelope.permissions() == null) {
                throw KintoException.invalid("body", "data", "Provide at least one of data or permissions");
            }
            requested = envelope.data() == null ? Json.object() : envelope.data().deepCopy();
            if (envelope.data() != null) {
                if (envelope.data().has("id") && !ObjectPatches.isId(envelope.data().get("id"), t.objectId())) {
                    throw KintoException.invalid("body", "id", "Object id does not match existing object");
                }
                if (type.equals(ContentNegotiation.MERGE_PATCH)) {
                    ObjectPatches.mergePatch(data, envelope.data());
                } else {
                    envelope.data().properties().forEach(e -> data.set(e.getKey(), e.getValue()));
                }
            }
            if (envelope.permissions() != null) {
                envelope.permissions().forEach((perm, principals) -> {
                    if (principals == null) {
                        if (type.equals(ContentNegotiation.MERGE_PATCH)) {
                            acl.remove(perm);
                        }
                    } else {
                        acl.put(perm, new LinkedHashSet<>(principals));
                    }
                });
            }
        }
        if (!data.path("id").isTextual() || !data.get("id").textValue().equals(t.objectId())) {
            throw KintoException.invalid("body", "id", "Object id does not match existing object");
        }
        if (data.path("last_modified").equals(existing.path("last_modified"))) {
            data.remove("last_modified");
        }
        ObjectNode updated = writes.replace(scope, t, caller, existing, data, acl);
        // light and diff bodies hold only "data", as Kinto's (its partial object carries no permissions)
        ObjectNode body = behavior.equals("full") ? access.objectBody(scope, caller, t.objectUri(), updated)
                : Json.object().set("data", ObjectPatches.partialResponse(behavior, existing, requested, updated));
        return HttpDates.withTimestamp(new ApiResponse(200, body),
                updated.path("last_modified").asLong());
    }

    /** The {@code Response-Behavior} header of a PATCH: full (default), light or diff; else 400. */
    private static String responseBehavior(ApiRequest req) {
        String value = req.header("Response-Behavior");
        if (value == null) {
            return "full";
        }
        if (!value.equals("full") && !value.equals("light") && !value.equals("diff")) {
            throw KintoException.invalid("header", "Response-Behavior",
                    "\"" + value + "\" is not one of full, light, diff");
        }
        return value;
    }
}
