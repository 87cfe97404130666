package org.kinto4j.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;

/** Kinto's history.* settings: exclusions, auto-trim, explicit_permissions, the capability. */
class HistorySettingsTest {

    private static List<String> uris(TestServer s, String path, String user) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : s.get(path, user).json().get("data")) {
            out.add(e.get("action").asText() + " " + e.get("uri").asText());
        }
        return out;
    }

    @Test
    void excludedUsersAndResourcesWriteNoEntries() {
        // basicauth ids are HMACs: ask a server for the bot's, then exclude it
        try (TestServer probe = TestServer.start()) {
            String bot = probe.get("/v1/", "bot").json().at("/user/id").asText();
            try (TestServer s = TestServer.start("includes = [history]\n"
                    + "history.exclude_resources = [\"/buckets/b/collections/quiet\", \"/buckets/b/collections/c/records/r0\"]\n"
                    + "history.exclude_user_ids = [\"" + bot + "\"]\n")) {
                s.put("/v1/buckets/b", "alice", "{\"permissions\":{\"write\":[\"" + bot + "\"]}}");
                s.put("/v1/buckets/b/collections/quiet", "alice", null);
                s.put("/v1/buckets/b/collections/quiet/records/q", "alice", null);
                s.put("/v1/buckets/b/collections/c", "alice", null);
                s.put("/v1/buckets/b/collections/c/records/r0", "alice", null);
                s.put("/v1/buckets/b/collections/c/records/r1", "alice", null);
                s.put("/v1/buckets/b/collections/c/records/r2", "bot", null);
                assertThat(uris(s, "/v1/buckets/b/history", "alice")).containsExactly(
                        "create /buckets/b/collections/c/records/r1", "create /buckets/b/collections/c",
                        "create /buckets/b");
                JsonNode cap = s.get("/v1/", null).json().at("/capabilities/history/excluded_resources");
                assertThat(cap.toString()).contains("{\"bucket\":\"b\",\"collection\":\"quiet\"}")
                        .contains("{\"bucket\":\"b\",\"collection\":\"c\",\"record\":\"r0\"}");
            }
        }
    }

    @Test
    void autoTrimKeepsTheNewestEntriesOfAResourceName() {
        try (TestServer s = TestServer.start("includes = [history]\nhistory.auto_trim_max_count = 2\n"
                + "history.auto_trim_threshold = 1\n")) {
            s.put("/v1/buckets/b", "alice", null);
            s.put("/v1/buckets/b/collections/c", "alice", null);
            for (int i = 0; i < 4; i++) {
                s.put("/v1/buckets/b/collections/c/records/r" + i, "alice", null);
            }
            assertThat(uris(s, "/v1/buckets/b/history?resource_name=record", "alice")).containsExactly(
                    "create /buckets/b/collections/c/records/r3", "create /buckets/b/collections/c/records/r2");
            assertThat(uris(s, "/v1/buckets/b/history?resource_name=collection", "alice")).hasSize(1);
            assertThat(s.get("/v1/", null).json().at("/capabilities/history/auto_trim_max_count").asInt()).isEqualTo(2);
        }
    }

    @Test
    void withoutExplicitPermissionsOnlyBucketReadersSeeTheHistory() {
        try (TestServer s = TestServer.start("includes = [history]\nexplicit_permissions = false\n")) {
            String bob = s.get("/v1/", "bob").json().at("/user/id").asText();
            String alice = s.get("/v1/", "alice").json().at("/user/id").asText();
            s.put("/v1/buckets/b", "alice", "{\"permissions\":{\"write\":[\"" + alice + "\"]}}");
            s.put("/v1/buckets/b/collections/c", "alice", "{\"permissions\":{\"read\":[\"" + bob + "\"]}}");
            assertThat(uris(s, "/v1/buckets/b/history", "alice")).hasSize(2);
            assertThat(s.get("/v1/buckets/b/history", "bob").status()).isEqualTo(403);
        }
    }
}
