package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.Ids;
import org.kinto4j.server.resource.ListParams;
import org.kinto4j.server.resource.ObjectWrites;
import org.kinto4j.server.resource.PaginationNonces;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.resource.ResourceAccess;
import org.kinto4j.server.resource.Target;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Tx;

/** {@code DELETE} of one object, and of a list page by page with single-use tokens (spec 5.6, 5.7). */
final class ResourceDeletes {

    private final ObjectStore objects;
    private final ResourceAccess access;
    private final ObjectWrites writes;
    private final ServerSettings settings;
    private final LongSupplier clock;
    private final PaginationNonces deleteNonces;

    ResourceDeletes(ObjectStore objects, ResourceAccess access, ObjectWrites writes, ServerSettings settings,
            LongSupplier clock) {
        this.objects = objects;
        this.access = access;
        this.writes = writes;
        this.settings = settings;
        this.clock = clock;
        this.deleteNonces = new PaginationNonces(settings.paginationTokenValiditySeconds(), clock);
    }

    ApiResponse delete(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        Tx tx = scope.tx();
        access.requireParentCollection(tx, t);
        ContentNegotiation.checkAccept(req);
        objects.lockForWrite(tx, t.kind().resourceName(), t.parentId());
        ObjectNode existing = Ids.isValid(t.objectId())
                ? objects.get(tx, t.kind().resourceName(), t.parentId(), t.objectId()).orElse(null) : null;
        access.requireWriteOrParentRead(tx, caller, t, existing != null);
        ResourceAccess.validateObjectId(t);
        if (existing == null) {
            throw KintoException.objectNotFound(t.objectId(), t.kind().resourceName());
        }
        req.preconditions().checkWrite(existing);
        Long forced = forcedDeleteTimestamp(req);
        ObjectNode tombstone = writes.remove(scope, t, existing, forced);
        scope.emit(t, caller, Action.DELETE, tombstone.path("last_modified").asLong(), ObjectWrites.impacted(tombstone, existing));
        ObjectNode body = Json.object();
        body.set("data", tombstone);
        return HttpDates.withTimestamp(new ApiResponse(200, body), tombstone.path("last_modified").asLong());
    }

    private static Long forcedDeleteTimestamp(ApiRequest req) {
        String raw = req.queryParam("last_modified");
        if (raw == null) {
            return null;
        }
        try {
            long value = Long.parseLong(raw.replace("\"", "").trim());
            return value >= 0 && value <= ObjectWrites.MAX_TIMESTAMP ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    ApiResponse deleteList(RequestScope scope, ApiRequest req, Target t, Caller caller) {
        ContentNegotiation.checkAccept(req);
        Tx tx = scope.tx();
        Set<String> onlyIds = access.authorizeListing(tx, caller, t, "write");
        access.requireParentCollection(tx, t);
        long ts = objects.collectionTimestamp(tx, t.kind().resourceName(), t.parentId());
        ListParams params = ListParams.parse(req.query(), settings.paginateBy(), settings.storageMaxFetchSize(), clock.getAsLong());
        Preconditions pre = req.preconditions();
        if (pre.ifNoneMatch() != null && pre.ifNoneMatch() == Preconditions.ANY) {
            throw KintoException.preconditionFailed(null);
        }
        pre.checkRead(ts, null);
        if (req.queryParam("_token") != null && !deleteNonces.consume(tx, ListParams.tokenNonce(req.queryParam("_token")))) {
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
            ObjectNode tombstone = writes.remove(scope, t.object(victim.get("id").textValue()), victim, null);
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
            r.header("Next-Page", ResourceHandler.nextPageUrl(req, params,
                    params.nextToken(victims.get(victims.size() - 1), params.offset(), nonce)));
        }
        return HttpDates.withTimestamp(r, last);
    }
}
