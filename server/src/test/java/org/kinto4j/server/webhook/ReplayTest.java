package org.kinto4j.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.listeners.PluginJar;

/**
 * Replay for durable instances: what exists first (as create events), then live events, with no
 * gap and no duplicate at the switch, whether configured ({@code replay_from}) or re-run by an
 * operator while writes go on.
 */
class ReplayTest {

    private static final String RECORDS = "/v1/buckets/b/collections/c/records";

    @TempDir
    Path dir;

    private static List<String> create500(TestServer s) {
        s.put("/v1/buckets/b", "alice", null);
        s.put("/v1/buckets/b/collections/c", "alice", null);
        for (int batch = 0; batch < 20; batch++) {
            StringBuilder body = new StringBuilder("{\"defaults\": {\"method\": \"POST\", \"path\": \"" + RECORDS.substring(3)
                    + "\"}, \"requests\": [");
            for (int i = 0; i < 25; i++) {
                body.append(i == 0 ? "" : ",").append("{\"body\": {\"data\": {\"n\": ").append(batch * 25 + i).append("}}}");
            }
            assertThat(s.post("/v1/batch", "alice", body.append("]}").toString()).status()).isEqualTo(200);
        }
        List<String> ids = new ArrayList<>();
        s.get(RECORDS + "?_sort=last_modified", "alice").json().path("data").forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).hasSize(500);
        return ids;
    }

    private static String hook(WebhookReceiver receiver, String secret, String extra) {
        return WebhookDeliveryTest.config(receiver.url(), "secret = \"" + secret + "\"",
                WebhookDeliveryTest.FAST_RETRY + ", batch = true" + extra);
    }

    @Test
    void aNewInstanceWithReplayFromZeroGetsWhatExistsOnceThenLiveEvents() {
        String secret = WebhookReceiver.newSecret();
        List<String> ids;
        try (TestServer s = TestServer.startIn(dir, "", Map.of())) {
            ids = create500(s);
            for (String id : ids.subList(0, 5)) {
                s.request("DELETE", RECORDS + "/" + id, "alice", null);
            }
        }
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start()) {
            try (TestServer s = TestServer.startIn(dir, hook(receiver, secret, ", replay_from = 0"), Map.of())) {
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acceptedEvents().size() == 497);
                s.put(RECORDS + "/live", "alice", "{\"data\": {}}");
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.acceptedEvents().size() == 498);
                List<JsonNode> events = receiver.acceptedEvents();
                assertThat(events.subList(0, 497)).allSatisfy(e -> {
                    assertThat(e.path("action").asText()).isEqualTo("create");
                    assertThat(e.path("replay").asBoolean()).isTrue();
                });
                assertThat(events.subList(0, 2)).extracting(e -> e.path("uri").asText())
                        .containsExactly("/buckets/b", "/buckets/b/collections/c");
                assertThat(events.subList(2, 497)).extracting(e -> e.path("record_id").asText())
                        .containsExactlyElementsOf(ids.subList(5, 500));
                assertThat(events.get(497).path("replay").isMissingNode()).isTrue();
                assertThat(receiver.verificationFailures()).isEmpty();
                JsonNode ops = s.get("/v1/__listeners__/hook", "alice").json().path("data");
                assertThat(ops.path("last_replay").path("events").asLong()).isEqualTo(497);
            }
            try (TestServer s = TestServer.startIn(dir, hook(receiver, secret, ", replay_from = 0"), Map.of())) {
                s.put(RECORDS + "/after-restart", "alice", "{\"data\": {}}");
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.acceptedEvents().size() == 499);
                assertThat(receiver.acceptedEvents().get(498).path("record_id").asText())
                        .as("a restart does not replay again").isEqualTo("after-restart");
            }
        }
    }

    @Test
    void anOperatorReplayDuringWritesHasNoGapAndNoDuplicateAtTheSwitch() throws Exception {
        operatorReplayDuringWrites("");
    }

    @Test
    void anOperatorReplayDuringWritesOnPostgresHasNoGapAndNoDuplicateAtTheSwitch() throws Exception {
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            operatorReplayDuringWrites("storage.url = \"" + pg.url() + "\"\n");
        }
    }

    private void operatorReplayDuringWrites(String storage) throws Exception {
        String secret = WebhookReceiver.newSecret();
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        try (WebhookReceiver receiver = new WebhookReceiver(secret).start();
                TestServer s = TestServer.startIn(dir, storage + hook(receiver, secret, " }\n inline { use = recorder, file = \""
                        + dir.resolve("inline.jsonl") + "\""), Map.of())) {
            List<String> ids = create500(s);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger writes = new AtomicInteger();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    switch (i % 3) {
                        case 0 -> s.post(RECORDS, "alice", "{\"data\": {\"w\": " + i + "}}");
                        case 1 -> s.patch(RECORDS + "/" + ids.get(i % 500), "alice", "{\"data\": {\"w\": " + i + "}}");
                        default -> s.request("DELETE", RECORDS + "/" + ids.get((i * 7) % 500), "alice", null);
                    }
                    writes.incrementAndGet();
                }
            });
            writer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> writes.get() >= 20);
            TestServer.Response replay = s.post("/v1/__listeners__/hook/replay?from=0", "alice", null);
            int atReplay = writes.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> writes.get() >= atReplay + 20);
            stop.set(true);
            writer.join();
            assertThat(replay.status()).isEqualTo(200);
            long replayed = replay.json().path("data").path("replayed").asLong();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    s.get("/v1/__listeners__/hook", "alice").json().path("data").path("backlog").asLong() == 0);

            List<JsonNode> events = receiver.acceptedEvents();
            int first = -1;
            int last = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).path("replay").asBoolean()) {
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            assertThat(last - first + 1).as("the replay is one block, no live event inside it").isEqualTo((int) replayed);
            Map<String, Long> state = new HashMap<>();
            for (JsonNode e : events.subList(first, last + 1)) {
                if (e.path("resource_name").asText().equals("record")) {
                    JsonNode obj = e.path("impacted_objects").get(0).path("new");
                    state.put(obj.path("id").asText(), obj.path("last_modified").asLong());
                }
            }
            for (JsonNode e : events.subList(last + 1, events.size())) {
                for (JsonNode entry : e.path("impacted_objects")) {
                    JsonNode obj = entry.path("new");
                    String id = obj.path("id").asText();
                    long lm = obj.path("last_modified").asLong();
                    switch (e.path("action").asText()) {
                        case "create" -> assertThat(state).as("created after the switch, not in the replay").doesNotContainKey(id);
                        case "update", "delete" -> assertThat(lm).as("a change after the switch is newer than the replay's copy")
                                .isGreaterThan(state.getOrDefault(id, 0L));
                        default -> { }
                    }
                    if (e.path("action").asText().equals("delete")) {
                        state.remove(id);
                    } else {
                        state.put(id, lm);
                    }
                }
            }
            Map<String, Long> stored = new HashMap<>();
            s.get(RECORDS, "alice").json().path("data").forEach(r -> stored.put(r.path("id").asText(),
                    r.path("last_modified").asLong()));
            assertThat(state).as("replay + live events rebuild exactly what is stored").isEqualTo(stored);
            assertThat(receiver.verificationFailures()).isEmpty();

            TestServer.Response inline = s.post("/v1/__listeners__/inline/replay", "alice", null);
            assertThat(inline.status()).isEqualTo(400);
            assertThat(inline.json().path("errno").asInt()).isEqualTo(107);
            assertThat(inline.json().path("message").asText()).contains("durable");
            assertThat(s.post("/v1/__listeners__/hook/replay?from=yesterday", "alice", null).status()).isEqualTo(400);
            assertThat(s.post("/v1/__listeners__/hook/replay", "bob", null).status()).isEqualTo(403);
        }
    }
}
