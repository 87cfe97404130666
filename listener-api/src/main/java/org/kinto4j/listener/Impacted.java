package org.kinto4j.listener;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One object a {@link ResourceEvent} is about, typed: its value after the change and, for
 * updates and deletes, before it. A view of one entry of {@link ResourceEvent#impactedObjects()}.
 *
 * <p>Both maps are unmodifiable views (JSON {@code null} values are kept), hold JSON-compatible JDK values only and never contain
 * permissions. Immutable and thread-safe; safe to keep after {@link Listener#onEvent} returns.
 *
 * @param newObject the object after the change: for {@link Action#CREATE} and
 *     {@link Action#UPDATE} the stored object; for {@link Action#DELETE} the tombstone
 *     {@code {"id", "last_modified", "deleted": true}}; for {@link Action#READ} the object read
 * @param oldObject the object before the change: present for {@link Action#UPDATE} and
 *     {@link Action#DELETE}, empty for {@link Action#CREATE} and {@link Action#READ}
 */
public record Impacted(Map<String, Object> newObject, Optional<Map<String, Object>> oldObject) {

    public Impacted {
        newObject = Collections.unmodifiableMap(Objects.requireNonNull(newObject, "newObject"));
        oldObject = Objects.requireNonNull(oldObject, "oldObject").map(Collections::unmodifiableMap);
    }

    /**
     * Reads one entry of {@link ResourceEvent#impactedObjects()} ({@code {"new": ..., "old": ...}}).
     *
     * @throws IllegalArgumentException when {@code new} is missing or {@code new}/{@code old} is
     *     not an object; the message shows the entry
     */
    public static Impacted of(Map<String, Object> impactedObject) {
        Object created = impactedObject.get("new");
        Object previous = impactedObject.get("old");
        if (!(created instanceof Map<?, ?>) || (previous != null && !(previous instanceof Map<?, ?>))) {
            throw new IllegalArgumentException("an impacted object is {\"new\": {...}} plus \"old\" on update and"
                    + " delete, not " + impactedObject);
        }
        return new Impacted(jsonObject(created), Optional.ofNullable(previous).map(Impacted::jsonObject));
    }

    /**
     * The object's {@code id}, from {@link #newObject()} (a tombstone keeps its id); {@code null}
     * only for a hand-made entry without one, never for an event the server delivers.
     */
    public String id() {
        return newObject.get("id") instanceof String id ? id : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(Object value) {
        return (Map<String, Object>) value;
    }
}
