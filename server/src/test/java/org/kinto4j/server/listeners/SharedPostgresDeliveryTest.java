package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.ServerProcess;

/** Two server processes on one PostgreSQL: durable events delivered once, and taken over on a crash. */
class SharedPostgresDeliveryTest {

    @TempDir
    Path dir;

    private String config(PostgresDatabase pg, String listener) {
        return "storage.url = \"" + pg.url() + "\"\n"
                + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n"
                + "durable { claim_timeout = 2s, poll_interval = 100ms }\n"
                + "event_listeners { q { use = recorder, delivery = durable, resources = [bucket], " + listener + " } }";
    }

    @Test
    void twoProcessesDeliverEveryEventExactlyOnce() throws Exception {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path out = dir.resolve("out.jsonl");
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String conf = config(pg, "file = \"" + out + "\"");
            try (ServerProcess a = ServerProcess.start(dir, conf, ServerProcess.freePort(), Map.of());
                    ServerProcess b = ServerProcess.start(dir, conf, ServerProcess.freePort(), Map.of())) {
                for (int i = 0; i < 30; i++) {
                    assertThat((i % 2 == 0 ? a : b).request("PUT", "/v1/buckets/b" + i, "alice", null).status()).isEqualTo(201);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> PluginJar.recorded(out).size() >= 30);
                await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
                List<JsonNode> delivered = PluginJar.recorded(out);
                assertThat(delivered).hasSize(30);
                assertThat(delivered).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    expected.add("/buckets/b" + i);
                }
                assertThat(delivered).extracting(e -> e.path("payload").path("uri").asText())
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void whenTheDeliveringProcessDiesTheOtherTakesOver() throws Exception {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path out = dir.resolve("out.jsonl");
        Path release = dir.resolve("release");
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String conf = config(pg, "file = \"" + out + "\", wait_for = \"" + release + "\"");
            try (ServerProcess a = ServerProcess.start(dir, conf, ServerProcess.freePort(), Map.of())) {
                assertThat(a.request("PUT", "/v1/buckets/first", "alice", null).status()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(Path.of(release + ".waiting")));
                try (ServerProcess b = ServerProcess.start(dir, conf, ServerProcess.freePort(), Map.of())) {
                    assertThat(b.request("PUT", "/v1/buckets/second", "alice", null).status()).isEqualTo(201);
                    a.kill();
                    Files.writeString(release, "go");
                    await().atMost(Duration.ofSeconds(30)).until(() -> PluginJar.recorded(out).size() >= 2);
                    List<JsonNode> delivered = PluginJar.recorded(out);
                    assertThat(delivered).extracting(e -> e.path("payload").path("uri").asText())
                            .containsExactly("/buckets/first", "/buckets/second");
                    String blockedId = Files.readAllLines(Path.of(release + ".waiting")).get(0);
                    assertThat(delivered.get(0).path("id").asText()).isEqualTo(blockedId);
                }
            }
        }
    }
}
