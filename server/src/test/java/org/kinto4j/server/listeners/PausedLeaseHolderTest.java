package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.ServerProcess;

/**
 * A real server process holding a durable lease is SIGSTOPped in the middle of a delivery, past
 * claim_timeout; a second process takes over and delivers under load; then the first is
 * SIGCONTed while the new holder is itself delivering that event. The old holder's stale attempt
 * fails (max_attempts = 1): without fencing it would dead-letter the event the new holder is
 * delivering. The consumer sees every event once, in
 * commit order, and the outbox has no dead letter.
 */
class PausedLeaseHolderTest {

    @TempDir
    Path dir;

    @Test
    void aPausedHolderCannotTouchTheOutboxAfterATakeOver() throws Exception {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path out = dir.resolve("out.jsonl");
        Path releaseA = dir.resolve("releaseA");
        Path releaseB = dir.resolve("releaseB");
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String conf = "storage.url = \"" + pg.url() + "\"\n"
                    + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n"
                    + "durable { claim_timeout = 2s, poll_interval = 100ms }\n"
                    + "event_listeners { q { use = recorder, delivery = durable, resources = [bucket], file = \"" + out
                    + "\", retry { max_attempts = 1 } } }";
            List<String> expected = new CopyOnWriteArrayList<>();
            try (ServerProcess a = ServerProcess.start(dir, conf, ServerProcess.freePort(), Map.of(
                    "KINTO_EVENT_LISTENERS_Q_FAIL_TIMES", "1", "KINTO_EVENT_LISTENERS_Q_WAIT_FOR", releaseA.toString()))) {
                assertThat(a.request("PUT", "/v1/buckets/first", "alice", null).status()).isEqualTo(201);
                expected.add("/buckets/first");
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Path.of(releaseA + ".waiting")));
                a.signal("STOP"); // inside the listener call, holding the lease
                try (ServerProcess b = ServerProcess.start(dir, conf, ServerProcess.freePort(),
                        Map.of("KINTO_EVENT_LISTENERS_Q_WAIT_FOR", releaseB.toString()))) {
                    // load on the second process for the whole scenario, one writer: commit order = request order
                    Thread writer = new Thread(() -> {
                        for (int n = 0; n < 40; n++) {
                            assertThat(b.request("PUT", "/v1/buckets/b" + n, "alice", null).status()).isEqualTo(201);
                            expected.add("/buckets/b" + n);
                        }
                    });
                    writer.start();
                    // past claim_timeout the second process takes over, and is itself inside the delivery of "first"
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(releaseB + ".waiting")));
                    Files.writeString(releaseA, "go");
                    a.signal("CONT");
                    // the old holder wakes up, its stale attempt fails, and it tries to dead-letter "first"
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(out + ".failed"))
                            && a.log().contains("lost its lease"));
                    Files.writeString(releaseB, "go");
                    writer.join();
                    await().atMost(Duration.ofSeconds(30)).until(() -> uris(out).size() >= expected.size());
                    assertThat(uris(out)).containsExactlyElementsOf(expected);
                    assertThat(PluginJar.recorded(out)).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
                    await().atMost(Duration.ofSeconds(10)).until(() ->
                            count(pg, "SELECT COUNT(*) FROM outbox o WHERE status = 'pending' AND seq > "
                                    + "(SELECT delivered_through FROM outbox_leases l WHERE l.listener = o.listener)") == 0);
                    assertThat(count(pg, "SELECT COUNT(*) FROM outbox WHERE status = 'dead'"))
                            .as("the stale holder could not dead-letter the event").isZero();
                }
            }
        }
    }

    private static List<String> uris(Path out) {
        return PluginJar.recorded(out).stream().map(e -> e.path("payload").path("uri").asText()).toList();
    }

    private static long count(PostgresDatabase pg, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url()); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
