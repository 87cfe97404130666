package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Dialect;
import org.kinto4j.server.storage.Tx;

/**
 * The write side of durable delivery: events for {@code durable} instances become outbox rows
 * in the request's own transaction, so a row exists if and only if its change committed.
 * Rows are inserted just before the commit; on PostgreSQL a transaction-scoped advisory lock is
 * taken first, so row order (seq) is commit order even with several writers and processes.
 */
public final class Outbox {

    /** Advisory lock key that serialises outbox writers on PostgreSQL ("kinto4j-outbox"). */
    static final long ADVISORY_LOCK_KEY = 0x6b696e746f346aL;

    private final LongSupplier clock;
    private Runnable onStaged = () -> { };

    public Outbox(LongSupplier clock) {
        this.clock = clock;
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
        final List<Object[]> rows = new ArrayList<>();
    }

    void stage(Tx tx, Pending pending, ListenerInstance instance, ChangeEvent event) {
        if (pending.rows.isEmpty()) {
            tx.beforeCommit(() -> flush(tx, pending));
        }
        ObjectNode row = Json.object();
        row.set("payload", event.payload());
        row.set("impacted", event.impacted());
        long now = clock.getAsLong();
        pending.rows.add(new Object[] {UUID.randomUUID().toString(), instance.name(), Json.write(row), now});
    }

    private void flush(Tx tx, Pending pending) {
        tx.beginWrite();
        if (tx.dialect() == Dialect.POSTGRESQL) {
            // the lock, and a notification that other processes' dispatchers receive at commit
            tx.handle().createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?), pg_notify(?, '')) AS locked")
                    .bind(0, ADVISORY_LOCK_KEY).bind(1, OutboxNotifications.CHANNEL).mapTo(Integer.class).one();
        }
        PreparedBatch batch = tx.handle().prepareBatch("INSERT INTO outbox (event_id, listener, payload, created_at, "
                + "status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, 'pending', 0, ?)");
        for (Object[] r : pending.rows) {
            batch.bind(0, r[0]).bind(1, r[1]).bind(2, r[2]).bind(3, r[3]).bind(4, r[3]).add();
        }
        batch.execute();
    }
}
