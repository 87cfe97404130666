package org.kinto4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.builtin.redis.testing.RedisTestEnvironment;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/** The README's three-terminal demo: Redis, the server with the redis listener, the worker jar. */
class RedisWorkerDemoTest {

    @TempDir
    Path dir;

    @Test
    void theWorkerPrintsEveryEventOldestFirst() throws Exception {
        String url = RedisTestEnvironment.current().redisUrl();
        String list = "kinto4j-demo-" + UUID.randomUUID();
        Path worker = Examples.jar("worker/target/worker.jar");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", worker.toString(), "--url", url, "--list", list).redirectErrorStream(false).start();
        List<String> printed = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    printed.add(line);
                }
            } catch (java.io.IOException e) {
                // the worker was stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (TestServer s = TestServer.startIn(dir, "event_listeners {\n"
                + "  queue { use = redis, url = \"" + url + "\", listname = \"" + list + "\" }\n"
                + "}", Map.of())) {
            assertThat(s.put("/v1/buckets/demo", "alice", null).status()).isEqualTo(201);
            assertThat(s.post("/v1/buckets/demo/collections", "alice", "{\"data\":{\"id\":\"tasks\"}}").status()).isEqualTo(201);
            assertThat(s.post("/v1/buckets/demo/collections/tasks/records", "alice", "{\"data\":{\"t\":1}}").status())
                    .isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> printed.stream().filter(l -> l.startsWith("{")).count() == 3);
        } finally {
            process.destroy();
            process.waitFor();
        }
        List<JsonNode> events = printed.stream().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return Json.parse(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(events).extracting(e -> e.path("resource_name").asText()).containsExactly("bucket", "collection", "record");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("id").asText()).isNotEmpty();
            assertThat(e.path("action").asText()).isEqualTo("create");
            assertThat(e.path("user_id").asText()).startsWith("basicauth:");
        });
    }
}
