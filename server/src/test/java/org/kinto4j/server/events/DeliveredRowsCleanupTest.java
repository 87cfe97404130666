package org.kinto4j.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Migrations;
import org.kinto4j.server.storage.OutboxLeases;
import org.kinto4j.server.storage.OutboxStore;
import org.kinto4j.server.storage.OutboxStore.NewRow;
import org.kinto4j.server.storage.OutboxStore.OutboxRow;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;

/** Delivered rows stay for keep_delivered after the delivered mark passed them, then go (H2). */
class DeliveredRowsCleanupTest {

    @TempDir
    Path dir;

    @Test
    void rowsGoOnceTheMarkThatPassedThemIsKeepDeliveredOld() throws Exception {
        Files.writeString(dir.resolve("c.conf"), "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k\"\n");
        try (Database db = new Database(new ConfigLoader(Map.of()).load(dir.resolve("c.conf")).storage())) {
            new Migrations(db.jdbi(), db.dialect()).migrate();
            AtomicLong now = new AtomicLong(1_000_000);
            OutboxStore store = new OutboxStore(db.jdbi(), now::get);
            append(db, 6);
            List<OutboxRow> rows = store.pending("q", 10).rows();
            OutboxLeases leases = new OutboxLeases(db.jdbi(), db.dialect());
            long token = leases.acquire("q", "A", Duration.ofMinutes(1)).orElseThrow().token();
            DeliveredRowsCleanup cleanup = new DeliveredRowsCleanup(store, "q", Duration.ofSeconds(10), now::get);

            leases.markDeliveredThrough("q", "A", token, rows.get(1).seq());
            cleanup.afterRound(rows.get(1).seq());
            assertThat(store.backlog("q").deliveredKept()).as("delivered just now: kept").isEqualTo(2);

            now.addAndGet(9_000);
            leases.markDeliveredThrough("q", "A", token, rows.get(3).seq());
            cleanup.afterRound(rows.get(3).seq());
            assertThat(store.backlog("q").deliveredKept()).as("not a run yet (one per keep_delivered)").isEqualTo(4);

            now.addAndGet(2_000);
            cleanup.afterRound(rows.get(3).seq());
            assertThat(store.backlog("q").deliveredKept()).as("the first two went, 11 s after the mark passed them")
                    .isEqualTo(2);
            assertThat(store.pending("q", 10).rows()).extracting(OutboxRow::seq)
                    .containsExactly(rows.get(4).seq(), rows.get(5).seq());

            now.addAndGet(11_000);
            cleanup.afterRound(rows.get(3).seq());
            assertThat(store.backlog("q").deliveredKept()).isZero();
            assertThat(store.backlog("q").pending()).as("rows after the mark stay").isEqualTo(2);
        }
    }

    private static void append(Database db, int n) {
        List<NewRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new NewRow("e" + i, "q", "{}", i));
        }
        try (Tx tx = new Transactions(db).begin()) {
            tx.beginWrite();
            OutboxStore.append(tx, "test", rows);
            tx.commit();
        }
    }
}
