package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;
import org.kinto4j.server.json.Json;

/** {@code POST /v1/batch} (https://docs.kinto-storage.org/en/stable/api/1.x/batch.html). */
@KintoServer
class BatchTest {

    private final TestServer server;
    private final String alice;

    BatchTest(TestServer server, @User("alice") String alice) {
        this.server = server;
        this.alice = alice;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        alice.put("/v1/buckets/b1");
        alice.put("/v1/buckets/b1/collections/c1");
    }

    private TestServer.Response batch(String user, String body) {
        return server.post("/v1/batch", user, body);
    }

    @Test
    void defaultsAndOneResponsePerRequestInOrderAsKinto() {
        TestServer.Response r = batch("alice", "{\"defaults\":{\"method\":\"POST\",\"path\":\"/buckets/b1/collections/c1/records\"},"
                + "\"requests\":[{\"method\":\"PUT\",\"path\":\"/buckets/b1/collections/c2\"},"
                + "{\"body\":{\"data\":{\"title\":\"from batch\"}}},"
                + "{\"method\":\"GET\",\"path\":\"/buckets/b1/collections/c1/records?_limit=1\"}]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Expose-Headers")).isEqualTo("Backoff, Content-Type, Content-Length, Alert, Retry-After");
        JsonNode responses = r.json().path("responses");
        assertThat(responses).hasSize(3);

        JsonNode put = responses.get(0);
        assertThat(put.path("path").asText()).isEqualTo("/v1/buckets/b1/collections/c2");
        assertThat(put.path("status").asInt()).isEqualTo(201);
        long c2 = put.path("body").path("data").path("last_modified").asLong();
        assertThat(put.path("headers").path("ETag").asText()).isEqualTo("\"" + c2 + "\"");
        assertThat(put.path("headers").path("Content-Type").asText()).isEqualTo("application/json");
        assertThat(put.path("body").path("permissions").path("write").get(0).asText()).isEqualTo(alice);

        JsonNode post = responses.get(1);
        assertThat(post.path("path").asText()).isEqualTo("/v1/buckets/b1/collections/c1/records");
        assertThat(post.path("status").asInt()).isEqualTo(201);
        String id = post.path("body").path("data").path("id").asText();

