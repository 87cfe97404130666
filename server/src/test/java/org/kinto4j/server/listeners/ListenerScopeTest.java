package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.config.ConfigError;

/** buckets / collections scopes: applied by the server before delivery, in every delivery mode. */
class ListenerScopeTest {

    private static final String ALICE = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();

    @TempDir
    Path dir;

    private static List<String> seen(Path file) {
        return PluginJar.recorded(file).stream().map(ListenerScopeTest::describe).toList();
    }

    private static String describe(JsonNode e) {
        JsonNode p = e.path("payload");
        return e.path("resource").asText() + " " + p.path("uri").asText() + " x" + e.path("impacted").asInt();
    }

    @Test
    void eachModeSeesOnlyItsBucketsAndCollections() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path txn = dir.resolve("txn.jsonl");
        Path after = dir.resolve("after.jsonl");
        Path dur = dir.resolve("dur.jsonl");
        String conf = "admin_principals = [\"" + ALICE + "\"]\n"
                + "event_listeners {\n"
                + "  txn { use = recorder, buckets = [blocklists], file = \"" + txn + "\" }\n"
                + "  after { use = recorder, delivery = after_commit, file = \"" + after + "\" }\n"
                + "  dur { use = recorder, delivery = durable, collections = [\"blocklists/*\", \"main/addons\"], file = \""
                + dur + "\" }\n"
                + "}";
        try (TestServer s = TestServer.startIn(dir, conf, Map.of("KINTO_EVENT_LISTENERS_AFTER_COLLECTIONS", "main/add*"))) {
            assertThat(s.post("/v1/batch", "alice", "{\"requests\": [{\"method\": \"PUT\", \"path\": \"/buckets/other\"},"
                    + "{\"method\": \"PUT\", \"path\": \"/buckets/blocklists\"}, {\"method\": \"PUT\", \"path\": \"/buckets/main\"}]}")
                    .status()).isEqualTo(200);
            for (String c : List.of("blocklists/certs", "main/addons", "main/other", "other/x")) {
                String[] bc = c.split("/");
                s.put("/v1/buckets/" + bc[0] + "/collections/" + bc[1], "alice", null);
                s.put("/v1/buckets/" + bc[0] + "/collections/" + bc[1] + "/records/r1", "alice", "{\"data\":{}}");
            }
            assertThat(seen(txn)).containsExactly("bucket /buckets/blocklists x1",
                    "collection /buckets/blocklists/collections/certs x1",
                    "record /buckets/blocklists/collections/certs/records/r1 x1");
            assertThat(seen(after)).containsExactly("collection /buckets/main/collections/addons x1",
                    "record /buckets/main/collections/addons/records/r1 x1");
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(dur).size() == 4);
            assertThat(seen(dur)).containsExactly("collection /buckets/blocklists/collections/certs x1",
                    "record /buckets/blocklists/collections/certs/records/r1 x1",
                    "collection /buckets/main/collections/addons x1",
                    "record /buckets/main/collections/addons/records/r1 x1");
            JsonNode ops = s.get("/v1/__listeners__", "alice").json().path("data");
            assertThat(ops.get(0).path("buckets").toString()).isEqualTo("[\"blocklists\"]");
            assertThat(ops.get(1).path("collections").toString()).isEqualTo("[\"main/add*\"]");
            assertThat(ops.get(2).path("collections").toString()).isEqualTo("[\"blocklists/*\",\"main/addons\"]");
            assertThat(ops.get(2).path("delivered_kept").asLong()).as("only matching events were stored").isEqualTo(4);
        }
    }

    @Test
    void aMalformedGlobStopsTheStartNamingKeyFileAndLine() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners {\n  a { use = recorder,\n"
                + "    collections = [\"main\"] } }", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("event_listeners.a.collections")
                .hasMessageContaining("server.conf: 6")
                .hasMessageContaining("\"main\"")
                .hasMessageContaining("\"bucket/collection\"");
        assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { a { use = recorder, buckets = [\"a/b\"] } }",
                Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("event_listeners.a.buckets")
                .hasMessageContaining("\"a/b\" is not a valid glob");
    }

    @Test
    void replayFromNeedsADurableInstanceAndATimestamp() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { a { use = recorder, replay_from = 0, file = \""
                + dir.resolve("a.jsonl") + "\" } }",
                Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("event_listeners.a.replay_from")
                .hasMessageContaining("delivery = in_transaction");
        assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { a { use = recorder, delivery = durable, "
                + "replay_from = yesterday } }", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("event_listeners.a.replay_from")
                .hasMessageContaining("timestamp in milliseconds");
    }
}
