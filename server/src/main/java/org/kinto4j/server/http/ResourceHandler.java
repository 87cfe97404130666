package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.Envelope;
import org.kinto4j.server.resource.Ids;
import org.kinto4j.server.resource.ListParams;
import org.kinto4j.server.resource.ObjectWrites;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.Projection;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.resource.ResourceAccess;
import org.kinto4j.server.resource.SchemaValidator;
import org.kinto4j.server.resource.Target;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Tx;

/**
 * The HTTP face of the generic Kinto resources (spec 5) for buckets, collections, groups and
 * records: plural GET/HEAD/POST/DELETE and object GET/HEAD/PUT/PATCH/DELETE. It reads the
 * request (negotiation, preconditions, query, body) and writes the response (status, ETag,
 * Next-Page); who may do what is {@link ResourceAccess}'s, storing and events are
 * {@link ObjectWrites}'s. PUT and PATCH are in {@link ResourceWrites}, deletes in
 * {@link ResourceDeletes}.
 */
public final class ResourceHandler {

    private final ObjectStore objects;
    private final ServerSettings settings;
    private final Ids ids = new Ids();
    private final LongSupplier clock;
    private final PermissionsView permissionsView;
    private final ResourceAccess access;
    private final ObjectWrites writes;
    private final ResourceWrites resourceWrites;
    private final ResourceDeletes deletes;

