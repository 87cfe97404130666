package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.kinto4j.listener.ExposedResource;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.resource.ListParams;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * {@code GET/HEAD/DELETE /v1/buckets/{bid}/{name}}: the objects a listener exposed with
 * {@code ListenerContext.exposeUnderBuckets} (Kinto's history list), through the server's list
 * engine (filters, sorting, keyset pages, {@code Next-Page}). Bucket readers see everything,
 * others only the objects whose own ACL grants them {@code read}; DELETE needs bucket write.
 * As in Kinto, HEAD is the GET view: no {@code Total-Objects}.
 */
public final class ExposedListEndpoint {

    static final String ALLOWED = "DELETE, GET, HEAD, OPTIONS";
    /** Ids Kinto's history compares as strings even when the query value looks like a number. */
    private static final Set<String> STRING_FIELDS = Set.of("bucket_id", "collection_id", "group_id", "record_id");

    private final Map<String, ExposedResource> byName;
    private final ObjectStore objects;
    private final PermissionStore permissions;
    private final Authorizer authorizer;
    private final ServerSettings settings;
    private final LongSupplier clock;

    public ExposedListEndpoint(ListenerRegistry registry, ObjectStore objects, PermissionStore permissions,
            Authorizer authorizer, ServerSettings settings, LongSupplier clock) {
        this.byName = registry.exposures().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.resource().name(), ListenerRegistry.Exposure::resource));
        this.objects = objects;
        this.permissions = permissions;
        this.authorizer = authorizer;
        this.settings = settings;
        this.clock = clock;
    }

    public boolean serves(String name) {
        return byName.containsKey(name);
    }

    ApiResponse handle(RequestScope scope, ApiRequest req, Caller caller, Route.BucketList route) {
        if (!serves(route.name())) {
            throw KintoException.unknownUrl();
        }
        String method = req.method();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) {
            throw KintoException.methodNotAllowed(ALLOWED);
        }
        Tx tx = scope.tx();
        String bucketUri = "/buckets/" + route.bucketId();
        String name = route.name();
        ListParams params = ListParams.parse(req.query(), settings.paginateBy(), settings.storageMaxFetchSize(),
                clock.getAsLong());
        List<Filter> filters = idsAsStrings(params.filters());
        if (method.equals("DELETE")) {
            if (!authorizer.allowed(tx, caller, bucketUri, "write", "bucket")) {
                throw denied(caller);
            }
            return delete(tx, bucketUri, name, new ListQuery(filters, params.sorts(), params.after(), null),
                    params.limit());
        }
        Set<String> onlyIds = null;
        if (!authorizer.allowed(tx, caller, bucketUri, "read", "bucket")) {
            onlyIds = permissions.childIdsGranted(tx, bucketUri + "/" + name, Set.of("read"), caller.principals());
            if (onlyIds.isEmpty()) {
                throw denied(caller);
            }
        }
        long ts = objects.collectionTimestamp(tx, name, bucketUri);
        if (req.preconditions().checkRead(ts, null)) {
            return timestamped(new ApiResponse(304, null), ts).expose(ApiResponse.ExposeHeaders.LIST_READ);
        }
        ListQuery query = new ListQuery(filters, params.sorts(), params.after(), onlyIds);
        List<ObjectNode> page = objects.list(tx, name, bucketUri, query, params.limit() + 1);
        boolean more = page.size() > params.limit();
        if (more) {
            page = page.subList(0, params.limit());
        }
        ArrayNode data = Json.array();
        page.forEach(o -> data.add(params.fields() == null ? o : project(o, params.fields())));
        ObjectNode body = Json.object();
        body.set("data", data);
        ApiResponse r = new ApiResponse(200, body).expose(ApiResponse.ExposeHeaders.LIST_READ);
        if (more) {
            r.header("Next-Page", NextPage.url(req, params.limit(),
                    params.nextToken(page.get(page.size() - 1), params.offset() + page.size() + 1)));
        }
        r.header("Cache-Control", "no-cache, no-store");
        return timestamped(r, ts);
    }

    private ApiResponse delete(Tx tx, String bucketUri, String name, ListQuery query, int limit) {
        long ts = objects.collectionTimestamp(tx, name, bucketUri);
        ArrayNode data = Json.array();
        long last = ts;
        for (ObjectNode victim : objects.list(tx, name, bucketUri, query, limit)) {
            String id = victim.get("id").textValue();
            ObjectNode tombstone = objects.delete(tx, name, bucketUri, id, last, null);
            permissions.deleteAcl(tx, bucketUri + "/" + name + "/" + id);
            data.add(tombstone);
            last = Math.max(last, tombstone.path("last_modified").asLong());
        }
        ObjectNode body = Json.object();
        body.set("data", data);
        return timestamped(new ApiResponse(200, body), last).expose(ApiResponse.ExposeHeaders.BASIC);
    }

    private static List<Filter> idsAsStrings(List<Filter> filters) {
        List<Filter> out = new ArrayList<>(filters.size());
        for (Filter f : filters) {
            if (STRING_FIELDS.contains(f.field()) && f.value() != null && f.value().isNumber()) {
                f = new Filter(f.field(), f.operator(), Json.mapper().getNodeFactory().textNode(f.value().asText()),
                        f.values());
            }
            out.add(f);
        }
        return out;
    }

    private static ObjectNode project(ObjectNode o, List<String> fields) {
        ObjectNode out = Json.object();
        out.set("id", o.get("id"));
        out.set("last_modified", o.get("last_modified"));
        for (String f : fields) {
            String root = f.contains(".") ? f.substring(0, f.indexOf('.')) : f;
            if (o.has(root)) {
                out.set(root, o.get(root));
            }
        }
        return out;
    }

    static ApiResponse timestamped(ApiResponse r, long ts) {
        return r.header("ETag", HttpDates.etag(ts)).header("Last-Modified", HttpDates.httpDate(ts));
    }

    static KintoException denied(Caller caller) {
        return caller.isAnonymous() ? KintoException.unauthorized() : KintoException.forbidden();
    }
}
