package org.kinto4j.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kinto4j.server.TestServer;

/**
 * Kinto's history plugin ({@code includes = [history]}) against the real server, replaying the
 * upstream transcripts 27 to 43 of kinto-transcripts-plugins (alice fills b1, bob may read c2).
 * Run on H2 ({@link HistoryTest}) and PostgreSQL ({@link HistoryPostgresTest}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HistoryContract {

    private static TestServer server;
    private static String alice;
    private static String bob;

    /** Starts a server with history on (plus {@code storageConfig}) and replays the transcripts' set-up. */
    static void fill(String storageConfig) {
        server = TestServer.start("includes = [history]\n" + storageConfig);
        alice = server.get("/v1/", "alice").json().at("/user/id").asText();
        bob = server.get("/v1/", "bob").json().at("/user/id").asText();
        ok(server.put("/v1/buckets/b1", "alice", null));
        ok(server.put("/v1/buckets/b1/collections/c1", "alice", null));
        ok(server.put("/v1/buckets/b1/collections/c1/records/r1", "alice", "{\"data\":{\"title\":\"one\"}}"));
        ok(server.put("/v1/buckets/b1/collections/c1/records/r2", "alice", "{\"data\":{\"title\":\"two\"}}"));
        ok(server.patch("/v1/buckets/b1/collections/c1/records/r1", "alice", "{\"data\":{\"title\":\"one v2\"}}"));
        ok(server.delete("/v1/buckets/b1/collections/c1/records/r2", "alice"));
        ok(server.put("/v1/buckets/b1/groups/g1", "alice", "{\"data\":{\"members\":[\"" + bob + "\"]}}"));
        ok(server.put("/v1/buckets/b1/collections/c2", "alice", "{\"permissions\":{\"read\":[\"" + bob + "\"]}}"));
        ok(server.put("/v1/buckets/b1/collections/c2/records/x1", "alice", "{\"data\":{\"title\":\"in c2\"}}"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static void ok(TestServer.Response r) {
        assertThat(r.status()).as(r.text()).isBetween(200, 201);
    }

    private static List<String> summary(TestServer.Response r) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : r.json().get("data")) {
            out.add(e.get("action").asText() + " " + e.get("uri").asText());
        }
        return out;
    }

    /**
     * Whether the storage keeps the key order of stored JSON: H2 keeps Kinto's memory backend's
     * order; PostgreSQL's jsonb orders keys its own way, as it does under upstream Kinto.
     */
    protected boolean keepsKeyOrder() {
        return true;
    }

    private void assertKeys(JsonNode entry, String... keys) {
        if (keepsKeyOrder()) {
            assertThat(fieldNames(entry)).containsExactly(keys);
        } else {
            assertThat(fieldNames(entry)).containsExactlyInAnyOrder(keys);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void t27_listIsNewestFirstWithKintoShape() {
        TestServer.Response r = server.get("/v1/buckets/b1/history", "alice");
        assertThat(r.status()).isEqualTo(200);
        assertThat(summary(r)).containsExactly(
                "create /buckets/b1/collections/c2/records/x1", "create /buckets/b1/collections/c2",
                "create /buckets/b1/groups/g1", "delete /buckets/b1/collections/c1/records/r2",
                "update /buckets/b1/collections/c1/records/r1", "create /buckets/b1/collections/c1/records/r2",
                "create /buckets/b1/collections/c1/records/r1", "create /buckets/b1/collections/c1",
                "create /buckets/b1");
        JsonNode x1 = r.json().at("/data/0");
        assertKeys(x1, "date", "target", "action", "uri", "user_id", "resource_name",
                "collection_id", "record_id", "id", "last_modified");
        assertThat(x1.get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00");
        assertThat(x1.at("/target/data/title").asText()).isEqualTo("in c2");
        assertThat(x1.at("/target/permissions/write/0").asText()).isEqualTo(alice);
        assertThat(x1.get("user_id").asText()).isEqualTo(alice);
        assertThat(x1.get("collection_id").asText()).isEqualTo("c2");
        assertThat(x1.get("record_id").asText()).isEqualTo("x1");
        JsonNode bucket = r.json().at("/data/8");
        assertKeys(bucket, "date", "target", "action", "uri", "user_id", "resource_name",
                "bucket_id", "id", "last_modified");
        JsonNode deleted = r.json().at("/data/3");
        assertThat(deleted.at("/target/data/deleted").asBoolean()).isTrue();
        assertThat(deleted.at("/target/permissions").size()).isZero();
        assertThat(r.header("ETag")).isEqualTo("\"" + x1.get("last_modified").asLong() + "\"");
        assertThat(r.header("Last-Modified")).isNotNull();
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache, no-store");
        assertThat(r.header("Access-Control-Expose-Headers")).contains("Next-Page");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    @Order(2)
    void t28_t29_filters() {
        assertThat(summary(server.get("/v1/buckets/b1/history?resource_name=record", "alice"))).hasSize(5);
        assertThat(summary(server.get("/v1/buckets/b1/history?action=delete", "alice")))
                .containsExactly("delete /buckets/b1/collections/c1/records/r2");
        assertThat(server.get("/v1/buckets/b1/history?_since=abc", "alice").status()).isEqualTo(400);
    }

    @Test
    @Order(3)
    void t30_since() {
        long r2 = server.get("/v1/buckets/b1/history?record_id=r2&action=create", "alice").json()
                .at("/data/0/last_modified").asLong();
        assertThat(summary(server.get("/v1/buckets/b1/history?_since=" + r2, "alice"))).hasSize(5);
    }

    @Test
    @Order(4)
    void t31_t32_t33_pagesAndSort() {
        TestServer.Response first = server.get("/v1/buckets/b1/history?_limit=2", "alice");
        assertThat(summary(first)).hasSize(2);
        String next = first.header("Next-Page");
        assertThat(next).startsWith(server.base() + "/v1/buckets/b1/history?_limit=2&_token=");
        TestServer.Response second = server.get(next.substring(server.base().length()), "alice");
        assertThat(summary(second)).containsExactly("create /buckets/b1/groups/g1",
                "delete /buckets/b1/collections/c1/records/r2");
        assertThat(summary(server.get("/v1/buckets/b1/history?_sort=last_modified", "alice")).get(0))
                .isEqualTo("create /buckets/b1");
    }

    @Test
    @Order(5)
    void t34_headIsTheGetViewWithoutTotals() {
        TestServer.Response get = server.get("/v1/buckets/b1/history", "alice");
        TestServer.Response head = server.request("HEAD", "/v1/buckets/b1/history", "alice", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Total-Objects")).isNull();
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.text().getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
    }

    @Test
    @Order(6)
    void t35_t36_entriesVisibleAsTheirAclsWereWhenWritten() {
        assertThat(summary(server.get("/v1/buckets/b1/history", "bob"))).containsExactly(
                "create /buckets/b1/collections/c2/records/x1", "create /buckets/b1/collections/c2");
        assertThat(server.get("/v1/buckets/b1/history", null).status()).isEqualTo(401);
        assertThat(server.get("/v1/buckets/b1/history", "dave").status()).isEqualTo(403);
        ok(server.patch("/v1/buckets/b1/collections/c1", "alice", "{\"permissions\":{\"read\":[\"" + bob + "\"]}}"));
        assertThat(summary(server.get("/v1/buckets/b1/history", "bob"))).containsExactly(
                "update /buckets/b1/collections/c1", "create /buckets/b1/collections/c2/records/x1",
                "create /buckets/b1/collections/c2");
        assertThat(server.delete("/v1/buckets/b1/history", "bob").status()).isEqualTo(403);
    }

    @Test
    @Order(7)
    void t37_to_t41_batchEntryAndWhatKintoHttpAtReads() {
        TestServer.Response batch = server.post("/v1/batch", "alice", "{\"defaults\":{\"method\":\"POST\",\"path\":"
                + "\"/buckets/b1/collections/c1/records\"},\"requests\":[{\"body\":{\"data\":{\"title\":\"from batch\"}}}]}");
        assertThat(batch.status()).isEqualTo(200);
        String id = batch.json().at("/responses/0/body/data/id").asText();
        TestServer.Response created = server.get("/v1/buckets/b1/history?action=create&resource_name=collection"
                + "&collection_id=c1&_sort=-last_modified&_limit=1", "alice");
        assertThat(summary(created)).containsExactly("create /buckets/b1/collections/c1");
        TestServer.Response records = server.get(
                "/v1/buckets/b1/history?resource_name=record&collection_id=c1&_sort=last_modified", "alice");
        assertThat(summary(records)).containsExactly("create /buckets/b1/collections/c1/records/r1",
                "create /buckets/b1/collections/c1/records/r2", "update /buckets/b1/collections/c1/records/r1",
                "delete /buckets/b1/collections/c1/records/r2", "create /buckets/b1/collections/c1/records/" + id);
        assertThat(records.json().at("/data/4/user_id").asText()).isEqualTo(alice);
        long r2Created = records.json().at("/data/1/target/data/last_modified").asLong();
        TestServer.Response snapshot = server.get("/v1/buckets/b1/snapshot/collections/c1@" + r2Created, "alice");
        assertThat(snapshot.status()).isEqualTo(200);
        assertThat(snapshot.json()).isEqualTo(parse("{\"data\":["
                + "{\"title\":\"two\",\"id\":\"r2\",\"last_modified\":" + r2Created + "},"
                + records.json().at("/data/0/target/data") + "]}"));
        assertThat(snapshot.header("ETag")).isNull();
        assertThat(snapshot.header("Cache-Control")).isNull();
        assertThat(server.get("/v1/buckets/b1/snapshot/collections/c1@abc", "alice").json().get("message").asText())
                .isEqualTo("Invalid timestamp 'abc'");
        assertThat(server.get("/v1/buckets/b1/snapshot/collections/c1@1", "dave").status()).isEqualTo(403);
    }

    @Test
    @Order(8)
    void t42_collectionDeletionWritesOneEntryAndKeepsItsRecordsHistory() {
        ok(server.delete("/v1/buckets/b1/collections/c1", "alice"));
        TestServer.Response r = server.get("/v1/buckets/b1/history?collection_id=c1", "alice");
        assertThat(summary(r).get(0)).isEqualTo("delete /buckets/b1/collections/c1");
        assertThat(summary(r)).hasSize(8);
    }

    @Test
    @Order(9)
    void t43_deleteReturnsTombstonesAndEmptiesTheList() {
        int count = server.get("/v1/buckets/b1/history", "alice").json().get("data").size();
        TestServer.Response r = server.delete("/v1/buckets/b1/history", "alice");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("data")).hasSize(count);
        assertThat(r.json().at("/data/0/deleted").asBoolean()).isTrue();
        assertThat(server.get("/v1/buckets/b1/history", "alice").json().get("data")).isEmpty();
    }

    @Test
    @Order(10)
    void bucketDeletionRemovesItsHistoryIncludingTheDeletion() {
        ok(server.put("/v1/buckets/b9", "alice", null));
        ok(server.put("/v1/buckets/b9/collections/c", "alice", null));
        ok(server.delete("/v1/buckets/b9", "alice"));
        ok(server.put("/v1/buckets/b9", "alice", null));
        assertThat(summary(server.get("/v1/buckets/b9/history", "alice"))).containsExactly("create /buckets/b9");
    }

    @Test
    @Order(11)
    void capabilityAndUnknownBucketChildren() {
        JsonNode cap = server.get("/v1/", null).json().at("/capabilities/history");
        assertThat(cap.get("description").asText()).isEqualTo("Track changes on data.");
        assertThat(server.get("/v1/buckets/b1/other", "alice").status()).isEqualTo(404);
        assertThat(server.request("PUT", "/v1/buckets/b1/history", "alice", "{}").status()).isEqualTo(405);
    }
}
