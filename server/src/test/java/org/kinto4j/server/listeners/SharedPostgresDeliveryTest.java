package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/** Two server processes on one PostgreSQL: durable events delivered once, and taken over on a crash. */
class SharedPostgresDeliveryTest {

    @TempDir
    Path dir;

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static int put(String base, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", TestServer.basic("alice"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<JsonNode> events(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    out.add(Json.parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

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
                    assertThat(put(i % 2 == 0 ? a.base() : b.base(), "/v1/buckets/b" + i)).isEqualTo(201);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> events(out).size() >= 30);
                await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
                List<JsonNode> delivered = events(out);
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
                assertThat(put(a.base(), "/v1/buckets/first")).isEqualTo(201);
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(Path.of(release + ".waiting")));
                try (ServerProcess b = ServerProcess.start(dir, conf, ServerProcess.freePort(), Map.of())) {
                    assertThat(put(b.base(), "/v1/buckets/second")).isEqualTo(201);
                    a.kill();
                    Files.writeString(release, "go");
                    await().atMost(Duration.ofSeconds(30)).until(() -> events(out).size() >= 2);
                    List<JsonNode> delivered = events(out);
                    assertThat(delivered).extracting(e -> e.path("payload").path("uri").asText())
                            .containsExactly("/buckets/first", "/buckets/second");
                    String blockedId = Files.readAllLines(Path.of(release + ".waiting")).get(0);
                    assertThat(delivered.get(0).path("id").asText()).isEqualTo(blockedId);
                }
            }
        }
    }
}
