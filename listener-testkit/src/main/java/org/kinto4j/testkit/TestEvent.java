package org.kinto4j.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/**
 * Builds a {@link ResourceEvent} shaped like the server's: Kinto's payload ({@code timestamp,
 * action, uri, user_id, resource_name} and the URL ids), the impacted objects
 * ({@code {"new", "old"}}), the compact JSON of the payload, and storage only when given (as
 * only {@code in_transaction} delivery has it).
 *
 * <pre>{@code
 * ResourceEvent event = TestEvent.created("record").bucket("b1").collection("c1")
 *         .user("basicauth:alice").object(Map.of("id", "r1", "title", "hello")).build();
 * }</pre>
 *
 * <p>Several {@code object(...)} calls make one merged event, as Kinto merges a request's or a
 * batch's changes. Ids and timestamps default to increasing values. A builder is not
 * thread-safe; the events it builds are immutable.
 */
public final class TestEvent {

    private static final AtomicLong SEQUENCE = new AtomicLong(1_700_000_000_000L);

    /** The parent bucket of collections, groups and records when {@link #bucket} is not called. */
    public static final String DEFAULT_BUCKET = "b1";

    /** The parent collection of records when {@link #collection} is not called. */
    public static final String DEFAULT_COLLECTION = "c1";

    private final Action action;
    private final String resourceName;
    private final Map<String, String> parents = new LinkedHashMap<>();
    private final List<Map<String, Object>> impacted = new ArrayList<>();
    private String id;
    private Long timestamp;
    private String userId;
    private ListenerStorage storage;

    private TestEvent(Action action, String resourceName) {
        this.action = action;
        this.resourceName = resourceName;
    }

    /** An event of this action on {@code bucket}, {@code collection}, {@code group} or {@code record} objects. */
    public static TestEvent of(Action action, String resourceName) {
        return new TestEvent(action, resourceName);
    }

    /** A {@link Action#CREATE} event. */
    public static TestEvent created(String resourceName) {
        return of(Action.CREATE, resourceName);
    }

    /** An {@link Action#UPDATE} event. */
    public static TestEvent updated(String resourceName) {
        return of(Action.UPDATE, resourceName);
    }

    /** A {@link Action#DELETE} event. */
    public static TestEvent deleted(String resourceName) {
        return of(Action.DELETE, resourceName);
    }

    /** A {@link Action#READ} event. */
    public static TestEvent read(String resourceName) {
        return of(Action.READ, resourceName);
    }

    /** The parent bucket of collections, groups and records (default {@value #DEFAULT_BUCKET}). */
    public TestEvent bucket(String bucketId) {
        parents.put("bucket_id", bucketId);
        return this;
    }

    /** The parent collection of records (default {@value #DEFAULT_COLLECTION}). */
    public TestEvent collection(String collectionId) {
        parents.put("collection_id", collectionId);
        return this;
    }

    /** The caller's prefixed user id ({@code basicauth:...}); anonymous when never called. */
    public TestEvent user(String prefixedUserId) {
        this.userId = prefixedUserId;
        return this;
    }

    /** The event id (default: a fresh {@code event-N}). */
    public TestEvent id(String eventId) {
        this.id = eventId;
        return this;
    }

    /** The timestamp (default: a fresh, increasing value). */
    public TestEvent timestamp(long millis) {
        this.timestamp = millis;
        return this;
    }

    /** Storage for {@link ResourceEvent#storage()}; without it that method throws, as outside {@code in_transaction}. */
    public TestEvent storage(ListenerStorage transactional) {
        this.storage = transactional;
        return this;
    }

    /**
     * One impacted object, given with its {@code id}: for create and read it is {@code new}; for
     * update it is {@code new} and {@code old} alike (use {@link #change} to tell them apart);
     * for delete it is {@code old} and {@code new} is its tombstone.
     */
    public TestEvent object(Map<String, Object> object) {
        return switch (action) {
            case CREATE, READ -> impacted(Map.of("new", object));
            case UPDATE -> impacted(Map.of("new", object, "old", object));
            case DELETE -> impacted(Map.of("new", Map.of("id", String.valueOf(object.get("id")),
                    "last_modified", timestampOrNext(), "deleted", true), "old", object));
        };
    }

    /** One updated object, before and after. */
    public TestEvent change(Map<String, Object> oldObject, Map<String, Object> newObject) {
        return impacted(Map.of("new", newObject, "old", oldObject));
    }

    /** One entry of {@link ResourceEvent#impactedObjects()}, as is (to test malformed input too). */
    public TestEvent impacted(Map<String, Object> entry) {
        impacted.add(Collections.unmodifiableMap(new LinkedHashMap<>(entry)));
        return this;
    }

    /** The event. */
    public ResourceEvent build() {
        defaultParents();
        long at = timestampOrNext();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("timestamp", at);
        payload.put("action", action.value());
        payload.put("uri", uri());
        payload.put("user_id", userId);
        payload.put("resource_name", resourceName);
        payload.putAll(parents);
        firstId().ifPresent(first -> payload.put(resourceName + "_id", first));
        Map<String, Object> frozen = Collections.unmodifiableMap(payload);
        return new BuiltEvent(id != null ? id : "event-" + SEQUENCE.incrementAndGet(), action, resourceName, at,
                userId, frozen, List.copyOf(impacted), JsonText.write(frozen), storage);
    }

    private long timestampOrNext() {
        if (timestamp == null) {
            timestamp = SEQUENCE.incrementAndGet();
        }
        return timestamp;
    }

    private java.util.Optional<String> firstId() {
        return impacted.stream().map(e -> e.get("new")).filter(n -> n instanceof Map<?, ?>)
                .map(n -> ((Map<?, ?>) n).get("id")).filter(i -> i instanceof String).map(i -> (String) i).findFirst();
    }

    private String uri() {
        String bucket = parents.getOrDefault("bucket_id", DEFAULT_BUCKET);
        String collection = parents.getOrDefault("collection_id", DEFAULT_COLLECTION);
        String plural = switch (resourceName) {
            case "bucket" -> "/buckets";
            case "collection" -> "/buckets/" + bucket + "/collections";
            case "group" -> "/buckets/" + bucket + "/groups";
            case "record" -> "/buckets/" + bucket + "/collections/" + collection + "/records";
            default -> "/" + resourceName + "s";
        };
        return firstId().map(first -> plural + "/" + first).orElse(plural);
    }

    private void defaultParents() {
        if (!"bucket".equals(resourceName)) {
            parents.putIfAbsent("bucket_id", DEFAULT_BUCKET);
        }
        if ("record".equals(resourceName)) {
            parents.putIfAbsent("collection_id", DEFAULT_COLLECTION);
        }
    }
}