        JsonNode get = responses.get(2);
        assertThat(get.path("path").asText()).as("path without the query string").isEqualTo("/v1/buckets/b1/collections/c1/records");
        assertThat(get.path("status").asInt()).isEqualTo(200);
        assertThat(get.path("body").path("data").get(0).path("id").asText()).as("sees the earlier sub-request").isEqualTo(id);
        assertThat(get.path("headers").path("Next-Page").asText()).startsWith(server.base()
                + "/v1/buckets/b1/collections/c1/records?_limit=1&_token=");
        assertThat(get.path("headers").path("Access-Control-Expose-Headers").asText()).startsWith("Next-Page, ");
    }

    @Test
    void failingSubRequestsAreReportedAndTheOthersCommittedAsKinto() throws Exception {
        TestServer.Response r = batch("alice", "{\"requests\":[{\"method\":\"GET\",\"path\":\"/buckets/nope\"},"
                + "{\"method\":\"DELETE\",\"path\":\"/buckets/b1/collections/c1/records/does-not-exist\"},"
                + "{\"method\":\"PUT\",\"path\":\"/buckets/b1/collections/c1/records/kept\"},"
                + "{\"method\":\"GET\",\"path\":\"/\"}]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.json().path("responses");
        assertThat(responses.get(0).path("status").asInt()).isEqualTo(403);
        assertThat(responses.get(0).path("body")).isEqualTo(Json.parse("{\"code\":403,\"errno\":121,\"error\":\"Forbidden\","
                + "\"message\":\"This user cannot access this resource.\"}"));
        assertThat(responses.get(1).path("status").asInt()).isEqualTo(404);
        assertThat(responses.get(1).path("body")).isEqualTo(Json.parse("{\"code\":404,\"errno\":110,\"error\":\"Not Found\","
                + "\"details\":{\"id\":\"does-not-exist\",\"resource_name\":\"record\"}}"));
        assertThat(responses.get(2).path("status").asInt()).isEqualTo(201);
        assertThat(responses.get(3).path("path").asText()).isEqualTo("/v1/");
        assertThat(responses.get(3).path("body").path("user").path("id").asText()).isEqualTo(alice);
        assertThat(server.get("/v1/buckets/b1/collections/c1/records/kept", "alice").status()).isEqualTo(200);
    }

    @Test
    void subRequestHeadersOverrideTheBatchOnesAndHeadBodiesAreEmpty() {
        server.put("/v1/buckets/b1/collections/c1/records/h", "alice", null);
        TestServer.Response r = batch("alice", "{\"requests\":["
                + "{\"method\":\"GET\",\"path\":\"/buckets/b1/collections/c1/records/h\","
                + "\"headers\":{\"Authorization\":\"" + TestServer.basic("mallory") + "\"}},"
                + "{\"method\":\"HEAD\",\"path\":\"/buckets/b1/collections/c1/records\"},"
                + "{\"method\":\"GET\",\"path\":\"/buckets/b1/collections/c1/\"}]}");
        JsonNode responses = r.json().path("responses");
        assertThat(responses.get(0).path("status").asInt()).as("runs as mallory").isEqualTo(403);
        assertThat(responses.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(responses.get(1).path("body").asText()).isEmpty();
        assertThat(responses.get(1).path("headers").path("Total-Records").asInt()).isPositive();
        assertThat(responses.get(2).path("status").asInt()).as("trailing slash followed").isEqualTo(200);
        assertThat(responses.get(2).path("body").path("data").path("id").asText()).isEqualTo("c1");
    }

    @Test
    void defaultsMergeHeadersWithoutOverwriting() {
        TestServer.Response first = batch("alice", "{\"defaults\":{\"method\":\"PUT\",\"headers\":{\"If-None-Match\":\"*\"}},"
                + "\"requests\":[{\"path\":\"/buckets/b1/collections/c1/records/once\"},"
                + "{\"path\":\"/buckets/b1/collections/c1/records/once\"},"
                + "{\"path\":\"/buckets/b1/collections/c1/records/once\",\"headers\":{\"If-None-Match\":\"\\\"1\\\"\"}}]}");
        JsonNode responses = first.json().path("responses");
        assertThat(responses.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(responses.get(1).path("status").asInt()).isEqualTo(412);
        assertThat(responses.get(2).path("status").asInt()).as("own header kept").isEqualTo(200);
    }

    @Test
    void theDefaultBucketWorksInsideABatch() {
        TestServer.Response r = batch("alice", "{\"defaults\":{\"method\":\"POST\",\"path\":\"/buckets/default/collections/notes/records\"},"
                + "\"requests\":[{\"body\":{\"data\":{\"n\":1}}},{\"body\":{\"data\":{\"n\":2}}}]}");
        JsonNode responses = r.json().path("responses");
        assertThat(responses.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(responses.get(1).path("status").asInt()).isEqualTo(201);
        String bucket = server.get("/v1/", "alice").json().path("user").path("bucket").asText();
        assertThat(server.get("/v1/buckets/" + bucket + "/collections/notes/records", "alice").json().path("data")).hasSize(2);
    }

    @Test
    void invalidBatchesAre400() throws Exception {
        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < 26; i++) {
            many.append(i > 0 ? "," : "").append("{\"path\":\"/\"}");
        }
        TestServer.Response tooMany = batch("alice", many.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json()).isEqualTo(Json.parse("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                + "\"message\":\"Number of requests is limited to 25\",\"details\":[{\"location\":\"body\","
                + "\"name\":\"requests\",\"description\":\"Number of requests is limited to 25\"}]}"));
        TestServer.Response recursive = batch("alice", "{\"requests\":[{\"path\":\"/buckets/b1/collections/batch-jobs\"}]}");
        assertThat(recursive.status()).isEqualTo(400);
        assertThat(recursive.json().path("message").asText())
                .isEqualTo("requests in body: Recursive call on /batch endpoint is forbidden.");
        assertThat(batch("alice", "{\"requests\":[{\"path\":\"/\",\"foo\":1}]}").status()).isEqualTo(400);
        assertThat(batch("alice", "{\"requests\":[],\"extra\":1}").status()).isEqualTo(400);
        assertThat(batch("alice", "{\"requests\":[{\"path\":\"buckets\"}]}").status()).as("path must start with /").isEqualTo(400);
        assertThat(batch("alice", "{\"requests\":[{\"path\":\"/\",\"method\":\"FOO\"}]}").status()).isEqualTo(400);
        assertThat(batch("alice", "{\"requests\":[{\"path\":\"/\",\"body\":[]}]}").status()).as("JSON-Patch arrays refused").isEqualTo(400);
        assertThat(batch("alice", "{\"requests\":[{\"path\":\"/\",\"headers\":{\"X\":1}}]}").status()).isEqualTo(400);
        assertThat(batch("alice", "{\"requests\":[]}").json()).isEqualTo(Json.parse("{\"responses\":[]}"));
        assertThat(server.request("POST", "/v1/batch", "alice", "{\"requests\":[]}", "Content-Type", "text/plain").status())
                .isEqualTo(415);
        TestServer.Response get = server.get("/v1/batch", "alice");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST, OPTIONS");
    }

    @Test
    void batchBodiesAreAlwaysJsonSoMergePatchHeadersAreIgnored() {
        server.put("/v1/buckets/b1/collections/c1/records/m", "alice", "{\"data\": {\"a\": 1, \"b\": 2}}");
        TestServer.Response r = batch("alice", "{\"requests\":[{\"method\":\"PATCH\",\"path\":\"/buckets/b1/collections/c1/records/m\","
                + "\"headers\":{\"Content-Type\":\"application/merge-patch+json\"},\"body\":{\"data\":{\"a\":null}}}]}");
        JsonNode data = r.json().path("responses").get(0).path("body").path("data");
        assertThat(data.has("a")).as("plain JSON semantics: null stored").isTrue();
        assertThat(data.path("a").isNull()).isTrue();
    }
}
