package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;

/** Leases on the database's clock, and outbox updates fenced by the lease token (H2 and PostgreSQL). */
class OutboxLeasesTest {

    @TempDir
    Path dir;

    @Test
    void h2() throws Exception {
        try (Database db = MigratedDatabases.h2(dir)) {
            takeOverAndFencing(db);
        }
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create(); Database db = MigratedDatabases.open(dir, pg.url())) {
            takeOverAndFencing(db);
        }
    }

    private long pendingRow(Database db, String event) {
        return db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO outbox (event_id, listener, payload, created_at, status, "
                        + "next_attempt_at) VALUES (?, 'q', '{}', 0, 'pending', 0)")
                .bind(0, event).executeAndReturnGeneratedKeys("seq").mapTo(Long.class).one());
    }

    private String status(Database db, long seq) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status || ':' || attempts FROM outbox WHERE seq = ?")
                .bind(0, seq).mapTo(String.class).one());
    }

    private long deliveredMark(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT delivered_through FROM outbox_leases WHERE listener = 'q'")
                .mapTo(Long.class).one());
    }

    private void takeOverAndFencing(Database db) {
        OutboxLeases leases = new OutboxLeases(db.jdbi(), db.dialect());
        Duration claim = Duration.ofSeconds(3);
        long seq = pendingRow(db, "e1");

        OutboxLeases.Lease a = leases.acquire("q", "A", claim).orElseThrow();
        assertThat(a.remainingMillis()).isBetween(1L, 3000L);
        long expiresAt = db.jdbi().withHandle(h -> h.createQuery("SELECT expires_at FROM outbox_leases WHERE listener = 'q'")
                .mapTo(Long.class).one());
        assertThat(expiresAt - leases.databaseNow()).as("expiry on the database's clock").isBetween(-1000L, 3000L);
        assertThat(leases.acquire("q", "B", claim)).as("held by A").isEmpty();
        assertThat(leases.acquire("q", "A", claim).orElseThrow().token()).as("a renewal keeps the token").isEqualTo(a.token());

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> leases.acquire("q", "B", claim).isPresent());
        OutboxLeases.Lease b = leases.acquire("q", "B", claim).orElseThrow();
        assertThat(b.token()).isGreaterThan(a.token());

        // A was paused past its lease: every update it tries now is refused and changes nothing
        assertThat(leases.markDead("q", "A", a.token(), seq, 1, "stale")).isFalse();
        assertThat(leases.scheduleRetry("q", "A", a.token(), seq, 1, 0, "stale")).isFalse();
        assertThat(leases.markDeliveredThrough("q", "A", a.token(), seq)).isFalse();
        assertThat(status(db, seq)).isEqualTo("pending:0");
        assertThat(deliveredMark(db)).isZero();
        assertThat(leases.acquire("q", "A", claim)).as("A cannot renew a lease B holds").isEmpty();

        assertThat(leases.markDeliveredThrough("q", "B", b.token(), seq)).isTrue();
        assertThat(deliveredMark(db)).isEqualTo(seq);
    }
}
