package org.kinto4j.server.events;

import java.util.List;
import java.util.UUID;
import org.kinto4j.listener.Delivery;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a request's events (upstream kinto/core/events.py): before the commit to {@code in_transaction}
 * instances (an exception aborts the request), into the outbox for {@code durable} ones, then
 * to the server's internal subscribers; after a successful commit to {@code after_commit}
 * instances (exceptions logged).
 */
public final class EventPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(EventPipeline.class);

    private final List<ListenerInstance> instances;
    private final InternalSubscribers internal;
    private final ObjectStore objects;
    private final PermissionStore permissions;
    private final Outbox outbox;
    private final boolean wantsReads;
    private final boolean hasAfterCommit;
    private final boolean hasDurable;
    private CommitObserver observer = CommitObserver.NONE;

    public EventPipeline(ListenerRegistry registry, ObjectStore objects, PermissionStore permissions, Outbox outbox) {
        this.instances = registry.instances();
        this.internal = new InternalSubscribers(objects, permissions);
        this.objects = objects;
        this.permissions = permissions;
        this.outbox = outbox;
        this.wantsReads = registry.wantsReads();
        this.hasAfterCommit = instances.stream().anyMatch(i -> i.delivery() == Delivery.AFTER_COMMIT);
        this.hasDurable = instances.stream().anyMatch(i -> i.delivery() == Delivery.DURABLE);
    }

    /** Set once at start-up, before requests are served. */
    public void observe(CommitObserver commitObserver) {
        this.observer = commitObserver;
    }

    public boolean wantsReads() {
        return wantsReads;
    }

    /** The before-commit pass. Throws what an in_transaction listener threw. */
    public boolean beforeCommit(Tx tx, EventCollector events) throws Exception {
        if (events.isEmpty()) {
            return false;
        }
        Outbox.Pending pending = new Outbox.Pending();
        ListenerStorageView storage = new ListenerStorageView(tx, objects, permissions);
        events.drain(all -> {
            for (ListenerInstance instance : instances) {
                ChangeEvent event = instance.accepts(all.action(), all.resourceName())
                        ? ScopedEvents.select(instance.config().scope(), all) : null;
                if (event == null) {
                    continue;
                }
                switch (instance.delivery()) {
                    case IN_TRANSACTION -> {
                        String id = UUID.randomUUID().toString();
                        try {
                            instance.deliver(new ServerResourceEvent(id, event.payload(), event.impacted(), storage));
                        } catch (Exception e) {
                            throw new ListenerFailure(instance.name(), id, e);
                        }
                    }
                    case DURABLE -> outbox.stage(tx, pending, instance, event);
                    case AFTER_COMMIT -> {
                    }
                }
            }
            internal.onEvent(tx, all);
        });
        return !pending.rows.isEmpty();
    }

    /** The after-commit pass; never throws. */
    public void afterCommit(EventCollector events, boolean stagedDurable) {
        if (stagedDurable) {
            outbox.wakeHook().run();
        }
        observer.afterCommit(events.delivered());
        if (!hasAfterCommit) {
            return;
        }
        for (ChangeEvent all : events.deliveredMerged()) {
            for (ListenerInstance instance : instances) {
                if (instance.delivery() != Delivery.AFTER_COMMIT || !instance.accepts(all.action(), all.resourceName())) {
                    continue;
                }
                ChangeEvent event = ScopedEvents.select(instance.config().scope(), all);
                if (event == null) {
                    continue;
                }
                String id = UUID.randomUUID().toString();
                try {
                    instance.deliver(new ServerResourceEvent(id, event.payload(), event.impacted(), null));
                } catch (Exception e) {
                    LOG.error("Listener '{}' failed on event {} ({} {} {}); the request already succeeded: {}",
                            instance.name(), id, event.action().value(), event.resourceName(),
                            event.payload().path("uri").asText(), e.toString(), e);
                }
            }
        }
    }

    public boolean hasDurable() {
        return hasDurable;
    }
}
