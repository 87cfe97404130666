package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.resource.Ids;
import org.kinto4j.server.resource.ListParams;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Sort;
import org.kinto4j.server.storage.Tx;

/**
 * {@code GET/HEAD /v1/permissions} (upstream {@code kinto/views/permissions.py}): one
 * entry per object on which the caller holds a permission through an explicit ACE or a
 * {@code <resource>_<perm>_principals} setting, with the permissions implied on the same object.
 * A closed schema: unknown filter, sort or {@code _fields} names are 400s; {@code last_modified}
 * is ignored as a filter and a sort key, {@code -uri} is the final sort key; the ETag is the endpoint's first-use time.
 */
final class PermissionsView {

    /** Kinto's PERMISSIONS_INHERITANCE_TREE inverted and restricted to the same object. */
    private static final Map<String, Map<String, Set<String>>> IMPLIED = Map.of(
            "bucket", Map.of(
                    "write", Set.of("write", "read", "read:attributes", "collection:create", "group:create"),
                    "read", Set.of("read", "read:attributes"),
                    "collection:create", Set.of("collection:create", "read:attributes"),
                    "group:create", Set.of("group:create", "read:attributes")),
            "collection", Map.of(
                    "write", Set.of("write", "read", "read:attributes", "record:create"),
                    "read", Set.of("read", "read:attributes"),
                    "record:create", Set.of("record:create", "read:attributes")),
            "group", Map.of("write", Set.of("write", "read"), "read", Set.of("read")),
            "record", Map.of("write", Set.of("write", "read"), "read", Set.of("read")));

    /** The fields of Kinto's PermissionsSchema plus the model's id, modified and deleted fields. */
    private static final Set<String> KNOWN_FIELDS = Set.of("uri", "resource_name", "permissions", "id", "bucket_id",
            "collection_id", "group_id", "record_id", "last_modified", "deleted");
    private static final Pattern OPERATOR = Pattern.compile(
            "^(lt|min|max|not|eq|gt|in|exclude|like|has|contains_any|contains)_([\\w.]+)$");
    private static final Pattern SORT_ITEM = Pattern.compile("^[-+]?([\\w.]+)$");
    private static final List<String> PRINCIPAL_RESOURCES = List.of("bucket", "collection", "group", "record");
    private static final Map<String, String> CREATE_PARENT = Map.of(
            "bucket", "root", "collection", "bucket", "group", "bucket", "record", "collection");

    private final ObjectStore objects;
    private final PermissionStore permissions;
    private final Authorizer authorizer;
    private final ServerSettings settings;
    private final LongSupplier clock;

    PermissionsView(ObjectStore objects, PermissionStore permissions, Authorizer authorizer, ServerSettings settings,
            LongSupplier clock) {
        this.objects = objects;
        this.permissions = permissions;
        this.authorizer = authorizer;
        this.settings = settings;
        this.clock = clock;
    }

