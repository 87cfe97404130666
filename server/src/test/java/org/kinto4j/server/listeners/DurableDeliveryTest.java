package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;

/** delivery = durable: after commit, in order, retried, dead-lettered, never lost or invented. */
class DurableDeliveryTest {

    @TempDir
    Path dir;

    private static final String ALICE = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestServer start(String listeners) {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        return TestServer.startIn(dir, "admin_principals = [\"" + ALICE + "\"]\n" + listeners, Map.of());
    }

    @Test
    void deliveredAfterCommitInCommitOrderWhileTheRequestDoesNotWait() throws IOException {
        Path out = dir.resolve("out.jsonl");
        Path release = dir.resolve("release");
        try (TestServer s = start("event_listeners { slow { use = recorder, delivery = durable, resources = [record], "
                + "file = \"" + out + "\", wait_for = \"" + release + "\" } }")) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            List<Long> stamps = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TestServer.Response r = s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"n\":" + i + "}}");
                assertThat(r.status()).isEqualTo(201);
                stamps.add(r.json().path("data").path("last_modified").asLong());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(Path.of(release + ".waiting")));
            assertThat(PluginJar.recorded(out)).as("the listener is still blocked on the first event").isEmpty();
            Files.writeString(release, "go");
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 5);
            assertThat(PluginJar.recorded(out)).extracting(e -> e.path("payload").path("timestamp").asLong()).containsExactlyElementsOf(stamps);
            assertThat(PluginJar.recorded(out)).allSatisfy(e -> assertThat(e.path("storage").asBoolean()).isFalse());
            JsonNode ops = s.get("/v1/__listeners__/slow", "alice").json().path("data");
            assertThat(ops.path("delivery").asText()).isEqualTo("durable");
            assertThat(ops.path("delivered").asLong()).isEqualTo(5);
            assertThat(ops.path("backlog").asLong()).isZero();
        }
    }

    @Test
    void failuresAreRetriedWithTheSameEventId() {
        Path out = dir.resolve("out.jsonl");
        try (TestServer s = start("event_listeners { flaky { use = recorder, delivery = durable, fail_times = 2, "
                + "retry { initial_delay = 20ms, max_delay = 50ms }, file = \"" + out + "\" } }")) {
            s.put("/v1/buckets/b1", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 1);
            String id = PluginJar.recorded(out).get(0).path("id").asText();
            assertThat(lines(Path.of(out + ".failed"))).containsExactly(id, id);
        }
    }

    @Test
    void exhaustedRetriesAreDeadLetteredVisibleAndRequeueable() {
        Path out = dir.resolve("out.jsonl");
        try (TestServer s = start("event_listeners { dead { use = recorder, delivery = durable, fail_times = 3, "
                + "retry { max_attempts = 2, initial_delay = 20ms, max_delay = 20ms }, file = \"" + out + "\" } }")) {
            s.put("/v1/buckets/b1", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    s.get("/v1/__listeners__/dead", "alice").json().path("data").path("dead_letters").asInt() == 1);
            JsonNode info = s.get("/v1/__listeners__/dead", "alice").json().path("data");
            JsonNode letter = info.path("dead_letter_events").get(0);
            assertThat(letter.path("attempts").asInt()).isEqualTo(2);
            assertThat(letter.path("last_error").asText()).contains("recorder failing call 2 of 3");
            assertThat(letter.path("payload").path("uri").asText()).isEqualTo("/buckets/b1");
            assertThat(PluginJar.recorded(out)).isEmpty();

            assertThat(s.get("/v1/__listeners__", null).status()).isEqualTo(401);
            assertThat(s.get("/v1/__listeners__", "bob").status()).isEqualTo(403);
            assertThat(s.post("/v1/__listeners__/dead/requeue", "bob", null).status()).isEqualTo(403);

            TestServer.Response requeue = s.post("/v1/__listeners__/dead/requeue", "alice", null);
            assertThat(requeue.status()).isEqualTo(200);
            assertThat(requeue.json().path("data").path("requeued").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 1);
            assertThat(PluginJar.recorded(out).get(0).path("id").asText()).isEqualTo(letter.path("id").asText());
            assertThat(s.get("/v1/__listeners__", "alice").json().path("data").get(0).path("dead_letters").asInt()).isZero();
        }
    }

    @Test
    void aCommitStillOnlyInMemoryIsNotDeliveredUntilWrittenToTheFile() throws Exception {
        Path out = dir.resolve("out.jsonl");
        try (TestServer s = start("durable { poll_interval = 20ms }\n"
                + "event_listeners { queue { use = recorder, delivery = durable, file = \"" + out + "\" } }")) {
            s.put("/v1/buckets/b1", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 1);
            java.util.concurrent.CompletableFuture<TestServer.Response> write;
            try (AutoCloseable held = s.holdFileWrites()) {
                write = java.util.concurrent.CompletableFuture.supplyAsync(() -> s.put("/v1/buckets/b2", "alice", null));
                await().atMost(Duration.ofSeconds(20)).until(() -> s.get("/v1/buckets/b2", "alice").status() == 200);
                java.util.concurrent.CompletableFuture<TestServer.Response> pending = write;
                // 25 poll intervals: without the wait for the file, b2 is delivered in the first
                await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                        .until(() -> !pending.isDone() && PluginJar.recorded(out).size() == 1);
                assertThat(write).as("the write waits for its file write").isNotDone();
                assertThat(PluginJar.recorded(out)).as("a kill -9 now would lose b2: its event must not be out").hasSize(1);
            }
            assertThat(write.get().status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 2);
            assertThat(PluginJar.recorded(out).get(1).path("payload").path("uri").asText()).isEqualTo("/buckets/b2");
        }
    }

    @Test
    void aRolledBackRequestProducesNoDurableEvent() {
        Path out = dir.resolve("out.jsonl");
        try (TestServer s = start("event_listeners {\n"
                + "  guard { use = recorder, fail = true, resources = [collection], file = \"" + dir.resolve("g.jsonl") + "\" }\n"
                + "  queue { use = recorder, delivery = durable, file = \"" + out + "\" }\n"
                + "}")) {
            s.put("/v1/buckets/b1", "alice", null);
            assertThat(s.put("/v1/buckets/b1/collections/c1", "alice", null).status()).isEqualTo(500);
            s.put("/v1/buckets/b2", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 2);
            assertThat(PluginJar.recorded(out)).extracting(e -> e.path("payload").path("uri").asText())
                    .containsExactly("/buckets/b1", "/buckets/b2");
        }
    }

    @Test
    void undeliveredEventsAreDeliveredAfterSigkillAndRestart() throws Exception {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path out = dir.resolve("out.jsonl");
        Path release = dir.resolve("release");
        String storage = "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j\"\n"
                + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n";
        String blocked = "event_listeners { q { use = recorder, delivery = durable, resources = [bucket], file = \"" + out
                + "\", wait_for = \"" + release + "\" } }";
        int port = ServerProcess.freePort();
        try (ServerProcess first = ServerProcess.start(dir, storage + blocked, port, Map.of())) {
            TestServer.Response r;
            for (int i = 0; i < 3; i++) {
                r = first.request("PUT", "/v1/buckets/b" + i, "alice", null);
                assertThat(r.status()).isEqualTo(201);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(Path.of(release + ".waiting")));
            first.kill();
        }
        assertThat(PluginJar.recorded(out)).isEmpty();
        String firstAttemptId = lines(Path.of(release + ".waiting")).get(0);
        String free = "event_listeners { q { use = recorder, delivery = durable, resources = [bucket], file = \"" + out + "\" } }";
        try (ServerProcess second = ServerProcess.start(dir, storage + free, port, Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 3);
            assertThat(PluginJar.recorded(out)).extracting(e -> e.path("payload").path("uri").asText())
                    .containsExactly("/buckets/b0", "/buckets/b1", "/buckets/b2");
            assertThat(PluginJar.recorded(out).get(0).path("id").asText()).isEqualTo(firstAttemptId);
            second.terminate();
        }
    }

    @Test
    void deliveredRowsAreCleanedUp() {
        Path out = dir.resolve("out.jsonl");
        try (TestServer s = start("durable.keep_delivered = 1ms\n"
                + "event_listeners { q { use = recorder, delivery = durable, file = \"" + out + "\" } }")) {
            for (int i = 0; i < 3; i++) {
                s.put("/v1/buckets/b" + i, "alice", null);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(out).size() == 3);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    s.get("/v1/__listeners__/q", "alice").json().path("data").path("delivered_kept").asInt() == 0);
            assertThat(s.get("/v1/__listeners__/q", "alice").json().path("data").path("delivered").asInt()).isEqualTo(3);
        }
    }
}
