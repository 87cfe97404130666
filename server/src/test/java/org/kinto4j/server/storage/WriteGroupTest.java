package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;

/** H2: concurrent writers share one transaction and one commit; each keeps or undoes only its own work. */
class WriteGroupTest {

    @TempDir
    Path dir;

    private Database database;
    private Transactions transactions;
    private final ObjectStore objects = new ObjectStore(System::currentTimeMillis);

    @BeforeEach
    void open() {
        database = new Database(new ServerSettings.Storage("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
                "", "", 4, Duration.ofSeconds(5)));
        new Migrations(database.jdbi(), database.dialect()).migrate();
        transactions = new Transactions(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static ObjectNode obj(String id) {
        ObjectNode o = Json.object();
        o.put("id", id);
        return o;
    }

    /**
     * Writer A holds the gate; B queues. A's commit hands the open transaction to B and waits;
     * B's commit commits both: one commit for two writers, and A is not answered before it.
     */
    private void twoWriters(boolean secondKeeps) throws Exception {
        long commitsBefore = transactions.writeGroup().commits();
        CountDownLatch aWrote = new CountDownLatch(1);
        CountDownLatch bMayFinish = new CountDownLatch(1);
        // Each writer on its own thread, as requests are (the gate belongs to the writer's thread).
        CompletableFuture<Void> aCommit = CompletableFuture.runAsync(() -> {
            try (Tx a = transactions.begin()) {
                objects.create(a, "record", "/p", obj("a"), null);
                aWrote.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> transactions.writeGroup().writersWaiting());
                a.commit();
            }
        });
        assertThat(aWrote.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            try (Tx tx = transactions.begin()) {
                tx.beginWrite(); // queues behind A
                objects.create(tx, "record", "/p", obj("b"), null);
                await().atMost(Duration.ofSeconds(10)).until(() -> bMayFinish.getCount() == 0);
                if (secondKeeps) {
                    tx.commit();
                } else {
                    tx.rollback();
                }
            }
        });
        // A handed the transaction over: B writes in it, and A is still waiting for the commit.
        await().atMost(Duration.ofSeconds(10)).until(() -> !transactions.writeGroup().writersWaiting());
        assertThat(aCommit).isNotDone();
        bMayFinish.countDown();
        b.get(10, TimeUnit.SECONDS);
        aCommit.get(10, TimeUnit.SECONDS);
        assertThat(transactions.writeGroup().commits() - commitsBefore).isEqualTo(1);
        try (Tx tx = transactions.begin()) {
            assertThat(objects.get(tx, "record", "/p", "a")).isPresent();
            assertThat(objects.get(tx, "record", "/p", "b").isPresent()).isEqualTo(secondKeeps);
        }
    }

    @Test
    void twoConcurrentWritersShareOneCommit() throws Exception {
        twoWriters(true);
    }

    @Test
    void aWriterThatRollsBackUndoesOnlyItsOwnWork() throws Exception {
        twoWriters(false);
    }

    @Test
    void aLoneWriterCommitsAtOnce() {
        long before = transactions.writeGroup().commits();
        try (Tx tx = transactions.begin()) {
            objects.create(tx, "record", "/p", obj("alone"), null);
            tx.commit();
        }
        assertThat(transactions.writeGroup().commits() - before).isEqualTo(1);
    }
}
