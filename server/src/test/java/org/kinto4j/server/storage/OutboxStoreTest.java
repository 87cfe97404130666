package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.storage.OutboxStore.NewRow;
import org.kinto4j.server.storage.OutboxStore.OutboxRow;

/** Outbox rows (append, pending, backlog, dead letters, requeue, cleanup) and listener_state, on H2 and PostgreSQL. */
class OutboxStoreTest {

    private static final long NOW = 10_000;

    @TempDir
    Path dir;

    @Test
    void h2() throws Exception {
        try (Database db = MigratedDatabases.h2(dir)) {
            outboxRows(db);
            listenerStates(db);
            moreRowsThanOneStatementCanBind(db);
        }
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create(); Database db = MigratedDatabases.open(dir, pg.url())) {
            outboxRows(db);
            listenerStates(db);
            moreRowsThanOneStatementCanBind(db);
        }
    }

    /**
     * A replay appends every existing object in one transaction: 16,500 rows are 66,000 values,
     * more than PostgreSQL binds in one statement (65,535), so they go in several, in order.
     */
    private void moreRowsThanOneStatementCanBind(Database db) {
        int n = 16_500;
        List<NewRow> rows = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new NewRow("bulk-" + i, "bulk", "{}", 1_000 + i));
        }
        try (Tx tx = new Transactions(db).begin()) {
            tx.beginWrite();
            OutboxStore.append(tx, "test", rows);
            tx.commit();
        }
        OutboxStore store = new OutboxStore(db.jdbi(), () -> NOW);
        List<OutboxRow> pending = store.pending("bulk", n + 1).rows();
        assertThat(pending).extracting(OutboxRow::eventId).containsExactlyElementsOf(rows.stream().map(NewRow::eventId).toList());
        assertThat(pending).allMatch(r -> r.nextAttemptAt() == r.createdAt() && r.status().equals("pending"));
        assertThat(store.waiting("bulk", 5)).isEqualTo(new OutboxStore.Waiting(n, 1_000L));
    }

    private void outboxRows(Database db) {
        OutboxStore store = new OutboxStore(db.jdbi(), () -> NOW);
        try (Tx tx = new Transactions(db).begin()) {
            tx.beginWrite();
            OutboxStore.append(tx, "test", List.of(new NewRow("e1", "q", "{\"n\":1}", 1_000), new NewRow("e2", "q", "{\"n\":2}", 2_000),
                    new NewRow("x1", "other", "{}", 3_000)));
            tx.commit();
        }
        OutboxStore.Queue queue = store.pending("q", 10);
        assertThat(queue.deliveredThrough()).isZero();
        List<OutboxRow> pending = queue.rows();
        assertThat(pending).extracting(OutboxRow::eventId).containsExactly("e1", "e2");
        assertThat(pending.get(0)).extracting(OutboxRow::status, OutboxRow::attempts, OutboxRow::nextAttemptAt,
                OutboxRow::payload).containsExactly("pending", 0, 1_000L, "{\"n\":1}");
        assertThat(store.pending("q", 1).rows()).extracting(OutboxRow::eventId).containsExactly("e1");
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(2, NOW - 1_000, 0, 0, null));

        OutboxLeases leases = new OutboxLeases(db.jdbi(), db.dialect());
        long token = leases.acquire("q", "A", Duration.ofMinutes(1)).orElseThrow().token();
        long e1 = pending.get(0).seq();
        long e2 = pending.get(1).seq();
        assertThat(leases.scheduleRetry("q", "A", token, e1, 1, NOW + 5, "slow")).isTrue();
        assertThat(store.backlog("q").retryingError()).isEqualTo("slow");
        assertThat(leases.markDead("q", "A", token, e1, 3, "boom")).isTrue();
        assertThat(leases.markDeliveredThrough("q", "A", token, e1)).as("the round passed the dead letter").isTrue();
        assertThat(store.deadLetters("q", 10)).extracting(OutboxRow::eventId, OutboxRow::lastError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e1", "boom"));
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(1, NOW - 2_000, 1, 0, null));

        assertThat(requeue(db, "e2")).as("e2 is not a dead letter").isZero();
        assertThat(requeue(db, "e1")).isEqualTo(1);
        assertThat(store.deadLetters("q", 10)).isEmpty();
        queue = store.pending("q", 10);
        assertThat(queue.deliveredThrough()).isEqualTo(e1);
        assertThat(queue.rows()).as("a re-queued event goes to the end of the queue, behind the mark it was passed by")
                .extracting(OutboxRow::eventId, OutboxRow::attempts, OutboxRow::nextAttemptAt, OutboxRow::lastError,
                        OutboxRow::createdAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e2", 0, 2_000L, null, 2_000L),
                        org.assertj.core.groups.Tuple.tuple("e1", 0, NOW, null, 1_000L));
        long requeued = queue.rows().get(1).seq();
        assertThat(requeued).isGreaterThan(e2);

        assertThat(leases.markDeliveredThrough("q", "A", token, e2)).isTrue();
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(1, NOW - 1_000, 0, 1, null));
        assertThat(leases.markDeliveredThrough("q", "A", token, requeued)).isTrue();
        assertThat(leases.markDeliveredThrough("q", "A", token, e2)).as("accepted, but the mark never moves back").isTrue();
        assertThat(store.pending("q", 10).rows()).isEmpty();
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(0, null, 0, 2, null));

        assertThat(store.deleteDelivered("q", e2, 0)).as("up to the mark given").isEqualTo(1);
        assertThat(store.deleteDelivered("q", requeued, 0)).isEqualTo(1);
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(0, null, 0, 0, null));
        assertThat(store.pending("other", 10).rows()).extracting(OutboxRow::eventId).containsExactly("x1");

        // rows delivered before the delivered mark existed were marked one by one, with a time
        db.jdbi().useHandle(h -> h.execute("INSERT INTO outbox (event_id, listener, payload, created_at, status, "
                + "next_attempt_at, delivered_at) VALUES ('old', 'q', '{}', 0, 'delivered', 0, 5000)"));
        assertThat(store.backlog("q").deliveredKept()).isEqualTo(1);
        assertThat(store.deleteDelivered("q", 0, 5_000)).as("delivered at, not before").isZero();
        assertThat(store.deleteDelivered("q", 0, 5_001)).isEqualTo(1);
    }

    private static int requeue(Database db, String eventId) {
        try (Tx tx = new Transactions(db).begin()) {
            tx.beginWrite();
            int n = OutboxStore.requeue(tx, "q", eventId, NOW);
            tx.commit();
            return n;
        }
    }

    private void listenerStates(Database db) {
        ListenerStates states = new ListenerStates(db.jdbi(), db.dialect(), () -> NOW);
        assertThat(states.get("q")).isEmpty();
        assertThat(states.enable("q")).as("nothing to enable").isFalse();
        states.disable("q", "410 Gone");
        assertThat(states.get("q")).contains(new ListenerStates.State(true, "410 Gone", NOW, null, null, null));
        assertThat(states.enable("q")).isTrue();
        assertThat(states.enable("q")).isFalse();
        try (Tx tx = new Transactions(db).begin()) {
            tx.beginWrite();
            states.recordReplay(tx, "q", 42, 7);
            tx.commit();
        }
        assertThat(states.get("q")).contains(new ListenerStates.State(false, null, null, 42L, NOW, 7L));
    }
}
