package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.OutboxStore;
import org.kinto4j.server.storage.Tx;

/**
 * The write side of durable delivery: events for {@code durable} instances become outbox rows
 * in the request's own transaction, so a row exists if and only if its change committed.
 * Rows are inserted just before the commit ({@link OutboxStore#append}: on PostgreSQL a
 * transaction-scoped advisory lock is taken first, so row order (seq) is commit order even with
 * several writers and processes).
 */
public final class Outbox {

    private final LongSupplier clock;
    private final String process;
    private Runnable onStaged = () -> { };

    /** {@code process}: this process's id (the durable dispatcher's lease owner), sent with the rows' notification. */
    public Outbox(LongSupplier clock, String process) {
        this.clock = clock;
        this.process = process;
    }

    /** Called after a commit that staged rows (wakes the local dispatcher). */
    public void onCommitted(Runnable wake) {
        this.onStaged = wake;
    }

    Runnable wakeHook() {
        return onStaged;
    }

    /** Rows for one transaction, written by {@link #flush} just before its commit. */
    static final class Pending {
        final List<OutboxStore.NewRow> rows = new ArrayList<>();
    }

    void stage(Tx tx, Pending pending, ListenerInstance instance, ChangeEvent event) {
        if (pending.rows.isEmpty()) {
            tx.beforeCommit(() -> flush(tx, pending));
        }
        ObjectNode row = Json.object();
        row.set("payload", event.payload());
        row.set("impacted", event.impacted());
        long now = clock.getAsLong();
        pending.rows.add(new OutboxStore.NewRow(UUID.randomUUID().toString(), instance.name(), Json.write(row), now));
    }

    private void flush(Tx tx, Pending pending) {
        tx.beginWrite();
        OutboxStore.append(tx, process, pending.rows);
    }
}
