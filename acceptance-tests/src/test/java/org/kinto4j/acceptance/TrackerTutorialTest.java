package org.kinto4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.listeners.PluginJar;

/** Kinto's tracker tutorial with the built tracker-plugin.jar in plugins/. */
class TrackerTutorialTest {

    @TempDir
    Path dir;

    @Test
    void twoBucketsThenHelloAnswersBucketsCreatedTwo() {
        Examples.install(dir, "tracker/target/tracker-plugin.jar");
        try (TestServer s = TestServer.startIn(dir,
                "event_listeners {\n  tracker { use = tracker, actions = [create], resources = [bucket] }\n}", Map.of())) {
            assertThat(s.put("/v1/buckets/b1", "alice", null).status()).isEqualTo(201);
            assertThat(s.put("/v1/buckets/b2", "alice", null).status()).isEqualTo(201);
            TestServer.Response hello = s.get("/v1/", "alice");
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.header("Buckets-Created")).isEqualTo("2");
            assertThat(s.get("/v1/", "bob").header("Buckets-Created")).isEqualTo("0");
            assertThat(s.get("/v1/", null).header("Buckets-Created")).isNull();
        }
    }

    @Test
    void aRolledBackBucketCreationIsNotCounted() {
        Examples.install(dir, "tracker/target/tracker-plugin.jar");
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        try (TestServer s = TestServer.startIn(dir, "event_listeners {\n"
                + "  tracker { use = tracker, actions = [create], resources = [bucket] }\n"
                + "  veto { use = recorder, fail = true, file = \"" + dir.resolve("veto.jsonl") + "\" }\n"
                + "}", Map.of())) {
            TestServer.Response refused = s.put("/v1/buckets/b1", "alice", null);
            assertThat(refused.status()).isEqualTo(500);
            assertThat(s.get("/v1/", "alice").header("Buckets-Created")).isEqualTo("0");
        }
    }

    @Test
    void aDeliveryModeWithoutStorageIsRefusedAtStart() {
        Examples.install(dir, "tracker/target/tracker-plugin.jar");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.startIn(dir,
                        "event_listeners { tracker { use = tracker, delivery = after_commit } }", Map.of()))
                .hasMessageContaining("Listener 'tracker'")
                .hasMessageContaining("delivery = after_commit")
                .hasMessageContaining("in_transaction");
    }
}
