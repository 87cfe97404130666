package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kinto4j.listener.Action;

/**
 * One (possibly merged) event as the server holds it while a request runs: Kinto's payload and
 * the impacted objects ({@code {"new": ..., "old": ...}} entries; for reads {@code {"new": obj}}).
 * Mutable only while the collector merges into it.
 */
public final class ChangeEvent {

    private final String resourceName;
    private final String parentId;
    private final Action action;
    private final ObjectNode payload;
    private final ArrayNode impacted;

    ChangeEvent(String resourceName, String parentId, Action action, ObjectNode payload, ArrayNode impacted) {
        this.resourceName = resourceName;
        this.parentId = parentId;
        this.action = action;
        this.payload = payload;
        this.impacted = impacted;
    }

    public String resourceName() {
        return resourceName;
    }

    public String parentId() {
        return parentId;
    }

    public Action action() {
        return action;
    }

    public ObjectNode payload() {
        return payload;
    }

    public ArrayNode impacted() {
        return impacted;
    }

    void merge(ArrayNode more) {
        impacted.addAll(more);
    }

    public long timestamp() {
        return payload.path("timestamp").asLong();
    }

    public String userId() {
        return payload.path("user_id").isTextual() ? payload.get("user_id").textValue() : null;
    }
}
