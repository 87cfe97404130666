package org.kinto4j.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.builtin.redis.testing.RedisInspector;
import org.kinto4j.builtin.redis.testing.RedisServerProcess;
import org.kinto4j.builtin.redis.testing.RedisTestEnvironment;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.listeners.PluginJar;

/**
 * The built-in redis listener with durable delivery against a real redis-server: an event
 * reaches Redis if and only if its change committed, in commit order, surviving Redis outages
 * and server crashes.
 */
class RedisDeliveryTest {

    private static final RedisTestEnvironment ENV = RedisTestEnvironment.current();
    private static final String ALICE = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();
    private static final String FAST_RETRY = "retry { max_attempts = 1000, initial_delay = 20ms, max_delay = 200ms }";

    @TempDir
    Path dir;

    private static List<JsonNode> messages(RedisInspector redis, String list) {
        List<JsonNode> out = new ArrayList<>();
        for (String m : redis.list(list)) {
            try {
                out.add(Json.parse(m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String listName() {
        return "kinto4j-test-" + UUID.randomUUID();
    }

    @Test
    void eventsArriveInCommitOrderAsKintosPayloadWithAnId() {
        String url = ENV.redisUrl();
        String list = listName();
        try (RedisInspector redis = new RedisInspector(url);
                TestServer s = TestServer.startIn(dir, "event_listeners { queue { use = redis, url = \"" + url
                        + "\", listname = \"" + list + "\" } }", Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{}}").json()
                        .path("data").path("id").asText());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.list(list).size() == 5);
            List<JsonNode> events = messages(redis, list);
            assertThat(events).extracting(e -> e.path("resource_name").asText())
                    .containsExactly("bucket", "collection", "record", "record", "record");
            JsonNode record = events.get(2);
            assertThat(record.path("action").asText()).isEqualTo("create");
            assertThat(record.path("uri").asText()).isEqualTo("/buckets/b1/collections/c1/records");
            assertThat(record.path("user_id").asText()).isEqualTo(ALICE);
            assertThat(record.path("bucket_id").asText()).isEqualTo("b1");
            assertThat(record.path("collection_id").asText()).isEqualTo("c1");
            assertThat(record.path("timestamp").asLong()).isPositive();
            assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates().allMatch(id -> !id.isEmpty());
            assertThat(events).extracting(e -> e.path("timestamp").asLong()).isSorted();
        }
    }

    @Test
    void aRolledBackRequestPushesNothing() {
        String url = ENV.redisUrl();
        String list = listName();
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        try (RedisInspector redis = new RedisInspector(url);
                TestServer s = TestServer.startIn(dir, "event_listeners {\n"
                        + "  veto { use = recorder, fail = true, resources = [collection], file = \"" + dir.resolve("v") + "\" }\n"
                        + "  queue { use = redis, url = \"" + url + "\", listname = \"" + list + "\" }\n"
                        + "}", Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            assertThat(s.put("/v1/buckets/b1/collections/c1", "alice", null).status()).isEqualTo(500);
            s.put("/v1/buckets/b2", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.list(list).size() >= 2);
            assertThat(messages(redis, list)).extracting(e -> e.path("uri").asText())
                    .containsExactly("/buckets/b1", "/buckets/b2");
        }
    }

    @Test
    void aRedisOutageLosesNothingAndDuplicatesNothing() {
        String list = listName();
        try (RedisServerProcess redisServer = RedisServerProcess.onFreePort(ENV.redisServerBinary()).start();
                TestServer s = TestServer.startIn(dir, "event_listeners { queue { use = redis, url = \""
                        + redisServer.url() + "\", listname = \"" + list + "\", timeout = 1s, " + FAST_RETRY + " } }",
                        Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            try (RedisInspector redis = new RedisInspector(redisServer.url())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> redis.list(list).size() == 2);
            }
            redisServer.stop();
            List<Long> stamps = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TestServer.Response r = s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{}}");
                assertThat(r.status()).as("writes succeed while Redis is down").isEqualTo(201);
                stamps.add(r.json().path("data").path("last_modified").asLong());
            }
            redisServer.start();
            try (RedisInspector redis = new RedisInspector(redisServer.url())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> redis.list(list).size() >= 6);
                List<JsonNode> events = messages(redis, list);
                assertThat(events).as("every event, once, in commit order").hasSize(6)
                        .extracting(e -> e.path("timestamp").asLong()).containsExactlyElementsOf(stamps);
                assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void exhaustedRetriesAreDeadLetteredThenRequeued() {
        String list = listName();
        try (RedisServerProcess redisServer = RedisServerProcess.onFreePort(ENV.redisServerBinary());
                TestServer s = TestServer.startIn(dir, "admin_principals = [\"" + ALICE + "\"]\n"
                        + "event_listeners { queue { use = redis, url = \"" + redisServer.url() + "\", listname = \"" + list
                        + "\", timeout = 1s, retry { max_attempts = 2, initial_delay = 20ms, max_delay = 20ms } } }", Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    s.get("/v1/__listeners__/queue", "alice").json().path("data").path("dead_letters").asInt() == 1);
            JsonNode letter = s.get("/v1/__listeners__/queue", "alice").json().path("data").path("dead_letter_events").get(0);
            assertThat(letter.path("last_error").asText()).contains("queue").contains(String.valueOf(redisServer.port()));
            redisServer.start();
            assertThat(s.post("/v1/__listeners__/queue/requeue", "alice", null).json().path("data").path("requeued").asInt())
                    .isEqualTo(1);
            try (RedisInspector redis = new RedisInspector(redisServer.url())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> redis.list(list).size() == 1);
                assertThat(messages(redis, list).get(0).path("id").asText()).isEqualTo(letter.path("id").asText());
            }
        }
    }

    @Test
    void undeliveredEventsArriveAfterTheServerIsKilledAndRestarted() throws InterruptedException {
        String list = listName();
        try (RedisServerProcess redisServer = RedisServerProcess.onFreePort(ENV.redisServerBinary())) {
            String config = "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j\"\n"
                    + "event_listeners { queue { use = redis, url = \"" + redisServer.url() + "\", listname = \"" + list
                    + "\", timeout = 1s, " + FAST_RETRY + " } }";
            int port = ServerProcess.freePort();
            try (ServerProcess first = ServerProcess.start(dir, config, port, Map.of())) {
                for (int i = 0; i < 3; i++) {
                    assertThat(first.request("PUT", "/v1/buckets/b" + i, "alice", null).status()).isEqualTo(201);
                }
                first.kill();
            }
            redisServer.start();
            try (ServerProcess second = ServerProcess.start(dir, config, port, Map.of());
                    RedisInspector redis = new RedisInspector(redisServer.url())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> redis.list(list).size() == 3);
                assertThat(messages(redis, list)).extracting(e -> e.path("uri").asText())
                        .containsExactly("/buckets/b0", "/buckets/b1", "/buckets/b2");
                second.terminate();
            }
        }
    }

}
