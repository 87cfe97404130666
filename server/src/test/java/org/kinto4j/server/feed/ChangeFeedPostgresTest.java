package org.kinto4j.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.TestServer;

/** Two servers on one PostgreSQL: a stream on one sees the other's commits (LISTEN/NOTIFY, then storage). */
class ChangeFeedPostgresTest {

    @Test
    void aStreamOnOneServerSeesCommitsOfTheOther() throws Exception {
        try (PostgresDatabase db = PostgresDatabase.create();
                TestServer a = TestServer.start("storage.url = \"" + db.url() + "\"\n");
                TestServer b = TestServer.start("storage.url = \"" + db.url() + "\"\n")) {
            a.put("/v1/buckets/shared", "alice", null);
            a.put("/v1/buckets/shared/collections/c", "alice", null);
            String path = "/v1/buckets/shared/collections/c/records/";
            try (SseStream onA = SseStream.open(a, "/v1/buckets/shared/collections/c/changes", "alice");
                    SseStream bucketOnB = SseStream.open(b, "/v1/buckets/shared/changes", "alice")) {
                List<Long> written = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    TestServer writer = i % 2 == 0 ? b : a;
                    written.add(writer.put(path + "r" + i, "alice", "{\"data\":{\"i\":" + i + "}}").json()
                            .path("data").path("last_modified").asLong());
                }
                written.add(b.delete(path + "r0", "alice").json().path("data").path("last_modified").asLong());
                List<SseStream.Event> seenByA = onA.next(written.size());
                assertThat(seenByA).extracting(SseStream.Event::id).containsExactlyElementsOf(written);
                assertThat(seenByA.get(0).action()).as("action told by the other process").isEqualTo("create");
                assertThat(seenByA.get(0).data().path("user_id").asText()).startsWith("basicauth:");
                assertThat(seenByA.get(written.size() - 1).action()).isEqualTo("delete");
                assertThat(bucketOnB.next(written.size())).extracting(SseStream.Event::id)
                        .containsExactlyElementsOf(written);
            }
        }
    }

    /**
     * A process that commits without telling the others (here: its feed is off, as a process
     * killed between its commit and its notification would be): the others' streams still get
     * the change, from the backstop read within PgChangeChannel.BACKSTOP_MILLIS.
     */
    @Test
    void aCommitNobodyAnnouncedReachesStreamsThroughTheBackstopRead() throws Exception {
        try (PostgresDatabase db = PostgresDatabase.create();
                TestServer a = TestServer.start("storage.url = \"" + db.url() + "\"\n");
                TestServer silent = TestServer.start("storage.url = \"" + db.url() + "\"\nchanges.enabled = false\n")) {
            a.put("/v1/buckets/shared", "alice", null);
            a.put("/v1/buckets/shared/collections/c", "alice", null);
            try (SseStream onA = SseStream.open(a, "/v1/buckets/shared/collections/c/changes", "alice")) {
                long written = silent.put("/v1/buckets/shared/collections/c/records/quiet", "alice", "{\"data\":{}}")
                        .json().path("data").path("last_modified").asLong();
                SseStream.Event seen = onA.poll(PgChangeChannel.BACKSTOP_MILLIS + 5_000);
                assertThat(seen).as("event from the backstop read").isNotNull();
                assertThat(seen.id()).isEqualTo(written);
            }
        }
    }
}
