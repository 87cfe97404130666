package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.http.ApiRequest;
import org.kinto4j.server.http.ApiResponse;
import org.kinto4j.server.http.HttpDates;
import org.kinto4j.server.http.KintoException;
import org.kinto4j.server.http.UrlCodec;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * The generic Kinto resource endpoints (spec 5) for buckets, collections, groups and records:
 * plural GET/HEAD/POST/DELETE and object GET/HEAD/PUT/PATCH/DELETE, with Kinto's order of
 * checks (spec 4), permissions (spec 8), preconditions (spec 7) and events (spec 13.3).
 */
public final class ResourceHandler {

    public static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";

    private final ObjectStore objects;
    private final PermissionStore permissions;
    private final Authorizer authorizer;
    private final ServerSettings settings;
    private final Ids ids = new Ids();
    private final LongSupplier clock;
    private final PermissionsView permissionsView;
    private final SchemaValidator schemas;
    private final PaginationNonces deleteNonces;

    public ResourceHandler(ObjectStore objects, PermissionStore permissions, Authorizer authorizer,
            ServerSettings settings, LongSupplier clock) {
        this.objects = objects;
        this.permissions = permissions;
        this.authorizer = authorizer;
        this.settings = settings;
        this.clock = clock;
        this.permissionsView = new PermissionsView(objects, permissions, authorizer, settings, clock);
        this.schemas = new SchemaValidator(settings.schemaValidation(), objects);
        this.deleteNonces = new PaginationNonces(settings.paginationTokenValiditySeconds(), clock);
    }

    /** {@code GET/HEAD /v1/permissions} (spec 8.10); the caller checks that the endpoint is enabled. */
    public ApiResponse permissionsEndpoint(RequestScope scope, ApiRequest req, Caller caller) {
        return permissionsView.handle(scope, req, caller);
    }

    public ApiResponse handle(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        String m = req.method();
        if (t.plural()) {
            return switch (m) {
                case "GET", "HEAD" -> list(scope, req, t, caller);
                case "POST" -> create(scope, req, t, caller);
                case "DELETE" -> deleteList(scope, req, t, caller);
                default -> throw KintoException.methodNotAllowed("DELETE, GET, HEAD, OPTIONS, POST");
            };
        }
        return switch (m) {
            case "GET", "HEAD" -> get(scope, req, t, caller);
            case "PUT" -> put(scope, req, t, caller);
            case "PATCH" -> patch(scope, req, t, caller);
            case "DELETE" -> delete(scope, req, t, caller);
            default -> throw KintoException.methodNotAllowed("DELETE, GET, HEAD, OPTIONS, PATCH, PUT");
        };
    }

    // ---- negotiation ----------------------------------------------------------------------

