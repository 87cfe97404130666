package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.TestServer;

/**
 * Two servers on one PostgreSQL: a commit in the process that does not hold the lease wakes the
 * one that does (LISTEN/NOTIFY), so delivery does not wait for the polling interval (here an
 * hour).
 */
class CrossProcessWakeUpTest {

    @TempDir
    Path dir;

    @Test
    void aCommitInAnotherProcessWakesTheDeliveringOne() {
        Path out = dir.resolve("out.jsonl");
        PluginJar.recorder("recorder").writeTo(dir.resolve("a/plugins/recorder.jar"));
        PluginJar.recorder("recorder").writeTo(dir.resolve("b/plugins/recorder.jar"));
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String conf = "storage.url = \"" + pg.url() + "\"\n"
                    + "durable { poll_interval = 1h, claim_timeout = 1h }\n"
                    + "event_listeners { q { use = recorder, delivery = durable, resources = [bucket], file = \"" + out
                    + "\" } }";
            try (TestServer a = TestServer.startIn(dir.resolve("a"), conf, Map.of())) {
                a.put("/v1/buckets/first", "alice", null);
                await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 1);
                try (TestServer b = TestServer.startIn(dir.resolve("b"), conf, Map.of())) {
                    assertThat(b.put("/v1/buckets/second", "alice", null).status()).isEqualTo(201);
                    await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 2);
                    assertThat(PluginJar.recorded(out)).extracting(e -> e.path("payload").path("uri").asText())
                            .containsExactly("/buckets/first", "/buckets/second");
                }
            }
        }
    }
}
