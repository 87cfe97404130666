package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/**
 * Events exactly as Kinto 26.3.1 emits them (upstream kinto/core/events.py and its listener
 * tests): implicit default-bucket creations, merged batch events, plural
 * deletes, cascades without child events.
 */
class KintoEventsTest {

    @TempDir
    Path dir;

    private List<JsonNode> run(java.util.function.Consumer<TestServer> requests) throws IOException {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path out = dir.resolve("events.jsonl");
        try (TestServer s = TestServer.startIn(dir, "event_listeners { all { use = recorder, file = \"" + out + "\" } }",
                Map.of())) {
            requests.accept(s);
        }
        List<JsonNode> events = new ArrayList<>();
        if (Files.exists(out)) {
            for (String line : Files.readAllLines(out)) {
                events.add(Json.parse(line));
            }
        }
        return events;
    }

    private static String describe(JsonNode e) {
        return e.path("resource").asText() + ":" + e.path("action").asText() + ":" + e.path("impacted").asInt();
    }

    @Test
    void defaultBucketPostEmitsImplicitCreationsFirst() throws IOException {
        List<JsonNode> events = run(s -> s.post("/v1/buckets/default/collections/notes/records", "alice",
                "{\"data\":{\"note\":\"kinto\"}}"));
        assertThat(events).extracting(KintoEventsTest::describe)
                .containsExactly("bucket:create:1", "collection:create:1", "record:create:1");
        JsonNode record = events.get(2).path("payload");
        String bucketId = events.get(0).path("payload").path("uri").asText().substring("/buckets/".length());
        assertThat(record.path("bucket_id").asText()).isEqualTo(bucketId).doesNotContain("default");
        assertThat(record.path("uri").asText()).isEqualTo("/buckets/" + bucketId + "/collections/notes/records");
        assertThat(record.path("user_id").asText()).startsWith("basicauth:");
        assertThat(events.get(1).path("payload").path("collection_id").asText()).isEqualTo("notes");
        assertThat(record.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "timestamp", "action", "uri", "user_id", "resource_name", "bucket_id", "collection_id");
    }

    @Test
    void batchEventsAreMergedByResourceParentAndAction() throws IOException {
        List<JsonNode> events = run(s -> {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            s.put("/v1/buckets/b1/collections/c2", "alice", null);
            s.post("/v1/batch", "alice", "{\"requests\":["
                    + "{\"method\":\"PUT\",\"path\":\"/buckets/b1/collections/c1/records/r1\",\"body\":{\"data\":{\"v\":\"foo\"}}},"
                    + "{\"method\":\"PUT\",\"path\":\"/buckets/b1/collections/c1/records/r1\",\"body\":{\"data\":{\"v\":\"bar\"}}},"
                    + "{\"method\":\"PUT\",\"path\":\"/buckets/b1/collections/c1/records/r1\",\"body\":{\"data\":{\"v\":\"baz\"}}},"
                    + "{\"method\":\"DELETE\",\"path\":\"/buckets/b1/collections/c1/records/r1\"},"
                    + "{\"method\":\"POST\",\"path\":\"/buckets/b1/collections/c1/records\"},"
                    + "{\"method\":\"POST\",\"path\":\"/buckets/b1/collections/c2/records\"}]}");
        });
        assertThat(events.subList(3, events.size())).extracting(KintoEventsTest::describe)
                .containsExactly("record:create:2", "record:update:2", "record:delete:1", "record:create:1");
        JsonNode firstCreate = events.get(3).path("payload");
        assertThat(firstCreate.path("uri").asText()).isEqualTo("/buckets/b1/collections/c1/records/r1");
        assertThat(events.get(6).path("payload").path("collection_id").asText()).isEqualTo("c2");
    }

    @Test
    void pluralDeleteIsOneEventAndCascadesAreSilent() throws IOException {
        List<JsonNode> events = run(s -> {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            for (int i = 0; i < 3; i++) {
                s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{}}");
            }
            s.delete("/v1/buckets/b1/collections/c1/records", "alice");
            s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{}}");
            s.delete("/v1/buckets/b1", "alice");
        });
        assertThat(events).extracting(KintoEventsTest::describe).containsExactly(
                "bucket:create:1", "collection:create:1", "record:create:1", "record:create:1", "record:create:1",
                "record:delete:3", "record:create:1", "bucket:delete:1");
    }

    @Test
    void cascadeRemovesChildrenWithoutTombstones() throws IOException {
        run(s -> {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{}}");
            assertThat(s.delete("/v1/buckets/b1/collections/c1", "alice").status()).isEqualTo(200);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            JsonNode since = s.get("/v1/buckets/b1/collections/c1/records?_since=0", "alice").json();
            assertThat(since.path("data")).isEmpty();
            JsonNode collections = s.get("/v1/buckets/b1/collections?_since=0", "alice").json();
            assertThat(collections.path("data")).hasSize(1);
        });
    }
}