    public ResourceHandler(ObjectStore objects, org.kinto4j.server.storage.PermissionStore permissions,
            org.kinto4j.server.permission.Authorizer authorizer, ServerSettings settings, LongSupplier clock) {
        this.objects = objects;
        this.settings = settings;
        this.clock = clock;
        this.permissionsView = new PermissionsView(objects, permissions, authorizer, settings, clock);
        this.access = new ResourceAccess(objects, permissions, authorizer);
        this.writes = new ObjectWrites(objects, permissions, new SchemaValidator(settings.schemaValidation(), objects),
                settings.explicitPermissions());
        this.resourceWrites = new ResourceWrites(objects, permissions, access, writes);
        this.deletes = new ResourceDeletes(objects, access, writes, settings, clock);
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
                case "DELETE" -> deletes.deleteList(scope, req, t, caller);
                default -> throw KintoException.methodNotAllowed("DELETE, GET, HEAD, OPTIONS, POST");
            };
        }
        return switch (m) {
            case "GET", "HEAD" -> get(scope, req, t, caller);
            case "PUT" -> resourceWrites.put(scope, req, t, caller);
            case "PATCH" -> resourceWrites.patch(scope, req, t, caller);
            case "DELETE" -> deletes.delete(scope, req, t, caller);
            default -> throw KintoException.methodNotAllowed("DELETE, GET, HEAD, OPTIONS, PATCH, PUT");
        };
    }

    private ApiResponse get(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        ContentNegotiation.checkAccept(req);
        Tx tx = scope.tx();
        access.require(tx, caller, t.objectUri(), "read", t);
        ResourceAccess.validateObjectId(t);
        List<String> fields = Projection.fields(req.queryParam("_fields"));
        ObjectStore.WithAcl stored = objects.getWithAcl(tx, t.kind().resourceName(), t.parentId(), t.objectId(),
                t.objectUri()).orElse(null);
        if (stored == null) {
            // A stored record implies its collection (deleting one purges the other), so the
            // parent is only looked up to tell 404 errno 111 from errno 110.
            access.requireParentCollection(tx, t);
            throw KintoException.objectNotFound(t.objectId(), t.kind().resourceName());
        }
        ObjectNode obj = stored.object();
        long lm = obj.path("last_modified").asLong();
        Preconditions pre = req.preconditions();
        if (pre.checkRead(lm, obj)) {
            return HttpDates.withTimestamp(new ApiResponse(304, null), lm).expose(ApiResponse.ExposeHeaders.OBJECT_READ);
        }
        ObjectNode data = fields == null ? obj : Projection.project(obj, fields);
        ObjectNode body;
        if (fields == null) {
            body = access.objectBody(caller, data, stored.acl());
        } else {
            body = Json.object();
            body.set("data", data);
        }
        if (scope.readEventsWanted()) {
            scope.emit(t, caller, Action.READ, objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()),
                    ObjectWrites.readImpacted(List.of(data)));
        }
        ApiResponse r = new ApiResponse(200, body).header("Cache-Control", "no-cache, no-store")
                .expose(ApiResponse.ExposeHeaders.OBJECT_READ);
        return HttpDates.withTimestamp(r, lm);
    }

    private ApiResponse list(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        ContentNegotiation.checkAccept(req);
        Tx tx = scope.tx();
        Set<String> onlyIds = access.authorizeListing(tx, caller, t, "read");
        access.requireParentCollection(tx, t);
        long ts = listTimestamp(tx, t);
        ListParams params = ListParams.parse(req.query(), settings.paginateBy(), settings.storageMaxFetchSize(), clock.getAsLong());
        boolean head = req.method().equals("HEAD");
        Preconditions pre = req.preconditions();
        if (pre.checkRead(ts, null)) {
            return HttpDates.withTimestamp(new ApiResponse(304, null), ts).expose(ApiResponse.ExposeHeaders.LIST_READ);
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
                data.add(params.fields() == null ? o : Projection.project(o, params.fields()));
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
                scope.emit(t, caller, Action.READ, ts, ObjectWrites.readImpacted(read));
            }
        }
        if (params.deprecatedTo()) {
            r.header("Alert", "{\"code\": \"soft-eol\", \"message\": \"_to is now deprecated, you should use _before "
                    + "instead\", \"url\": \"https://kinto.readthedocs.io/en/2.4.0/api/resource.html#list-of-available-url-parameters\"}");
        }
        r.header("Cache-Control", "no-cache, no-store");
        return HttpDates.withTimestamp(r, ts);
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

    private ApiResponse create(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        boolean mayCreate = access.requireParentCollectionAndCheck(tx, caller, t.pluralUri(),
                ResourceAccess.createPermission(t), t);
        ContentNegotiation.checkAccept(req);
        ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON));
        JsonNode json;
        ServiceError bodyError = null;
        try {
            json = Envelope.parseJson(req.body());
        } catch (ServiceError e) {
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
            access.require(tx, caller, t.objectUri(id), "read", t);
        } else {
            ResourceAccess.requireGranted(mayCreate, caller);
        }
        if (bodyError != null) {
            throw bodyError;
        }
        Envelope envelope = Envelope.parse(json, t.kind());
        Preconditions pre = req.preconditions();
        if (existing == null && pre.ifMatch() != null) {
            pre.checkWrite(null, () -> objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()));
        }
        if (existing != null) {
            pre.checkWrite(existing);
            long lm = existing.path("last_modified").asLong();
            if (scope.readEventsWanted()) {
                scope.emit(t, caller, Action.READ, objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId()),
                        ObjectWrites.readImpacted(List.of(existing)));
            }
            return HttpDates.withTimestamp(new ApiResponse(200, access.objectBody(scope, caller, t.objectUri(id), existing)), lm);
        }
        ObjectNode data = envelope.data() == null ? Json.object() : envelope.data().deepCopy();
        boolean freshId = id == null;
        if (freshId) {
            id = ids.generate(t.kind());
        }
        ObjectNode created = writes.insert(scope, t, caller, id, data, envelope.permissions(), freshId);
        scope.emit(t, caller, Action.CREATE, created.path("last_modified").asLong(), ObjectWrites.impacted(created, null));
        long lm = created.path("last_modified").asLong();
        return HttpDates.withTimestamp(new ApiResponse(201, access.objectBody(scope, caller, t.objectUri(id), created)), lm);
    }

    /** Creates the bucket (and collection) of a default-bucket request if missing, with create events. */
    public void ensureDefaultObjects(RequestScope scope, Caller caller, String bucketId, String collectionId,
            boolean skipBucket, boolean skipCollection) {
        writes.ensureDefaultObjects(scope, caller, bucketId, collectionId, skipBucket, skipCollection);
    }
}
