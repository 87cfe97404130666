package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.storage.OutboxStore.NewRow;
import org.kinto4j.server.storage.OutboxStore.OutboxRow;

/** Outbox rows (append, pending, backlog, dead letters, requeue, cleanup) and listener_state, on H2 and PostgreSQL. */
class OutboxStoreTest {

    private static final long NOW = 10_000;

    @TempDir
    Path dir;

    private Database open(String url) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("c.conf"), "storage.url = \"" + url + "\"\n");
        ServerSettings settings = new ConfigLoader(Map.of()).load(dir.resolve("c.conf"));
        Database db = new Database(settings.storage());
        new Migrations(db.jdbi(), db.dialect()).migrate();
        return db;
    }

    @Test
    void h2() throws Exception {
        try (Database db = open("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k")) {
            outboxRows(db);
            listenerStates(db);
        }
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create(); Database db = open(pg.url())) {
            outboxRows(db);
            listenerStates(db);
        }
    }

    private void outboxRows(Database db) {
        OutboxStore store = new OutboxStore(db.jdbi(), () -> NOW);
        try (Tx tx = new Transactions(db).begin()) {
            tx.beginWrite();
            OutboxStore.append(tx, List.of(new NewRow("e1", "q", "{\"n\":1}", 1_000), new NewRow("e2", "q", "{\"n\":2}", 2_000),
                    new NewRow("x1", "other", "{}", 3_000)));
            tx.commit();
        }
        List<OutboxRow> pending = store.pending("q", 10);
        assertThat(pending).extracting(OutboxRow::eventId).containsExactly("e1", "e2");
        assertThat(pending.get(0)).extracting(OutboxRow::status, OutboxRow::attempts, OutboxRow::nextAttemptAt,
                OutboxRow::payload).containsExactly("pending", 0, 1_000L, "{\"n\":1}");
        assertThat(store.pending("q", 1)).extracting(OutboxRow::eventId).containsExactly("e1");
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(2, NOW - 1_000, 0, 0, null));

        OutboxLeases leases = new OutboxLeases(db.jdbi(), db.dialect());
        long token = leases.acquire("q", "A", Duration.ofMinutes(1)).orElseThrow().token();
        assertThat(leases.markDead("q", "A", token, pending.get(0).seq(), 3, "boom")).isTrue();
        assertThat(store.deadLetters("q", 10)).extracting(OutboxRow::eventId, OutboxRow::lastError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e1", "boom"));
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(1, NOW - 2_000, 1, 0, null));

        assertThat(store.requeue("q", "e2")).as("e2 is not a dead letter").isZero();
        assertThat(store.requeue("q", "e1")).isEqualTo(1);
        assertThat(store.pending("q", 10).get(0)).extracting(OutboxRow::eventId, OutboxRow::attempts,
                OutboxRow::nextAttemptAt, OutboxRow::lastError).containsExactly("e1", 0, NOW, null);

        assertThat(leases.markDelivered("q", "A", token, List.of(pending.get(0).seq()), 5_000)).isTrue();
        assertThat(leases.markDelivered("q", "A", token, List.of(pending.get(1).seq()), 6_000)).isTrue();
        assertThat(store.backlog("q")).isEqualTo(new OutboxStore.Backlog(0, null, 0, 2, null));
        assertThat(store.deleteDelivered("q", 5_000)).as("delivered at, not before").isZero();
        assertThat(store.deleteDelivered("q", 5_001)).as("only the older row").isEqualTo(1);
        assertThat(store.deleteDelivered("q", 6_001)).isEqualTo(1);
        assertThat(store.pending("other", 10)).extracting(OutboxRow::eventId).containsExactly("x1");
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
