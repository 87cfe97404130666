package org.kinto4j.builtin.history;

import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.ExposedResource;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerFactory;

/**
 * Kinto's history plugin as a listener: {@code use = history}, or {@code includes = [history]}
 * which configures the instance {@code history} from the top-level {@code history} block.
 * Entries are written in the request's transaction and served at
 * {@code /v1/buckets/{bid}/history}.
 */
public final class HistoryListenerFactory implements ListenerFactory {

    @Override
    public String name() {
        return "history";
    }

    @Override
    public Listener create(ListenerContext context) {
        if (context.delivery() != Delivery.IN_TRANSACTION) {
            throw new IllegalArgumentException("the history listener needs delivery = in_transaction (its entries "
                    + "and their permissions are written in the request's transaction), not " + context.delivery().value());
        }
        HistorySettings settings = HistorySettings.read(context.settings());
        context.exposeUnderBuckets(new ExposedResource(HistoryListener.RESOURCE, "history", settings.capability()));
        return new HistoryListener(settings);
    }
}
