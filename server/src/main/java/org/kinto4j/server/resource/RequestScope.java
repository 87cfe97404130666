package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.kinto4j.listener.Action;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.events.EventCollector;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Tx;

/**
 * State shared by a top-level request and, for a batch, all its sub-requests: one transaction,
 * one event collector, the callers' principals (computed once per user), and the default-bucket
 * objects already created implicitly.
 */
public final class RequestScope {

    private final Tx tx;
    private final EventCollector events = new EventCollector();
    private final Map<String, Caller> callers = new HashMap<>();
    private final Set<String> implicitlyCreated = new HashSet<>();
    private final Map<String, Map<String, Set<String>>> writtenAcls = new HashMap<>();
    private final boolean readEventsWanted;

    public RequestScope(Tx tx, boolean readEventsWanted) {
        this.tx = tx;
        this.readEventsWanted = readEventsWanted;
    }

    public Tx tx() {
        return tx;
    }

    public EventCollector events() {
        return events;
    }

    /** The caller for a user id, group principals looked up once per scope. */
    public Caller caller(String userId, Function<String, Caller> lookup) {
        if (userId == null) {
            return Caller.ANONYMOUS;
        }
        return callers.computeIfAbsent(userId, lookup);
    }

    /** Records an implicit default-bucket creation; false if already done in this scope. */
    public boolean markImplicit(String uri) {
        return implicitlyCreated.add(uri);
    }

    /** Records the ACL this request just wrote for {@code uri}, so the response need not read it back. */
    public void rememberAcl(String uri, Map<String, Set<String>> acl) {
        writtenAcls.put(uri, acl);
    }

    /** The ACL this request wrote for {@code uri}, or null. */
    public Map<String, Set<String>> writtenAcl(String uri) {
        return writtenAcls.get(uri);
    }

    public boolean readEventsWanted() {
        return readEventsWanted;
    }

    /** Adds an event with Kinto's payload for a request on {@code target}. */
    public void emit(Target target, Caller caller, Action action, long timestamp, ArrayNode impacted) {
        if (action == Action.READ && !readEventsWanted) {
            return;
        }
        ObjectNode payload = Json.object();
        payload.put("timestamp", timestamp);
        payload.put("action", action.value());
        payload.put("uri", target.requestUri());
        if (caller.userId() == null) {
            payload.putNull("user_id");
        } else {
            payload.put("user_id", caller.userId());
        }
        payload.put("resource_name", target.kind().resourceName());
        target.urlParameters().forEach(payload::put);
        events.add(target.kind().resourceName(), target.parentId(), action, payload, impacted);
    }
}
