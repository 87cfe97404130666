package org.kinto4j.examples.email;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kinto4j.listener.Action;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/** A {@link ResourceEvent} built by hand; the email plugin reads action, resource and user only. */
record TestEvent(Action action, String resourceName, Optional<String> userId) implements ResourceEvent {

    static TestEvent of(Action action, String resourceName, String userId) {
        return new TestEvent(action, resourceName, Optional.ofNullable(userId));
    }

    @Override
    public String id() {
        return "event-1";
    }

    @Override
    public long timestamp() {
        return 1_717_171_717_200L;
    }

    @Override
    public Map<String, Object> payload() {
        return Map.of("action", action.value(), "resource_name", resourceName);
    }

    @Override
    public List<Map<String, Object>> impactedObjects() {
        return List.of();
    }

    @Override
    public String json() {
        throw new UnsupportedOperationException("not needed by the email plugin");
    }

    @Override
    public ListenerStorage storage() {
        throw new IllegalStateException("the email plugin must not need storage (it runs durable by default)");
    }
}
