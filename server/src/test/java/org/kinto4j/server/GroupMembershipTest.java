package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.listeners.PluginJar;

/**
 * Group membership grants take effect on the next request and end with the membership, also
 * when the server keeps users' principals in memory; a rolled-back change grants nothing.
 */
class GroupMembershipTest {

    @TempDir
    Path dir;

    private static final String BOB = new BasicAuth("").userId(TestServer.basic("bob")).orElseThrow();

    @Test
    void membershipChangesAreSeenByTheNextRequest() {
        try (TestServer s = TestServer.startIn(dir, "", Map.of())) {
            s.put("/v1/buckets/b1", "alice", "{\"permissions\":{\"read\":[\"/buckets/b1/groups/readers\"]}}");
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(403);
            assertThat(s.get("/v1/", "bob").json().path("user").path("principals").toString()).doesNotContain("readers");

            s.put("/v1/buckets/b1/groups/readers", "alice", "{\"data\":{\"members\":[\"" + BOB + "\"]}}");
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(200);
            assertThat(s.get("/v1/", "bob").json().path("user").path("principals").toString())
                    .contains("/buckets/b1/groups/readers");

            s.patch("/v1/buckets/b1/groups/readers", "alice", "{\"data\":{\"members\":[]}}");
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(403);

            s.put("/v1/buckets/b1/groups/readers", "alice", "{\"data\":{\"members\":[\"system.Authenticated\"]}}");
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(200);
            s.delete("/v1/buckets/b1/groups/readers", "alice");
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(403);
        }
    }

    @Test
    void aRolledBackMembershipGrantsNothing() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        try (TestServer s = TestServer.startIn(dir, "event_listeners { veto { use = recorder, fail = true, "
                + "resources = [collection], file = \"" + dir.resolve("veto.jsonl") + "\" } }", Map.of())) {
            s.put("/v1/buckets/b1", "alice", "{\"permissions\":{\"read\":[\"/buckets/b1/groups/readers\"]}}");
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(403);
            // the membership is written (group event), then the collection event's listener fails
            TestServer.Response batch = s.post("/v1/batch", "alice", "{\"requests\":["
                    + "{\"method\":\"PUT\",\"path\":\"/buckets/b1/groups/readers\",\"body\":{\"data\":{\"members\":[\""
                    + BOB + "\"]}}},"
                    + "{\"method\":\"PUT\",\"path\":\"/buckets/b1/collections/c1\"}]}");
            assertThat(batch.status()).isEqualTo(500);
            assertThat(s.get("/v1/buckets/b1", "bob").status()).isEqualTo(403);
            assertThat(s.get("/v1/buckets/b1/groups/readers", "alice").status()).isEqualTo(404);
        }
    }
}
