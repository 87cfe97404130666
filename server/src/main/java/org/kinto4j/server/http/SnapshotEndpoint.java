package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Sort;
import org.kinto4j.server.storage.Tx;

/**
 * Kinto's {@code GET /v1/buckets/{bid}/snapshot/collections/{cid}@{timestamp}}: the collection's
 * records as they were at {@code timestamp}, rebuilt from the current records and the history
 * entries. Needs read on the bucket or the collection. Unlike Kinto, a record whose last state
 * before the timestamp is a deletion is left out rather than returned as a tombstone.
 */
public final class SnapshotEndpoint {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectStore objects;
    private final Authorizer authorizer;

    public SnapshotEndpoint(ObjectStore objects, Authorizer authorizer) {
        this.objects = objects;
        this.authorizer = authorizer;
    }

    ApiResponse handle(RequestScope scope, ApiRequest req, Caller caller, Route.Snapshot route) {
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            throw KintoException.methodNotAllowed("GET, HEAD, OPTIONS");
        }
        long at;
        try {
            at = Long.parseLong(route.timestamp());
        } catch (NumberFormatException e) {
            at = -1;
        }
        if (at < 0) {
            throw KintoException.invalid("path", "timestamp", "Invalid timestamp '" + route.timestamp() + "'");
        }
        Tx tx = scope.tx();
        String bucketUri = "/buckets/" + route.bucketId();
        String collectionUri = bucketUri + "/collections/" + route.collectionId();
        if (!authorizer.allowed(tx, caller, collectionUri, "read", "collection")) {
            throw ExposedListEndpoint.denied(caller);
        }
        List<ObjectNode> all = objects.list(tx, "record", collectionUri, new ListQuery(
                List.of(Filter.of("last_modified", Filter.Operator.MIN, NODES.numberNode(0L))),
                List.of(Sort.LAST_MODIFIED_DESC), null, null), 0);
        List<JsonNode> result = new ArrayList<>();
        List<JsonNode> changed = new ArrayList<>();
        for (ObjectNode r : all) {
            if (r.path("last_modified").asLong() > at) {
                changed.add(r.get("id"));
            } else if (!r.path("deleted").asBoolean(false)) {
                result.add(r);
            }
        }
        if (!changed.isEmpty()) {
            result.addAll(statesBefore(tx, bucketUri, route.collectionId(), changed, at));
        }
        result.sort(Comparator.comparingLong((JsonNode r) -> r.path("last_modified").asLong()).reversed());
        ArrayNode data = Json.array();
        result.forEach(data::add);
        ObjectNode body = Json.object();
        body.set("data", data);
        return new ApiResponse(200, body).expose(ApiResponse.ExposeHeaders.BASIC);
    }

    /** For each changed record, its newest history state at or before {@code at}, if it existed then. */
    private List<JsonNode> statesBefore(Tx tx, String bucketUri, String collectionId, List<JsonNode> ids, long at) {
        List<Filter> filters = List.of(
                Filter.of("resource_name", Filter.Operator.EQ, NODES.textNode("record")),
                Filter.of("collection_id", Filter.Operator.EQ, NODES.textNode(collectionId)),
                Filter.ofList("record_id", Filter.Operator.IN, ids),
                Filter.of("target.data.last_modified", Filter.Operator.MAX, NODES.numberNode(at)));
        Map<String, JsonNode> newest = new LinkedHashMap<>();
        for (ObjectNode entry : objects.list(tx, "history", bucketUri,
                new ListQuery(filters, List.of(Sort.LAST_MODIFIED_DESC), null, null), 0)) {
            newest.putIfAbsent(entry.path("record_id").asText(), entry.path("target").path("data"));
        }
        List<JsonNode> out = new ArrayList<>();
        newest.values().stream().filter(d -> !d.path("deleted").asBoolean(false)).forEach(out::add);
        return out;
    }
}
