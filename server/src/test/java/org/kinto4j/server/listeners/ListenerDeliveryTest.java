package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;

/** Listener plugins through the real loader: filters, read opt-in, delivery modes, failures. */
class ListenerDeliveryTest {

    @TempDir
    Path dir;

    private TestServer start(String listeners) {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        return TestServer.startIn(dir, listeners, Map.of());
    }

    private String fileSetting(String name) {
        return "\"" + dir.resolve(name).toAbsolutePath() + "\"";
    }

    @Test
    void actionAndResourceFiltersAreAppliedByTheServer() throws IOException {
        try (TestServer s = start("event_listeners {\n"
                + "  records { use = recorder, actions = [create], resources = [record], file = " + fileSetting("records.jsonl") + " }\n"
                + "  everything { use = recorder, file = " + fileSetting("all.jsonl") + " }\n"
                + "}")) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            String id = s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"a\":1}}")
                    .json().path("data").path("id").asText();
            s.patch("/v1/buckets/b1/collections/c1/records/" + id, "alice", "{\"data\":{\"a\":2}}");
            s.get("/v1/buckets/b1/collections/c1/records", "alice");
        }
        List<JsonNode> records = PluginJar.recorded(dir.resolve("records.jsonl"));
        assertThat(records).singleElement().satisfies(e -> {
            assertThat(e.path("action").asText()).isEqualTo("create");
            assertThat(e.path("resource").asText()).isEqualTo("record");
            assertThat(e.path("payload").path("uri").asText()).isEqualTo("/buckets/b1/collections/c1/records");
            assertThat(e.path("payload").path("bucket_id").asText()).isEqualTo("b1");
            assertThat(e.path("payload").path("collection_id").asText()).isEqualTo("c1");
            assertThat(e.path("payload").has("record_id")).isFalse();
            assertThat(e.path("storage").asBoolean()).isTrue();
        });
        List<JsonNode> all = PluginJar.recorded(dir.resolve("all.jsonl"));
        assertThat(all).extracting(e -> e.path("resource").asText() + ":" + e.path("action").asText())
                .containsExactly("bucket:create", "collection:create", "record:create", "record:update");
        assertThat(all.get(3).path("payload").path("record_id").asText()).isNotEmpty();
    }

    @Test
    void readEventsAreOptIn() throws IOException {
        try (TestServer s = start("event_listeners {\n"
                + "  reads { use = recorder, actions = \"read\", file = " + fileSetting("reads.jsonl") + " }\n"
                + "}")) {
            s.put("/v1/buckets/b1", "alice", null);
            s.get("/v1/buckets/b1", "alice");
            s.get("/v1/buckets", "alice");
        }
        assertThat(PluginJar.recorded(dir.resolve("reads.jsonl"))).extracting(e -> e.path("action").asText() + ":"
                + e.path("payload").path("uri").asText())
                .containsExactly("read:/buckets/b1", "read:/buckets");
    }

    @Test
    void failingInTransactionListenerRollsTheRequestBack() throws IOException {
        try (TestServer s = start("event_listeners {\n"
                + "  first { use = recorder, write = audit, file = " + fileSetting("first.jsonl") + " }\n"
                + "  broken { use = recorder, fail = true, resources = [collection], file = " + fileSetting("broken.jsonl") + " }\n"
                + "  later { use = recorder, delivery = after_commit, file = " + fileSetting("later.jsonl") + " }\n"
                + "}")) {
            assertThat(s.put("/v1/buckets/b1", "alice", null).status()).isEqualTo(201);
            TestServer.Response r = s.put("/v1/buckets/b1/collections/c1", "alice", "{\"data\":{\"x\":1}}");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.json().path("errno").asInt()).isEqualTo(999);
            assertThat(r.json().path("message").asText()).isEqualTo("A programmatic error occurred, developers have been informed.");
            assertThat(s.get("/v1/buckets/b1/collections/c1", "alice").status()).isEqualTo(404);
        }
        assertThat(PluginJar.recorded(dir.resolve("broken.jsonl"))).hasSize(1);
        // the first listener ran for both events before the failure (its storage write joined the rolled-back transaction)
        assertThat(PluginJar.recorded(dir.resolve("first.jsonl"))).hasSize(2);
        assertThat(PluginJar.recorded(dir.resolve("later.jsonl"))).extracting(e -> e.path("resource").asText())
                .containsExactly("bucket");
        try (TestServer again = TestServer.startIn(dir, "", Map.of())) {
            assertThat(again.get("/v1/buckets/b1/collections", "alice").json().path("data")).isEmpty();
        }
    }

    @Test
    void failingAfterCommitListenerDoesNotChangeTheResponse() throws IOException {
        try (TestServer s = start("event_listeners {\n"
                + "  late { use = recorder, delivery = after_commit, fail = true, file = " + fileSetting("late.jsonl") + " }\n"
                + "}")) {
            TestServer.Response r = s.put("/v1/buckets/b1", "alice", null);
            assertThat(r.status()).isEqualTo(201);
            assertThat(s.get("/v1/buckets/b1", "alice").status()).isEqualTo(200);
        }
        assertThat(PluginJar.recorded(dir.resolve("late.jsonl"))).singleElement()
                .satisfies(e -> assertThat(e.path("storage").asBoolean()).isFalse());
    }

    @Test
    void pluginCodeRunsWithItsOwnContextClassLoader() throws IOException {
        try (TestServer s = start("event_listeners { rec { use = recorder, file = " + fileSetting("cl.jsonl") + " } }")) {
            s.put("/v1/buckets/b1", "alice", null);
        }
        assertThat(PluginJar.recorded(dir.resolve("cl.jsonl"))).singleElement()
                .satisfies(e -> assertThat(e.path("loader").asText()).isEqualTo("plugin:recorder.jar"));
    }

    @Test
    void listenersCanBeDefinedFromTheEnvironmentAlone() throws IOException {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Map<String, String> env = Map.of(
                "KINTO_EVENT_LISTENERS", "kvstore",
                "KINTO_EVENT_LISTENERS_KVSTORE_USE", "recorder",
                "KINTO_EVENT_LISTENERS_KVSTORE_ACTIONS", "create",
                "KINTO_EVENT_LISTENERS_KVSTORE_RESOURCES", "bucket",
                "KINTO_EVENT_LISTENERS_KVSTORE_FILE", dir.resolve("env.jsonl").toString());
        try (TestServer s = TestServer.startIn(dir, "", env)) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            s.delete("/v1/buckets/b1", "alice");
        }
        assertThat(PluginJar.recorded(dir.resolve("env.jsonl"))).singleElement()
                .satisfies(e -> assertThat(e.path("payload").path("resource_name").asText()).isEqualTo("bucket"));
    }
}
