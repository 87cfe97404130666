package org.kinto4j.examples.tracker;

import org.kinto4j.listener.BuiltAgainst;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerApi;
import org.kinto4j.listener.ListenerFactory;

/**
 * Kinto's "tracker" tutorial as a kinto4j plugin: remembers who created which bucket and tells
 * every authenticated user, in a {@code Buckets-Created} response header, how many buckets they
 * have created so far.
 *
 * <p>Enable it with {@code use = tracker}. It has no settings of its own; it is meant to be
 * filtered to bucket creations:
 *
 * <pre>{@code
 * event_listeners {
 *   tracker { use = tracker, actions = [create], resources = [bucket] }
 * }
 * }</pre>
 *
 * <p>Two parts work together:
 * <ul>
 *   <li>{@link BucketCreationTracker}, the listener, stores one {@code tracker} object per
 *       created bucket through {@code event.storage()}, so the tracking commits or rolls back
 *       with the request. It therefore needs the default {@code in_transaction} delivery.</li>
 *   <li>{@link BucketsCreatedHeader}, a response hook registered here, counts the caller's
 *       {@code tracker} objects on every response.</li>
 * </ul>
 */
@BuiltAgainst(ListenerApi.VERSION)
public final class TrackerListenerFactory implements ListenerFactory {

    /** The name operators write in {@code use = ...}. */
    public static final String NAME = "tracker";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Listener create(ListenerContext context) {
        if (context.delivery() != Delivery.IN_TRANSACTION) {
            throw new IllegalArgumentException("listener '" + context.name() + "' has delivery = "
                    + context.delivery().value() + ", but the tracker writes through event.storage(), which exists only "
                    + "inside the request's transaction: remove the delivery setting (or set delivery = in_transaction)");
        }
        context.onResponse(new BucketsCreatedHeader());
        return new BucketCreationTracker(context.name());
    }
}
