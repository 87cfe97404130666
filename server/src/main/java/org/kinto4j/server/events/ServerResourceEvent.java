package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.server.json.Json;

/**
 * The immutable event handed to listeners; plain JDK values only. Made from a tree that no one
 * changes afterwards ({@link #ofOwnedTree}, a durable row just parsed), it converts the payload
 * and the impacted objects to JDK values, and the payload to JSON text, on first use only: a
 * webhook reads the values, a Redis listener the text, neither needs both.
 */
public final class ServerResourceEvent implements ResourceEvent {

    private final String id;
    private final Action action;
    private final String resourceName;
    private final long timestamp;
    private final String userId;
    private final ObjectNode payloadTree;
    private final ArrayNode impactedTree;
    private volatile Map<String, Object> payload;
    private volatile List<Map<String, Object>> impacted;
    private volatile String json;
    private final ListenerStorage storage;

    /**
     * An event whose values are taken now: the trees may change once this returns (the request's
     * objects, after an {@code in_transaction} or {@code after_commit} listener ran).
     */
    ServerResourceEvent(String id, ObjectNode payload, ArrayNode impacted, ListenerStorage storage) {
        this(id, payload, impacted, storage, false);
    }

    private ServerResourceEvent(String id, ObjectNode payload, ArrayNode impacted, ListenerStorage storage,
            boolean owned) {
        this.id = id;
        this.action = Action.fromValue(payload.path("action").asText());
        this.resourceName = payload.path("resource_name").asText();
        this.timestamp = payload.path("timestamp").asLong();
        this.userId = payload.path("user_id").isTextual() ? payload.get("user_id").textValue() : null;
        this.storage = storage;
        this.payloadTree = owned ? payload : null;
        this.impactedTree = owned ? impacted : null;
        if (!owned) {
            this.payload = Json.toJavaMap(payload);
            this.impacted = javaValues(impacted);
            this.json = Json.write(payload);
        }
    }

    /** An event made of trees that no one changes afterwards: its values are made on first use. */
    static ServerResourceEvent ofOwnedTree(String id, ObjectNode payload, ArrayNode impacted) {
        return new ServerResourceEvent(id, payload, impacted, null, true);
    }

    private static List<Map<String, Object>> javaValues(ArrayNode impacted) {
        List<Map<String, Object>> list = new ArrayList<>(impacted.size());
        for (JsonNode entry : impacted) {
            list.add(Json.toJavaMap((ObjectNode) entry));
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Action action() {
        return action;
    }

    @Override
    public String resourceName() {
        return resourceName;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    @Override
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    @Override
    public Map<String, Object> payload() {
        Map<String, Object> p = payload;
        if (p == null) {
            payload = p = Json.toJavaMap(payloadTree); // the same values whichever thread makes them first
        }
        return p;
    }

    @Override
    public List<Map<String, Object>> impactedObjects() {
        List<Map<String, Object>> i = impacted;
        if (i == null) {
            impacted = i = javaValues(impactedTree);
        }
        return i;
    }

    @Override
    public String json() {
        String j = json;
        if (j == null) {
            json = j = Json.write(payloadTree);
        }
        return j;
    }

    @Override
    public ListenerStorage storage() {
        if (storage == null) {
            throw new IllegalStateException("event.storage() is only available to listeners with delivery = "
                    + "in_transaction: this listener runs after the commit, outside the request's transaction");
        }
        return storage;
    }

    @Override
    public String toString() {
        return "ResourceEvent{id=" + id + ", " + json() + ", impacted=" + impactedObjects().size() + "}";
    }
}