    ApiResponse handle(RequestScope scope, ApiRequest req, Caller caller) {
        ContentNegotiation.checkAccept(req);
        Tx tx = scope.tx();
        if (!authorizer.allowed(tx, caller, "/permissions", "read", "permissions")) {
            throw org.kinto4j.server.resource.ResourceAccess.denied(caller);
        }
        validateQuery(req);
        ListParams parsed = ListParams.parse(req.query(), settings.paginateBy(), settings.storageMaxFetchSize(),
                clock.getAsLong());
        Preconditions pre = req.preconditions();
        long timestamp = timestamp(tx);
        if (pre.checkRead(timestamp, null)) {
            return timestamped(new ApiResponse(304, null), timestamp);
        }
        List<Filter> filters = new ArrayList<>();
        for (Filter f : parsed.filters()) {
            if (!f.onLastModified()) {
                filters.add(f);
            }
        }
        List<Sort> sorts = new ArrayList<>();
        for (Sort s : parsed.sorts()) {
            if (!s.field().equals("last_modified")) {
                sorts.add(s);
            }
        }
        if (sorts.stream().noneMatch(s -> s.field().equals("uri"))) {
            sorts.add(new Sort("uri", true));
        }
        ListParams params = new ListParams(filters, sorts, parsed.limit(), parsed.after(), parsed.offset(),
                parsed.fields(), parsed.deprecatedTo());
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode entry : entries(tx, caller)) {
            if (filters.stream().allMatch(f -> f.matches(entry))) {
                matching.add(entry);
            }
        }
        ApiResponse r;
        if (req.method().equals("HEAD")) {
            ObjectNode empty = Json.object();
            empty.putArray("data");
            r = new ApiResponse(200, empty).header("Total-Objects", Integer.toString(matching.size()))
                    .header("Total-Records", Integer.toString(matching.size()))
                    .expose(ApiResponse.ExposeHeaders.LIST_HEAD);
        } else {
            Comparator<JsonNode> order = ObjectStore.comparator(sorts);
            matching.sort(order);
            if (params.after() != null) {
                matching.removeIf(e -> order.compare(e, params.after()) <= 0);
            }
            boolean more = matching.size() > params.limit();
            List<ObjectNode> page = more ? matching.subList(0, params.limit()) : matching;
            ArrayNode data = Json.array();
            for (ObjectNode e : page) {
                data.add(params.fields() == null ? e : org.kinto4j.server.resource.Projection.project(e, params.fields()));
            }
            ObjectNode body = Json.object();
            body.set("data", data);
            r = new ApiResponse(200, body).expose(ApiResponse.ExposeHeaders.LIST_READ);
            if (more) {
                r.header("Next-Page", ResourceHandler.nextPageUrl(req, params,
                        params.nextToken(page.get(page.size() - 1), params.offset() + page.size() + 1)));
            }
            if (scope.readEventsWanted()) {
                // Kinto notifies a read of the permissions list like any plural GET; it has no parent.
                scope.events().add("permissions", "", Action.READ, readPayload(caller), Json.array());
            }
        }
        r.header("Cache-Control", "no-cache, no-store");
        return timestamped(r, timestamp);
    }

    private static ObjectNode readPayload(Caller caller) {
        ObjectNode payload = Json.object();
        payload.put("timestamp", 0);
        payload.put("action", Action.READ.value());
        payload.put("uri", "/permissions");
        if (caller.userId() == null) {
            payload.putNull("user_id");
        } else {
            payload.put("user_id", caller.userId());
        }
        payload.put("resource_name", "permissions");
        return payload;
    }

    /**
     * Kinto's ETag here is the timestamp of a "permissions" resource that nothing writes: set at
     * the endpoint's first use (so a real, stable time), then unchanged.
     */
    private long timestamp(Tx tx) {
        return settings.readonly() ? objects.storedCollectionTimestamp(tx, "permissions", "").orElse(0L)
                : objects.collectionTimestamp(tx, "permissions", "");
    }

    private static ApiResponse timestamped(ApiResponse r, long timestamp) {
        return r.header("ETag", HttpDates.etag(timestamp)).header("Last-Modified", HttpDates.httpDate(timestamp));
    }

    /** A closed schema: filters, sorts and fields must name one of {@link #KNOWN_FIELDS}. */
    private static void validateQuery(ApiRequest req) {
        for (Map.Entry<String, String> p : req.query()) {
            String name = p.getKey();
            if (name.startsWith("_")) {
                if (name.equals("_sort")) {
                    for (String item : p.getValue().split(",")) {
                        Matcher m = SORT_ITEM.matcher(item.trim());
                        if (m.matches() && !known(m.group(1))) {
                            throw KintoException.invalid("querystring", null, "Unknown sort field '" + m.group(1) + "'");
                        }
                    }
                } else if (name.equals("_fields")) {
                    Set<String> unknown = new TreeSet<>();
                    for (String f : p.getValue().split(",")) {
                        if (!f.isBlank() && !known(f.trim())) {
                            unknown.add(f.trim().split("\\.", 2)[0]);
                        }
                    }
                    if (!unknown.isEmpty()) {
                        throw KintoException.invalid("body", "Invalid _fields parameter",
                                "Fields " + String.join(",", unknown) + " do not exist");
                    }
                }
                continue;
            }
            Matcher m = OPERATOR.matcher(name);
            String field = m.matches() ? m.group(2) : name;
            if (!known(field)) {
                throw KintoException.invalid("querystring", name, "Unknown filter field '" + name + "'");
            }
        }
    }

    private static boolean known(String field) {
        return KNOWN_FIELDS.contains(field.split("\\.", 2)[0]);
    }

    /** Every entry of the caller, unsorted (upstream PermissionsModel._get_objects). */
    private List<ObjectNode> entries(Tx tx, Caller caller) {
        Map<String, Set<String>> byUri = new LinkedHashMap<>();
        permissions.objectsGranted(tx, caller.principals())
                .forEach((uri, perms) -> byUri.computeIfAbsent(uri, k -> new LinkedHashSet<>()).addAll(perms));
        Map<String, Set<String>> fromSettings = fromSettings(caller);
        for (String rootPerm : fromSettings.getOrDefault("root", Set.of())) {
            byUri.computeIfAbsent("/", k -> new LinkedHashSet<>()).add(rootPerm);
        }
        Set<String> expand = new LinkedHashSet<>(List.of("bucket", "collection", "group"));
        expand.retainAll(fromSettings.keySet());
        if (!expand.isEmpty()) {
            for (ObjectNode bucket : objects.list(tx, "bucket", "", ListQuery.ALL, 0)) {
                String bucketUri = "/buckets/" + bucket.path("id").asText();
                for (String res : expand) {
                    Set<String> granted = fromSettings.get(res);
                    if (res.equals("bucket")) {
                        byUri.computeIfAbsent(bucketUri, k -> new LinkedHashSet<>()).addAll(granted);
                        continue;
                    }
                    for (ObjectNode child : objects.list(tx, res, bucketUri, ListQuery.ALL, 0)) {
                        String uri = bucketUri + "/" + res + "s/" + child.path("id").asText();
                        byUri.computeIfAbsent(uri, k -> new LinkedHashSet<>()).addAll(granted);
                    }
                }
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        byUri.forEach((uri, perms) -> {
            ObjectNode entry = entry(uri, perms);
            if (entry != null) {
                out.add(entry);
            }
        });
        return out;
    }

    /** {@code allowed_from_settings}: resource name to the permissions its settings grant the caller. */
    private Map<String, Set<String>> fromSettings(Caller caller) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String resource : PRINCIPAL_RESOURCES) {
            for (String perm : List.of("create", "read", "write")) {
                Set<String> allowed = settings.principals(resource + "_" + perm + "_principals");
                if (allowed.stream().noneMatch(caller.principals()::contains)) {
                    continue;
                }
                if (perm.equals("create")) {
                    out.computeIfAbsent(CREATE_PARENT.get(resource), k -> new LinkedHashSet<>())
                            .add(resource + ":create");
                } else {
                    out.computeIfAbsent(resource, k -> new LinkedHashSet<>()).add(perm);
                }
            }
        }
        return out;
    }

    /** One entry, or null when the URI is not an object URI (upstream view_lookup fails). */
    private static ObjectNode entry(String uri, Set<String> perms) {
        ObjectNode e = Json.object();
        e.put("uri", uri);
        String resource;
        Map<String, String> ids = new LinkedHashMap<>();
        if (uri.equals("/")) {
            resource = "root";
        } else {
            String[] s = uri.split("/", -1);
            if (s.length < 3 || !s[1].equals("buckets") || s.length % 2 == 0) {
                return null;
            }
            for (int i = 2; i < s.length; i += 2) {
                if (!Ids.isValid(s[i])) {
                    return null;
                }
            }
            if (s.length == 3) {
                resource = "bucket";
            } else if (s.length == 5 && s[3].equals("collections")) {
                resource = "collection";
                ids.put("bucket_id", s[2]);
            } else if (s.length == 5 && s[3].equals("groups")) {
                resource = "group";
                ids.put("bucket_id", s[2]);
            } else if (s.length == 7 && s[3].equals("collections") && s[5].equals("records")) {
                resource = "record";
                ids.put("bucket_id", s[2]);
                ids.put("collection_id", s[4]);
            } else {
                return null;
            }
            String id = s[s.length - 1];
            ids.put("id", id);
            ids.put(resource + "_id", id);
        }
        e.put("resource_name", resource);
        Set<String> expanded = new TreeSet<>();
        Map<String, Set<String>> implied = IMPLIED.getOrDefault(resource, Map.of());
        for (String p : perms) {
            expanded.add(p);
            expanded.addAll(implied.getOrDefault(p, Set.of()));
        }
        ArrayNode list = e.putArray("permissions");
        expanded.forEach(list::add);
        ids.forEach(e::put);
        return e;
    }
}
