package org.kinto4j.listener;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One change (or read) of buckets, collections, groups or records, exactly as Kinto reports it.
 *
 * <p>Events of one request (or one batch) are merged by Kinto's rule: changes with the same
 * resource name, parent and action become one event whose {@link #impactedObjects()} list holds
 * them all, in order, while {@link #payload()} describes the first one. Consumers must iterate
 * {@link #impacted()} (or {@code impactedObjects()}) rather than trust {@code payload().get("uri")}.
 *
 * <p>Instances are immutable and may be kept after {@link Listener#onEvent} returns, except
 * {@link #storage()}, which is only usable during the call.
 */
public interface ResourceEvent {

    /**
     * Unique id of this event for this listener instance. Stable across redeliveries in
     * {@code durable} mode, so consumers can deduplicate.
     */
    String id();

    /** What happened. */
    Action action();

    /** {@code bucket}, {@code collection}, {@code group} or {@code record}. */
    String resourceName();

    /**
     * The collection timestamp of the affected list after the change (milliseconds since the
     * epoch); for a single create/update/delete, the object's new {@code last_modified}.
     */
    long timestamp();

    /** The caller's prefixed user id ({@code basicauth:...}); empty when anonymous. */
    Optional<String> userId();

    /**
     * Kinto's payload: {@code timestamp, action, uri, user_id, resource_name} and the URL ids
     * ({@code bucket_id}, {@code collection_id}, {@code group_id}, {@code record_id} as the
     * route has them). Unmodifiable; JSON-compatible JDK values only.
     */
    Map<String, Object> payload();

    /**
     * The objects the event is about, in order. For create: {@code {"new": obj}}; for update and
     * delete: {@code {"new": obj, "old": obj}} (for delete, {@code new} is the tombstone
     * {@code {"id", "last_modified", "deleted": true}}); for read: {@code {"new": obj}} per object
     * read. Objects never contain permissions. Unmodifiable.
     */
    List<Map<String, Object>> impactedObjects();

    /**
     * {@link #impactedObjects()}, typed: one {@link Impacted} per object, in the same order, so a
     * listener reads {@code event.impacted().get(0).newObject()} without casting maps. Built on
     * each call from {@code impactedObjects()}; the list is unmodifiable.
     *
     * @since listener API 1.1
     */
    default List<Impacted> impacted() {
        return impactedObjects().stream().map(Impacted::of).toList();
    }

    /** {@link #payload()} as a JSON string, the message Kinto's Redis listener pushed. */
    String json();

    /**
     * Storage that joins the request's transaction: what the listener writes commits or rolls
     * back with the request. Only available while an {@code in_transaction} listener runs.
     *
     * @throws IllegalStateException in the {@code after_commit} and {@code durable} modes
     */
    ListenerStorage storage();
}
