package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kinto4j.listener.Action;

/**
 * The events of one top-level request or batch, merged by Kinto's rule (upstream kinto/core/events.py): the key is
 * (cascade level, resource name, parent id, action); a later event with the same key appends
 * its impacted objects to the first one, whose payload is kept. Events added while the
 * before-commit pass delivers land one level deeper and are delivered in the same pass.
 */
public final class EventCollector {

    private record Key(int level, String resource, String parent, Action action) {
    }

    private final Map<Key, ChangeEvent> pending = new LinkedHashMap<>();
    private final List<ChangeEvent> delivered = new ArrayList<>();
    private int level = 1;

    public void add(String resource, String parentId, Action action, ObjectNode payload, ArrayNode impacted) {
        Key key = new Key(level, resource, parentId, action);
        ChangeEvent existing = pending.get(key);
        if (existing == null) {
            pending.put(key, new ChangeEvent(resource, parentId, action, payload, impacted));
        } else {
            existing.merge(impacted);
        }
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * The before-commit pass: hands each pending event, oldest first, to {@code sink}; events the
     * sink adds meanwhile are handed over in the same pass. Afterwards {@link #deliveredMerged()}
     * holds every delivered event re-merged without levels, for the after-commit pass.
     */
    public void drain(EventSink sink) throws Exception {
        level++;
        while (!pending.isEmpty()) {
            Map.Entry<Key, ChangeEvent> first = pending.entrySet().iterator().next();
            pending.remove(first.getKey());
            delivered.add(first.getValue());
            sink.accept(first.getValue());
        }
    }

    /** The events of the before-commit pass, in delivery order (read-only view). */
    public List<ChangeEvent> delivered() {
        return java.util.Collections.unmodifiableList(delivered);
    }

    /** Delivered events merged again by (resource, parent, action), cascade levels ignored. */
    public List<ChangeEvent> deliveredMerged() {
        Map<List<Object>, ChangeEvent> merged = new LinkedHashMap<>();
        for (ChangeEvent e : delivered) {
            List<Object> key = List.of(e.resourceName(), Objects.toString(e.parentId()), e.action());
            ChangeEvent first = merged.get(key);
            if (first == null) {
                merged.put(key, new ChangeEvent(e.resourceName(), e.parentId(), e.action(), e.payload(),
                        e.impacted().deepCopy()));
            } else {
                first.merge(e.impacted());
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** Receives events during the before-commit pass. */
    @FunctionalInterface
    public interface EventSink {
        void accept(ChangeEvent event) throws Exception;
    }
}
