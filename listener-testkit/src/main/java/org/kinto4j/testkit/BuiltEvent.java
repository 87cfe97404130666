package org.kinto4j.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/** The immutable event {@link TestEvent#build()} returns. */
record BuiltEvent(String id, Action action, String resourceName, long timestamp, String user,
                  Map<String, Object> payload, List<Map<String, Object>> impactedObjects, String json,
                  ListenerStorage transactional) implements ResourceEvent {

    @Override
    public Optional<String> userId() {
        return Optional.ofNullable(user);
    }

    @Override
    public ListenerStorage storage() {
        if (transactional == null) {
            throw new IllegalStateException("event.storage() is only available to listeners with delivery = "
                    + "in_transaction (in a test: build the event with .storage(...))");
        }
        return transactional;
    }

    @Override
    public String toString() {
        return "ResourceEvent{id=" + id + ", " + json + ", impacted=" + impactedObjects.size() + "}";
    }
}
