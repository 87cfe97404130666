package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.config.ServerSettings;

/** LISTEN/NOTIFY on a real PostgreSQL, and the principals cache that relies on it. */
class PgNotificationsTest {

    private PostgresDatabase pg;
    private Database database;

    @BeforeEach
    void open() {
        pg = PostgresDatabase.create();
        database = new Database(new ServerSettings.Storage(pg.url(), "", "", 4, Duration.ofSeconds(5)));
        new Migrations(database.jdbi(), database.dialect()).migrate();
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

    private static final class Recorder implements PgNotifications.Subscriber {
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final AtomicBoolean listening = new AtomicBoolean();

        @Override
        public void onNotification(String payload) {
            payloads.add(payload);
        }

        @Override
        public void onListening(boolean value) {
            listening.set(value);
        }
    }

    @Test
    void committedNotificationsArriveAndRolledBackOnesNever() {
        PgNotifications notifications = database.notifications().orElseThrow();
        Recorder recorder = new Recorder();
        notifications.subscribe("kinto4j_test", recorder);
        await().atMost(Duration.ofSeconds(10)).untilTrue(recorder.listening);
        database.jdbi().useTransaction(h -> {
            PgNotifications.send(h, "kinto4j_test", "rolled back");
            h.rollback();
        });
        database.jdbi().useTransaction(h -> PgNotifications.send(h, "kinto4j_test", "committed"));
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.payloads.contains("committed"));
        assertThat(recorder.payloads).containsExactly("committed");
    }

    @Test
    void principalsAreNotCachedWhileTheListeningConnectionIsLost() {
        PermissionStore permissions = PermissionStore.forDatabase(database);
        PgNotifications notifications = database.notifications().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(permissions::cachingPrincipals);
        int pid = notifications.backendPid();
        assertThat(pid).isPositive();
        // Another process changes a membership while this one is cut off: the NOTIFY is lost.
        Recorder recorder = new Recorder();
        notifications.subscribe("kinto4j_other", recorder);
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications.backendPid() > 0 && recorder.listening.get());
        int current = notifications.backendPid();
        database.jdbi().useHandle(h -> h.createQuery("SELECT pg_terminate_backend(?)").bind(0, current)
                .mapTo(Boolean.class).one());
        await().atMost(Duration.ofSeconds(10)).until(() -> !permissions.cachingPrincipals());
        await().atMost(Duration.ofSeconds(20)).until(() -> notifications.backendPid() > 0
                && notifications.backendPid() != current && permissions.cachingPrincipals());
    }

    @Test
    void aMembershipChangeInAnotherProcessClearsThisOnesCache() {
        PermissionStore here = PermissionStore.forDatabase(database);
        await().atMost(Duration.ofSeconds(10)).until(here::cachingPrincipals);
        Transactions transactions = new Transactions(database);
        try (Tx tx = transactions.begin()) {
            assertThat(here.userPrincipals(tx, "basicauth:bob")).isEmpty();
            tx.commit();
        }
        // "Another process": a second pool and store on the same database.
        try (Database other = new Database(new ServerSettings.Storage(pg.url(), "", "", 2, Duration.ofSeconds(5)))) {
            PermissionStore there = PermissionStore.forDatabase(other);
            await().atMost(Duration.ofSeconds(10)).until(there::cachingPrincipals);
            try (Tx tx = new Transactions(other).begin()) {
                there.addUserPrincipal(tx, "basicauth:bob", "/buckets/b/groups/g");
                tx.commit();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Tx tx = transactions.begin()) {
                return here.userPrincipals(tx, "basicauth:bob").contains("/buckets/b/groups/g");
            }
        });
    }
}
