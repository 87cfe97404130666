package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.storage.OutboxStore.NewRow;

/**
 * Outbox rows become visible in seq order, on H2 and PostgreSQL, with concurrent writers: once
 * a reader has seen a row, no row with a smaller seq appears later. Durable delivery relies on
 * it: its delivered mark skips every row up to the last one delivered, so a row that committed
 * after a later seq had been delivered would never be delivered.
 */
class OutboxCommitOrderTest {

    private static final int WRITERS = 4;
    private static final int ROWS_PER_WRITER = 300;

    @TempDir
    Path dir;

    @Test
    void h2() throws Exception {
        try (Database db = MigratedDatabases.h2(dir)) {
            noRowAppearsBehindOneSeen(db);
        }
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create(); Database db = MigratedDatabases.open(dir, pg.url())) {
            noRowAppearsBehindOneSeen(db);
        }
    }

    private void noRowAppearsBehindOneSeen(Database db) throws Exception {
        Transactions transactions = new Transactions(db);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; i < ROWS_PER_WRITER; i++) {
                    try (Tx tx = transactions.begin()) {
                        tx.beginWrite();
                        OutboxStore.append(tx, "test", List.of(new NewRow(writer + "-" + i, "order", "{}", i)));
                        tx.commit();
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        Thread done = new Thread(() -> {
            writers.forEach(OutboxCommitOrderTest::join);
            writing.set(false);
        });
        done.start();

        List<Long> seen = List.of();
        int reads = 0;
        while (writing.get() || reads == 0) {
            long highest = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
            List<Long> upToHighest = seqs(db, highest);
            assertThat(upToHighest).as("rows up to seq %d, read again", highest).isEqualTo(seen);
            seen = seqs(db, Long.MAX_VALUE);
            reads++;
        }
        done.join();
        assertThat(seqs(db, Long.MAX_VALUE)).hasSize(WRITERS * ROWS_PER_WRITER);
        assertThat(reads).as("the reader read while the writers wrote").isGreaterThan(2);
    }

    private static List<Long> seqs(Database db, long upTo) {
        return db.deliveryJdbi().withHandle(h -> h.createQuery("SELECT seq FROM outbox WHERE listener = 'order' "
                + "AND seq <= ? ORDER BY seq").bind(0, upTo).mapTo(Long.class).list());
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
