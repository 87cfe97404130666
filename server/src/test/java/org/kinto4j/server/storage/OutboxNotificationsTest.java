package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.storage.OutboxStore.NewRow;

/**
 * What wakes a process's durable dispatcher on a real PostgreSQL: another process's outbox
 * commit, not its own (its dispatcher was woken directly), and the listening connection coming
 * back (what was committed meanwhile was not announced).
 */
class OutboxNotificationsTest {

    private static final String BARRIER = "kinto4j_test_barrier";

    private PostgresDatabase pg;
    private Database database;
    private PgNotifications notifications;
    private final AtomicInteger wakes = new AtomicInteger();
    private final Set<String> barriers = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void open() {
        pg = PostgresDatabase.create();
        database = new Database(new ServerSettings.Storage(pg.url(), "", "", 4, Duration.ofSeconds(5)));
        new Migrations(database.jdbi(), database.dialect()).migrate();
        notifications = database.notifications().orElseThrow();
        notifications.subscribe(BARRIER, new PgNotifications.Subscriber() {
            @Override
            public void onNotification(String payload) {
                barriers.add(payload);
            }

            @Override
            public void onListening(boolean listening) {
            }
        });
        OutboxNotifications.subscribe(notifications, "this process", wakes::incrementAndGet);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void anotherProcessesOutboxCommitWakesTheDispatcherAndThisProcessesOwnDoesNot() {
        passBarrier("ready");
        int before = wakes.get();
        append("this process", "e1");
        append("another process", "e2");
        append("this process", "e3");
        // notifications arrive in commit order on one connection: once the barrier is seen, so were the three
        passBarrier("after");
        assertThat(wakes.get() - before).isEqualTo(1);
    }

    @Test
    void theDispatcherIsWokenWhenTheListeningConnectionIsBack() {
        passBarrier("ready");
        int before = wakes.get();
        notifications.reconnect();
        await().atMost(Duration.ofSeconds(20)).until(() -> wakes.get() > before);
    }

    private void append(String process, String eventId) {
        try (Tx tx = new Transactions(database).begin()) {
            tx.beginWrite();
            OutboxStore.append(tx, process, List.of(new NewRow(eventId, "q", "{}", 1_000)));
            tx.commit();
        }
    }

    /** Sends a barrier notification until it comes back (one sent while connecting is lost). */
    private void passBarrier(String name) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            database.jdbi().useTransaction(h -> PgNotifications.send(h, BARRIER, name));
            return barriers.contains(name);
        });
    }
}
