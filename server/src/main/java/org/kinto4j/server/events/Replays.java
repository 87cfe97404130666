package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;
import org.kinto4j.server.config.ConfigError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.ChangedObjects;
import org.kinto4j.server.storage.ListenerStates;
import org.kinto4j.server.storage.OutboxStore;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay for a new or repaired durable instance: what exists becomes events in the instance's
 * outbox, ahead of every live event committed after it.
 *
 * <p>The snapshot is read and written in one transaction that first takes the lock every
 * outbox writer takes before its commit (the write gate on H2, the outbox advisory lock on
 * PostgreSQL). A change that committed before is in the snapshot; a change that commits after
 * has its live event after the snapshot's rows. So there is no gap and no duplicate at the
 * switch: applying the events in order gives exactly the stored state. Writes wait while the
 * snapshot is taken (for a few thousand objects, milliseconds).
 *
 * <p>What a replay sends, in this order: buckets, then collections, then groups, then records;
 * within each, by parent, then by {@code last_modified}. An object that exists becomes a
 * {@code create} event (impacted {@code [{"new": object}]}); with {@code from > 0} a tombstone
 * newer than {@code from} becomes a {@code delete} event ({@code [{"new": tombstone}]}, no
 * {@code old}); with {@code from = 0} tombstones are skipped (a consumer starting from nothing has
 * nothing to delete). One event per object; the payload is Kinto's for that object, its
 * {@code timestamp} the object's {@code last_modified}, {@code user_id} null, and
 * {@code "replay": true}. Only objects with {@code last_modified > from} are sent (Kinto's
 * {@code _since}). The instance's {@code actions}, {@code resources}, {@code buckets} and
 * {@code collections} apply. Consumers should treat replayed creates as upserts.
 */
public final class Replays {

    private static final Logger LOG = LoggerFactory.getLogger(Replays.class);
    private static final List<String> LEVELS = List.of("bucket", "collection", "group", "record");

    private final Transactions transactions;
    private final Outbox outbox;
    private final InstanceStates states;

    public Replays(Transactions transactions, Outbox outbox, InstanceStates states) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.states = states;
    }

    /** At start: replays {@code replay_from} for each instance that has not had that replay yet. */
    public void runConfigured(List<ListenerInstance> instances) {
        for (ListenerInstance i : instances) {
            Long from = i.config().replayFrom();
            if (from == null) {
                continue;
            }
            if (i.delivery() != Delivery.DURABLE) {
                throw new ConfigError("Listener '" + i.name() + "' sets " + i.config().keyPrefix() + ".replay_from but has"
                        + " delivery = " + i.delivery().value() + ": only durable instances can be replayed (their"
                        + " outbox holds the replay). Set delivery = durable or remove replay_from.");
            }
            Optional<ListenerStates.State> state = states.get(i.name());
            if (state.isPresent() && from.equals(state.get().replayFrom()) && state.get().replayedAt() != null) {
                LOG.info("Listener '{}': replay_from = {} already done ({} events); not replaying again",
                        i.name(), from, state.get().replayedEvents());
                continue;
            }
            replay(i, from);
        }
    }

    /** Queues the replay of what changed since {@code from} (0: everything); returns how many events. */
    public long replay(ListenerInstance instance, long from) {
        long count;
        try (Tx tx = transactions.begin()) {
            tx.beginWrite();
            OutboxStore.lockWriters(tx);
            Outbox.Pending pending = new Outbox.Pending();
            for (String level : LEVELS) {
                ChangedObjects.since(tx, level, from, row -> stage(tx, pending, instance,
                        event(level, row.parentId(), row.data(), row.deleted()), from));
            }
            count = pending.rows.size();
            states.recordReplay(tx, instance.name(), from, count);
            tx.commit();
        }
        LOG.info("Listener '{}': replay of what changed since {} queued ({} events), ahead of live events",
                instance.name(), from, count);
        outbox.wakeHook().run();
        return count;
    }

    private void stage(Tx tx, Outbox.Pending pending, ListenerInstance instance, ChangeEvent event, long from) {
        if (event.action() == Action.DELETE && from == 0) {
            return;
        }
        if (!instance.accepts(event.action(), event.resourceName())) {
            return;
        }
        ChangeEvent scoped = ScopedEvents.select(instance.config().scope(), event);
        if (scoped != null) {
            outbox.stage(tx, pending, instance, scoped);
        }
    }

    private static ChangeEvent event(String level, String parentId, String data, boolean deleted) {
        ObjectNode object = Json.parseStored(data);
        String id = object.path("id").asText();
        String[] parent = parentId.split("/");
        Action action = deleted ? Action.DELETE : Action.CREATE;
        ObjectNode payload = Json.object();
        payload.put("timestamp", object.path("last_modified").asLong());
        payload.put("action", action.value());
        String uri = parentId + "/" + (level.equals("bucket") ? "buckets" : level + "s") + "/" + id;
        payload.put("uri", uri);
        payload.putNull("user_id");
        payload.put("resource_name", level);
        if (parent.length > 2) {
            payload.put("bucket_id", parent[2]);
        }
        if (parent.length > 4) {
            payload.put("collection_id", parent[4]);
        }
        payload.put(level + "_id", id);
        payload.put("replay", true);
        ArrayNode impacted = Json.array();
        impacted.addObject().set("new", object);
        return new ChangeEvent(level, parentId, action, payload, impacted);
    }
}