    static void checkAccept(ApiRequest req) {
        String accept = req.header("Accept");
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String part : accept.split(",")) {
            String type = part.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals("*/*") || type.equals("application/*") || type.equals(JSON) || type.isEmpty()) {
                return;
            }
        }
        throw KintoException.invalidWithStatus(406, "header", "Accept",
                "Accept header should be one of ['application/json']");
    }

    /** The media type of the body (defaults to JSON when absent); 415 when not allowed. */
    public static String checkContentType(ApiRequest req, List<String> allowed) {
        String ct = req.header("Content-Type");
        if (ct == null || ct.isBlank()) {
            return JSON;
        }
        String type = ct.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(type)) {
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < allowed.size(); i++) {
                list.append(i > 0 ? ", " : "").append('\'').append(allowed.get(i)).append('\'');
            }
            list.append(']');
            throw KintoException.invalidWithStatus(415, "header", "Content-Type",
                    "Content-Type header should be one of " + list);
        }
        return type;
    }

    // ---- authorization helpers -------------------------------------------------------------

    private void require(Tx tx, Caller caller, String uri, String permission, Target t) {
        if (!authorizer.allowed(tx, caller, uri, permission, t.kind().resourceName())) {
            throw denied(caller);
        }
    }

    static KintoException denied(Caller caller) {
        return caller.isAnonymous() ? KintoException.unauthorized() : KintoException.forbidden();
    }

    private String createPermission(Target t) {
        return t.kind().resourceName() + ":create";
    }

    /**
     * Authorizes a listing (GET/HEAD/DELETE on a plural URI): {@code null} when allowed on the
     * whole list, else the set of ids shared with the caller (possibly empty, spec 8.4 step 6).
     */
    private Set<String> authorizeListing(Tx tx, Caller caller, Target t, String permission) {
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
    private void requireWriteOrParentRead(Tx tx, Caller caller, Target t, boolean exists) {
        if (authorizer.allowed(tx, caller, t.objectUri(), "write", t.kind().resourceName())) {
            return;
        }
        if (!exists && authorizer.allowed(tx, caller, t.pluralUri(), "read", t.kind().resourceName())) {
            return;
        }
        throw denied(caller);
    }

    private void requireParentCollection(Tx tx, Target t) {
        if (t.kind() == ResourceKind.RECORD
                && objects.get(tx, "collection", "/buckets/" + t.bucketId(), t.collectionId()).isEmpty()) {
            throw KintoException.parentNotFound(t.collectionId(), "collection");
        }
    }

    private static void validateObjectId(Target t) {
        if (!Ids.isValid(t.objectId())) {
            throw KintoException.invalid("path", null, "Invalid object id");
        }
    }

    // ---- responses ---------------------------------------------------------------------------

    private ObjectNode objectBody(RequestScope scope, Caller caller, String uri, ObjectNode data) {
        ObjectNode body = Json.object();
        body.set("data", data);
        body.set("permissions", visibleAcl(scope, caller, uri));
        return body;
    }

    /** The object's ACL if the caller is in its own write ACE, else {} (spec 8.6). */
    private ObjectNode visibleAcl(RequestScope scope, Caller caller, String uri) {
        Map<String, Set<String>> written = scope.writtenAcl(uri);
        Map<String, Set<String>> acl = written != null ? written : permissions.acl(scope.tx(), uri);
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

    private static ApiResponse withTimestamp(ApiResponse r, long ts) {
        return r.header("ETag", HttpDates.etag(ts)).header("Last-Modified", HttpDates.httpDate(ts));
    }

    private static ArrayNode impacted(ObjectNode newObj, ObjectNode oldObj) {
        ArrayNode list = Json.array();
        ObjectNode entry = list.addObject();
        entry.set("new", newObj.deepCopy());
        if (oldObj != null) {
            entry.set("old", oldObj.deepCopy());
        }
        return list;
    }

    private static ArrayNode readImpacted(List<? extends JsonNode> read) {
        ArrayNode list = Json.array();
        for (JsonNode o : read) {
            list.addObject().set("new", o.deepCopy());
        }
        return list;
    }

    // ---- object GET / HEAD ---------------------------------------------------------------

    private ApiResponse get(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        checkAccept(req);
        Tx tx = scope.tx();
        require(tx, caller, t.objectUri(), "read", t);
        validateObjectId(t);
        ObjectNode obj = objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null);
        if (obj == null) {
            // A stored record implies its collection (deleting one purges the other), so the
            // parent is only looked up to tell 404 errno 111 from errno 110.
            requireParentCollection(tx, t);
            throw KintoException.objectNotFound(t.objectId(), t.kind().resourceName());
        }
        long lm = obj.path("last_modified").asLong();
        Preconditions pre = Preconditions.of(req);
        if (pre.checkRead(lm, obj)) {
            return withTimestamp(new ApiResponse(304, null), lm).expose(ApiResponse.ExposeHeaders.OBJECT_READ);
        }
        List<String> fields = fieldsParam(req);
        ObjectNode data = fields == null ? obj : project(obj, fields);
        ObjectNode body;
        if (fields == null) {
            body = objectBody(scope, caller, t.objectUri(), data);
        } else {
            body = Json.object();
            body.set("data", data);
        }
        if (scope.readEventsWanted()) {
            scope.emit(t, caller, Action.READ, objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()),
                    readImpacted(List.of(data)));
        }
        ApiResponse r = new ApiResponse(200, body).header("Cache-Control", "no-cache, no-store")
                .expose(ApiResponse.ExposeHeaders.OBJECT_READ);
        return withTimestamp(r, lm);
    }

    private static List<String> fieldsParam(ApiRequest req) {
        String raw = req.queryParam("_fields");
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String f : raw.split(",")) {
            if (!f.isBlank()) {
                out.add(f.trim());
            }
        }
        return out;
    }

    static ObjectNode project(ObjectNode obj, List<String> fields) {
        ObjectNode out = Json.object();
        out.set("id", obj.get("id"));
        out.set("last_modified", obj.get("last_modified"));
        if (obj.has("deleted")) {
            out.set("deleted", obj.get("deleted"));
        }
        for (String f : fields) {
            if (obj.has(f)) {
                out.set(f, obj.get(f));
                continue;
            }
            String[] parts = f.split("\\.");
            JsonNode src = obj;
            ObjectNode dst = out;
            for (int i = 0; i < parts.length && src != null && src.isObject(); i++) {
                JsonNode next = src.get(parts[i]);
                if (next == null) {
                    break;
                }
                if (i == parts.length - 1) {
                    dst.set(parts[i], next);
                } else {
                    JsonNode existing = dst.get(parts[i]);
                    dst = existing instanceof ObjectNode o ? o : dst.putObject(parts[i]);
                }
                src = next;
            }
        }
        return out;
    }

    // ---- plural GET / HEAD ---------------------------------------------------------------

    private ApiResponse list(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        checkAccept(req);
        Tx tx = scope.tx();
        Set<String> onlyIds = authorizeListing(tx, caller, t, "read");
        requireParentCollection(tx, t);
        long ts = listTimestamp(tx, t);
        ListParams params = ListParams.parse(req, settings.paginateBy(), settings.storageMaxFetchSize(), clock.getAsLong());
        boolean head = req.method().equals("HEAD");
        Preconditions pre = Preconditions.of(req);
        if (pre.checkRead(ts, null)) {
            return withTimestamp(new ApiResponse(304, null), ts).expose(ApiResponse.ExposeHeaders.LIST_READ);
        }
        ListQuery query = params.query().withOnlyIds(onlyIds);
        ApiResponse r;
        if (head) {
            long total = onlyIds != null && onlyIds.isEmpty() ? 0
                    : objects.count(tx, t.kind().resourceName(), t.parentId(), query.withAfter(null));
            ObjectNode empty = Json.object();
            empty.putArray("data");
            r = new ApiResponse(200, empty).header("Total-Objects", Long.toString(total))
                    .header("Total-Records", Long.toString(total)).expose(ApiResponse.ExposeHeaders.LIST_HEAD);
            if (scope.readEventsWanted()) {
                scope.emit(t, caller, Action.READ, ts, Json.array());
            }
        } else {
            List<ObjectNode> page = onlyIds != null && onlyIds.isEmpty() ? List.of()
                    : objects.list(tx, t.kind().resourceName(), t.parentId(), query, params.limit() + 1);
            boolean more = page.size() > params.limit();
            if (more) {
                page = page.subList(0, params.limit());
            }
            ArrayNode data = Json.array();
            for (ObjectNode o : page) {
                data.add(params.fields() == null ? o : project(o, params.fields()));
            }
            ObjectNode body = Json.object();
            body.set("data", data);
            r = new ApiResponse(200, body).expose(ApiResponse.ExposeHeaders.LIST_READ);
            if (more) {
                r.header("Next-Page", nextPageUrl(req, params, page.get(page.size() - 1),
                        params.offset() + page.size() + 1));
            }
            if (scope.readEventsWanted()) {
                List<JsonNode> read = new ArrayList<>();
                data.forEach(read::add);
                scope.emit(t, caller, Action.READ, ts, readImpacted(read));
            }
        }
        if (params.deprecatedTo()) {
            r.header("Alert", "{\"code\": \"soft-eol\", \"message\": \"_to is now deprecated, you should use _before "
                    + "instead\", \"url\": \"https://kinto.readthedocs.io/en/2.4.0/api/resource.html#list-of-available-url-parameters\"}");
        }
        r.header("Cache-Control", "no-cache, no-store");
        return withTimestamp(r, ts);
    }

    /**
     * The list's collection timestamp. Reading one that was never written initialises it; a
     * readonly server cannot, so it answers 503 as Kinto does (spec 3.4).
     */
    private long listTimestamp(Tx tx, Target t) {
        if (settings.readonly()) {
            return objects.storedCollectionTimestamp(tx, t.kind().resourceName(), t.parentId())
                    .orElseThrow(() -> KintoException.backend("Resource timestamp cannot be written. Plural endpoint "
                            + "must be hit at least once from a writable instance."));
        }
        return objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId());
    }

    private String nextPageUrl(ApiRequest req, ListParams params, JsonNode last, int fetched) {
        return nextPageUrl(req, params, params.nextToken(last, fetched));
    }

    /** The Next-Page URL: the request's URL and query, with {@code _limit} and {@code _token} replaced. */
    static String nextPageUrl(ApiRequest req, ListParams params, String token) {
        StringBuilder url = new StringBuilder(req.baseUrl()).append(req.path()).append('?');
        boolean first = true;
        for (Map.Entry<String, String> q : req.query()) {
            if (q.getKey().equals("_limit") || q.getKey().equals("_token")) {
                continue;
            }
            url.append(first ? "" : "&").append(UrlCodec.encodeQueryComponent(q.getKey())).append('=')
                    .append(UrlCodec.encodeQueryComponent(q.getValue()));
            first = false;
        }
        url.append(first ? "" : "&").append("_limit=").append(params.limit())
                .append("&_token=").append(UrlCodec.encodeQueryComponent(token));
        return url.toString();
    }

    // ---- plural POST ---------------------------------------------------------------------

    private ApiResponse create(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        requireParentCollection(tx, t);
        checkAccept(req);
        checkContentType(req, List.of(JSON));
        JsonNode json;
        KintoException bodyError = null;
        try {
            json = Envelope.parseJson(req.body());
        } catch (KintoException e) {
            json = null;
            bodyError = e;
        }
        String id = null;
        if (json != null && json.isObject() && json.path("data").isObject() && json.get("data").has("id")) {
            JsonNode idNode = json.get("data").get("id");
            if (!idNode.isTextual() || !Ids.isValid(idNode.textValue())) {
                throw KintoException.invalid("path", null, "Invalid object id");
            }
            id = idNode.textValue();
        }
        if (id != null) {
            objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        }
        ObjectNode existing = id == null ? null
                : objects.get(tx, t.kind().resourceName(), t.parentId(), id).orElse(null);
        if (existing != null) {
            require(tx, caller, t.objectUri(id), "read", t);
        } else {
            require(tx, caller, t.pluralUri(), createPermission(t), t);
        }
        if (bodyError != null) {
            throw bodyError;
        }
        Envelope envelope = Envelope.parse(json, t.kind());
        Preconditions pre = Preconditions.of(req);
        if (existing == null && pre.ifMatch() != null) {
            pre.checkWrite(null, () -> objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()));
        }
        if (existing != null) {
            pre.checkWrite(existing);
            long lm = existing.path("last_modified").asLong();
            if (scope.readEventsWanted()) {
                scope.emit(t, caller, Action.READ, objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()),
                        readImpacted(List.of(existing)));
            }
            return withTimestamp(new ApiResponse(200, objectBody(scope, caller, t.objectUri(id), existing)), lm);
        }
        ObjectNode data = envelope.data() == null ? Json.object() : envelope.data().deepCopy();
        boolean freshId = id == null;
        if (freshId) {
            id = ids.generate(t.kind());
        }
        ObjectNode created = insert(scope, t, caller, id, data, envelope.permissions(), freshId);
        scope.emit(t, caller, Action.CREATE, created.path("last_modified").asLong(), impacted(created, null));
        long lm = created.path("last_modified").asLong();
        return withTimestamp(new ApiResponse(201, objectBody(scope, caller, t.objectUri(id), created)), lm);
    }

    /**
     * Validates and stores a new object with its ACL; returns the stored object. {@code freshId}:
     * the id was just generated (no tombstone, no ACL can exist for it).
     */
    ObjectNode insert(RequestScope scope, Target t, Caller caller, String id, ObjectNode data,
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

    private void addWriter(Map<String, Set<String>> acl, Caller caller) {
        if (settings.explicitPermissions()) {
            acl.computeIfAbsent("write", k -> new LinkedHashSet<>()).add(caller.writerPrincipal());
        }
    }

    private static Long forcedTimestamp(ObjectNode data) {
        JsonNode lm = data.get("last_modified");
        if (lm != null && lm.isIntegralNumber() && lm.canConvertToLong() && lm.longValue() >= 0
                && lm.longValue() <= HttpDates.MAX_TIMESTAMP) {
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
                throw KintoException.invalid("body", "data.members", members + " is not iterable");
            }
            for (JsonNode m : members) {
                if (!m.isTextual()) {
                    throw KintoException.invalid("body", "data.members", m + " is not a string");
                }
                String s = m.textValue();
                if (s.startsWith("/buckets/") || s.equals(Caller.EVERYONE)) {
                    throw KintoException.invalid("body", "data.members", "'" + s + "' is not a valid user ID.");
                }
            }
        }
    }

    // ---- object PUT ----------------------------------------------------------------------

    private ApiResponse put(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        requireParentCollection(tx, t);
        checkAccept(req);
        checkContentType(req, List.of(JSON));
        objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        ObjectNode existing = Ids.isValid(t.objectId())
                ? objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null) : null;
        Preconditions pre = Preconditions.of(req);
        boolean creating = existing == null || (pre.ifNoneMatch() != null && pre.ifNoneMatch() == Preconditions.ANY);
        if (creating) {
            require(tx, caller, t.pluralUri(), createPermission(t), t);
        } else {
            require(tx, caller, t.objectUri(), "write", t);
        }
        validateObjectId(t);
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
            ObjectNode created = insert(scope, t, caller, t.objectId(), data == null ? Json.object() : data,
                    envelope.permissions(), false);
            scope.emit(t, caller, Action.CREATE, created.path("last_modified").asLong(), impacted(created, null));
            return withTimestamp(new ApiResponse(201, objectBody(scope, caller, t.objectUri(), created)),
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
        ObjectNode updated = replace(scope, t, caller, existing, replacement, acl);
        return withTimestamp(new ApiResponse(200, objectBody(scope, caller, t.objectUri(), updated)),
                updated.path("last_modified").asLong());
    }

    /**
     * Stores a new version of an existing object; {@code acl} replaces the whole ACL when not
     * null. Emits the update event.
     */
    private ObjectNode replace(RequestScope scope, Target t, Caller caller, ObjectNode existing, ObjectNode data,
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

    // ---- object PATCH --------------------------------------------------------------------

    private ApiResponse patch(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        requireParentCollection(tx, t);
        checkAccept(req);
        String type = checkContentType(req, List.of(JSON, MERGE_PATCH, JSON_PATCH));
        objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        ObjectNode existing = Ids.isValid(t.objectId())
                ? objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null) : null;
        requireWriteOrParentRead(tx, caller, t, existing != null);
        validateObjectId(t);
        String behavior = responseBehavior(req);
        if (existing == null) {
            throw KintoException.objectNotFound(t.objectId(), t.kind().resourceName());
        }
        Preconditions pre = Preconditions.of(req);
        pre.checkWrite(existing);
        JsonNode json = Envelope.parseJson(req.body());
        ObjectNode data = existing.deepCopy();
        Map<String, Set<String>> acl = new TreeMap<>(permissions.acl(tx, t.objectUri()));
        ObjectNode requested;
        if (type.equals(JSON_PATCH)) {
            JsonPatch.validate(json);
            applyJsonPatch(t, data, acl, json);
            requested = data.deepCopy();
        } else {
            Envelope envelope = Envelope.parse(json, t.kind());
            if (envelope.data() == null && envelope.permissions() == null) {
                throw KintoException.invalid("body", "data", "Provide at least one of data or permissions");
            }
            requested = envelope.data() == null ? Json.object() : envelope.data().deepCopy();
            if (envelope.data() != null) {
                if (envelope.data().has("id") && !isId(envelope.data().get("id"), t.objectId())) {
                    throw KintoException.invalid("body", "id", "Object id does not match existing object");
                }
                if (type.equals(MERGE_PATCH)) {
                    mergePatch(data, envelope.data());
                } else {
                    envelope.data().properties().forEach(e -> data.set(e.getKey(), e.getValue()));
                }
            }
            if (envelope.permissions() != null) {
                envelope.permissions().forEach((perm, principals) -> {
                    if (principals == null) {
                        if (type.equals(MERGE_PATCH)) {
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
        ObjectNode updated = replace(scope, t, caller, existing, data, acl);
        // light and diff bodies hold only "data", as Kinto's (its partial object carries no permissions)
        ObjectNode body = behavior.equals("full") ? objectBody(scope, caller, t.objectUri(), updated)
                : Json.object().set("data", partialResponse(behavior, existing, requested, updated));
        return withTimestamp(new ApiResponse(200, body),
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

    /**
     * Kinto's light/diff PATCH responses: the requested fields whose value changed ({@code light}),
     * or those whose stored value differs from the value sent ({@code diff}). Events still carry
     * the full object.
     */
    private static ObjectNode partialResponse(String behavior, ObjectNode existing, ObjectNode requested,
            ObjectNode updated) {
        ObjectNode out = Json.object();
        requested.fieldNames().forEachRemaining(k -> {
            JsonNode after = updated.get(k);
            if (after == null || after.equals(existing.get(k))) {
                return;
            }
            if (behavior.equals("light") || !after.equals(requested.get(k))) {
                out.set(k, after);
            }
        });
        return out;
    }

    private static boolean isId(JsonNode node, String id) {
        return node.isTextual() && node.textValue().equals(id);
    }

    static void mergePatch(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode existing) {
                mergePatch(existing, (ObjectNode) v);
            } else if (v.isObject()) {
                ObjectNode fresh = Json.object();
                mergePatch(fresh, (ObjectNode) v);
                target.set(e.getKey(), fresh);
            } else {
                target.set(e.getKey(), v);
            }
        }
    }

    private static void applyJsonPatch(Target t, ObjectNode data, Map<String, Set<String>> acl, JsonNode ops) {
        ObjectNode doc = Json.object();
        doc.set("data", data.deepCopy());
        ObjectNode perms = doc.putObject("permissions");
        for (String perm : t.kind().permissions()) {
            ObjectNode set = perms.putObject(perm);
            acl.getOrDefault(perm, Set.of()).forEach(p -> set.put(p, p));
        }
        // Kinto: values of /permissions/<perm>/<principal> operations are the principal itself.
        ArrayNode normalized = Json.array();
        for (JsonNode op : ops) {
            ObjectNode copy = ((ObjectNode) op).deepCopy();
            String path = copy.path("path").asText();
            String[] parts = path.split("/", -1);
            if (parts.length == 4 && parts[1].equals("permissions") && !copy.path("op").asText().equals("remove")) {
                copy.put("value", parts[3]);
            } else if (parts.length == 3 && parts[1].equals("permissions") && copy.path("value").isArray()) {
                ObjectNode asSet = Json.object();
                copy.get("value").forEach(p -> asSet.put(p.asText(), p.asText()));
                copy.set("value", asSet);
            }
            normalized.add(copy);
        }
        JsonPatch.apply(doc, normalized);
        if (!doc.path("data").isObject()) {
            throw JsonPatch.failed("data must stay an object");
        }
        Iterator<String> names = data.fieldNames();
        List<String> all = new ArrayList<>();
        names.forEachRemaining(all::add);
        all.forEach(data::remove);
        doc.get("data").properties().forEach(e -> data.set(e.getKey(), e.getValue()));
        acl.clear();
        Iterator<Map.Entry<String, JsonNode>> pit = doc.path("permissions").properties().iterator();
        while (pit.hasNext()) {
            Map.Entry<String, JsonNode> e = pit.next();
            if (!t.kind().permissions().contains(e.getKey())) {
                throw KintoException.invalid("body", "permissions", "Unrecognized keys in mapping: '" + e.getKey() + "'");
            }
            Set<String> principals = new LinkedHashSet<>();
            e.getValue().fieldNames().forEachRemaining(principals::add);
            acl.put(e.getKey(), principals);
        }
    }

    // ---- object DELETE -------------------------------------------------------------------

    private ApiResponse delete(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        requireParentCollection(tx, t);
        checkAccept(req);
        objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        ObjectNode existing = Ids.isValid(t.objectId())
                ? objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null) : null;
        requireWriteOrParentRead(tx, caller, t, existing != null);
        validateObjectId(t);
        if (existing == null) {
            throw KintoException.objectNotFound(t.objectId(), t.kind().resourceName());
        }
        Preconditions.of(req).checkWrite(existing);
        Long forced = forcedDeleteTimestamp(req);
        ObjectNode tombstone = remove(scope, t, existing, forced);
        scope.emit(t, caller, Action.DELETE, tombstone.path("last_modified").asLong(), impacted(tombstone, existing));
        ObjectNode body = Json.object();
        body.set("data", tombstone);
        return withTimestamp(new ApiResponse(200, body), tombstone.path("last_modified").asLong());
    }

    private static Long forcedDeleteTimestamp(ApiRequest req) {
        String raw = req.queryParam("last_modified");
        if (raw == null) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.replace("\"", "").trim());
            return value >= 0 && value <= HttpDates.MAX_TIMESTAMP ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ObjectNode remove(RequestScope scope, Target t, ObjectNode existing, Long forced) {
        Tx tx = scope.tx();
        String id = existing.get("id").textValue();
        ObjectNode tombstone = objects.delete(tx, t.kind().resourceName(), t.parentId(), id,
                existing.path("last_modified").asLong(), forced);
        permissions.deleteAcl(tx, t.objectUri(id));
        return tombstone;
    }

    // ---- plural DELETE -------------------------------------------------------------------

    private ApiResponse deleteList(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        checkAccept(req);
        Tx tx = scope.tx();
        Set<String> onlyIds = authorizeListing(tx, caller, t, "write");
        requireParentCollection(tx, t);
        long ts = objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId());
        ListParams params = ListParams.parse(req, settings.paginateBy(), settings.storageMaxFetchSize(), clock.getAsLong());
        Preconditions pre = Preconditions.of(req);
        if (pre.ifNoneMatch() != null && pre.ifNoneMatch() == Preconditions.ANY) {
            throw KintoException.preconditionFailed(null);
        }
        pre.checkRead(ts, null);
        if (req.queryParam("_token") != null && !deleteNonces.consume(tx, ListParams.tokenNonce(req))) {
            throw KintoException.invalid("querystring", null, "_token was already used or has expired.");
        }
        List<org.kinto4j.server.storage.Filter> liveOnly = new ArrayList<>(params.filters());
        liveOnly.add(org.kinto4j.server.storage.Filter.of("deleted", org.kinto4j.server.storage.Filter.Operator.NOT,
                Json.mapper().getNodeFactory().booleanNode(true)));
        ListQuery query = new ListQuery(liveOnly, params.sorts(), params.after(), onlyIds);
        List<ObjectNode> victims = onlyIds != null && onlyIds.isEmpty() ? List.of()
                : objects.list(tx, t.kind().resourceName(), t.parentId(), query, params.limit() + 1);
        boolean more = victims.size() > params.limit();
        if (more) {
            victims = victims.subList(0, params.limit());
        }
        ArrayNode data = Json.array();
        ArrayNode impacted = Json.array();
        long last = ts;
        for (ObjectNode victim : victims) {
            ObjectNode tombstone = remove(scope, t.object(victim.get("id").textValue()), victim, null);
            data.add(tombstone);
            ObjectNode entry = impacted.addObject();
            entry.set("new", tombstone);
            entry.set("old", victim);
            last = Math.max(last, tombstone.path("last_modified").asLong());
        }
        if (victims.isEmpty()) {
            scope.emit(t, caller, Action.READ, ts, Json.array());
        } else {
            scope.emit(t, caller, Action.DELETE, last, impacted);
        }
        ObjectNode body = Json.object();
        body.set("data", data);
        ApiResponse r = new ApiResponse(200, body);
        if (more) {
            String nonce = ListParams.newNonce();
            deleteNonces.register(tx, nonce);
            r.header("Next-Page", nextPageUrl(req, params,
                    params.nextToken(victims.get(victims.size() - 1), params.offset(), nonce)));
        }
        return withTimestamp(r, last);
    }

    // ---- default bucket --------------------------------------------------------------------

    /** Creates the bucket (and collection) of a default-bucket request if missing, with create events. */
    public void ensureDefaultObjects(RequestScope scope, Caller caller, String bucketId, String collectionId,
            boolean skipBucket, boolean skipCollection) {
        Tx tx = scope.tx();
        if (!skipBucket && scope.markImplicit("/buckets/" + bucketId)
                && objects.get(tx, "bucket", "", bucketId).isEmpty()
                && objects.absentUnderLock(tx, "bucket", "", bucketId)) {
            Target bucket = new Target(ResourceKind.BUCKET, false, bucketId, null, bucketId);
            ObjectNode created = insert(scope, bucket, caller, bucketId, Json.object(), null, false);
            scope.emit(bucket, caller, Action.CREATE, created.path("last_modified").asLong(), impacted(created, null));
        }
        if (collectionId != null && !skipCollection) {
            if (!Ids.isValid(collectionId)) {
                throw KintoException.invalid("path", null, "Invalid collection id");
            }
            String uri = "/buckets/" + bucketId + "/collections/" + collectionId;
            if (scope.markImplicit(uri) && objects.get(tx, "collection", "/buckets/" + bucketId, collectionId).isEmpty()
                    && objects.absentUnderLock(tx, "collection", "/buckets/" + bucketId, collectionId)) {
                Target collection = new Target(ResourceKind.COLLECTION, false, bucketId, collectionId, collectionId);
                ObjectNode created = insert(scope, collection, caller, collectionId, Json.object(), null, false);
                scope.emit(collection, caller, Action.CREATE, created.path("last_modified").asLong(),
                        impacted(created, null));
            }
        }
    }
}
