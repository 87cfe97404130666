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

/** The immutable event handed to listeners; plain JDK values only. */
public final class ServerResourceEvent implements ResourceEvent {

    private final String id;
    private final Action action;
    private final String resourceName;
    private final long timestamp;
    private final String userId;
    private final Map<String, Object> payload;
    private final List<Map<String, Object>> impacted;
    private final String json;
    private final ListenerStorage storage;

    ServerResourceEvent(String id, ObjectNode payload, ArrayNode impacted, ListenerStorage storage) {
        this.id = id;
        this.action = Action.fromValue(payload.path("action").asText());
        this.resourceName = payload.path("resource_name").asText();
        this.timestamp = payload.path("timestamp").asLong();
        this.userId = payload.path("user_id").isTextual() ? payload.get("user_id").textValue() : null;
        this.payload = Json.toJavaMap(payload);
        List<Map<String, Object>> list = new ArrayList<>(impacted.size());
        for (JsonNode entry : impacted) {
            list.add(Json.toJavaMap((ObjectNode) entry));
        }
        this.impacted = Collections.unmodifiableList(list);
        this.json = Json.write(payload);
        this.storage = storage;
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
        return payload;
    }

    @Override
    public List<Map<String, Object>> impactedObjects() {
        return impacted;
    }

    @Override
    public String json() {
        return json;
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
        return "ResourceEvent{id=" + id + ", " + json + ", impacted=" + impacted.size() + "}";
    }
}
