package org.kinto4j.examples.tracker;

import java.util.Optional;

import org.kinto4j.listener.Action;
import org.kinto4j.listener.Impacted;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResourceEvent;

/**
 * Stores one {@code tracker} object per bucket created by an authenticated user.
 *
 * <p>Iterates the event's impacted objects (a batch request that creates several buckets
 * produces one merged event). Ignores everything but bucket creations, so a configuration that
 * forgot {@code resources = [bucket]} does not count records as buckets. Anonymous creations are
 * not stored: nobody could ever be shown their count.
 *
 * <p>Writes go through {@link ResourceEvent#storage()}, which joins the request's transaction;
 * that requires the {@code in_transaction} delivery mode (the default). Stateless, hence
 * thread-safe.
 */
final class BucketCreationTracker implements Listener {

    private static final String BUCKET = "bucket";

    private final String instanceName;

    BucketCreationTracker(String instanceName) {
        this.instanceName = instanceName;
    }

    @Override
    public void onEvent(ResourceEvent event) {
        if (event.action() != Action.CREATE || !BUCKET.equals(event.resourceName())) {
            return;
        }
        Optional<String> userId = event.userId();
        if (userId.isEmpty()) {
            return;
        }
        ListenerStorage storage = transactionalStorage(event);
        for (Impacted bucket : event.impacted()) {
            TrackedBuckets.recordCreation(storage, userId.get(), createdBucketId(bucket));
        }
    }

    private ListenerStorage transactionalStorage(ResourceEvent event) {
        try {
            return event.storage();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the tracker stores its data through the request's transaction, which"
                    + " only the in_transaction delivery offers: remove 'delivery' from event_listeners."
                    + instanceName + " (in_transaction is the default) or set it to in_transaction", e);
        }
    }

    private static String createdBucketId(Impacted bucket) {
        if (bucket.id() == null) {
            throw new IllegalArgumentException(
                    "bucket create event without a \"new\" bucket id in its impacted object: " + bucket);
        }
        return bucket.id();
    }
}
