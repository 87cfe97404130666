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

/** If-Match / If-None-Match, 304 and 412 (the preconditions of https://docs.kinto-storage.org/en/stable/api/1.x/records.html). */
@KintoServer
class ConcurrencyTest {

    static final String RECORDS = "/v1/buckets/cb/collections/c/records";
    private final TestServer server;

    ConcurrencyTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        alice.put("/v1/buckets/cb");
        alice.put("/v1/buckets/cb/collections/c");
    }

    private JsonNode create(String id) {
        TestServer.Response r = server.put(RECORDS + "/" + id, "alice", "{\"data\": {\"title\": \"first\", \"n\": 1}}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().path("data");
    }

    private static String etag(JsonNode object) {
        return "\"" + object.path("last_modified").asLong() + "\"";
    }

    @Test
    void getWithTheCurrentEtagIs304WithHeadersAndNoBody() {
        JsonNode rec = create("g304");
        TestServer.Response r = server.request("GET", RECORDS + "/g304", "alice", null, "If-None-Match", etag(rec));
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.text()).isEmpty();
        assertThat(r.header("ETag")).isEqualTo(etag(rec));
        assertThat(r.header("Last-Modified")).endsWith(" GMT");
        assertThat(r.header("Access-Control-Expose-Headers"))
                .isEqualTo("Backoff, ETag, Cache-Control, Content-Type, Pragma, Content-Length, Alert, Last-Modified, Retry-After, Expires");
        assertThat(server.request("GET", RECORDS + "/g304", "alice", null, "If-None-Match", "\"1\"").status()).isEqualTo(200);
    }

    @Test
    void listWithTheCurrentEtagIs304() {
        create("l304");
        String current = server.get(RECORDS, "alice").header("ETag");
        TestServer.Response r = server.request("GET", RECORDS, "alice", null, "If-None-Match", current);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("ETag")).isEqualTo(current);
        assertThat(r.header("Access-Control-Expose-Headers")).startsWith("Next-Page, ");
        assertThat(server.request("GET", RECORDS, "alice", null, "If-None-Match", "*").status()).isEqualTo(412);
        assertThat(server.request("GET", RECORDS, "alice", null, "If-Match", "\"1\"").status()).isEqualTo(412);
        assertThat(server.request("HEAD", RECORDS, "alice", null, "If-None-Match", current).status()).isEqualTo(304);
    }

    @Test
    void aStaleIfMatchIs412WithTheExistingObject() throws Exception {
        JsonNode rec = create("stale");
        TestServer.Response r = server.request("PATCH", RECORDS + "/stale", "alice", "{\"data\": {\"n\": 2}}",
                "If-Match", "\"1234\"");
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.json()).isEqualTo(Json.parse("{\"code\": 412, \"errno\": 114, \"error\": \"Precondition Failed\", "
                + "\"message\": \"Resource was modified meanwhile\", \"details\": {\"existing\": " + rec + "}}"));
        assertThat(r.header("ETag")).isEqualTo(etag(rec));
        assertThat(r.header("Last-Modified")).endsWith(" GMT");
        assertThat(server.get(RECORDS + "/stale", "alice").json().path("data").path("n").asInt()).isEqualTo(1);
        for (String method : new String[] {"PUT", "DELETE", "GET"}) {
            assertThat(server.request(method, RECORDS + "/stale", "alice", method.equals("PUT") ? "{}" : null,
                    "If-Match", "\"1234\"").status()).as(method).isEqualTo(412);
        }
        TestServer.Response ok = server.request("PATCH", RECORDS + "/stale", "alice", "{\"data\": {\"n\": 2}}",
                "If-Match", etag(rec));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchStarProtectsCreations() {
        JsonNode rec = create("my-id");
        TestServer.Response r = server.request("PUT", RECORDS + "/my-id", "alice", "{\"data\": {\"title\": \"again\"}}",
                "If-None-Match", "*");
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.json().path("details").path("existing")).isEqualTo(rec);
        assertThat(server.request("POST", RECORDS, "alice", "{\"data\": {\"id\": \"my-id\"}}", "If-None-Match", "*").status())
                .isEqualTo(412);
        assertThat(server.request("PUT", RECORDS + "/fresh", "alice", null, "If-None-Match", "*").status()).isEqualTo(201);
        assertThat(server.request("GET", RECORDS + "/my-id", "alice", null, "If-None-Match", "*").status()).isEqualTo(412);
        assertThat(server.request("DELETE", RECORDS, "alice", null, "If-None-Match", "*").status())
                .as("plural DELETE: the list always exists").isEqualTo(412);
    }

    @Test
    void ifMatchOnAMissingObjectIs412WithoutDetailsForPutAndPost() {
        TestServer.Response put = server.request("PUT", RECORDS + "/missing", "alice", null, "If-Match", "\"123\"");
        assertThat(put.status()).isEqualTo(412);
        assertThat(put.json().has("details")).isFalse();
        TestServer.Response post = server.request("POST", RECORDS, "alice", "{\"data\": {}}", "If-Match", "*");
        assertThat(post.status()).isEqualTo(412);
        TestServer.Response patch = server.request("PATCH", RECORDS + "/missing", "alice", "{\"data\": {}}", "If-Match", "*");
        assertThat(patch.status()).as("PATCH/DELETE: existence first").isEqualTo(404);
        assertThat(server.request("DELETE", RECORDS + "/missing", "alice", null, "If-Match", "*").status()).isEqualTo(404);
    }

    @Test
    void ifMatchStarAndIfNoneMatchOnWritesAreHarmless() {
        JsonNode rec = create("star");
        assertThat(server.request("PATCH", RECORDS + "/star", "alice", "{\"data\": {\"n\": 3}}", "If-Match", "*").status())
                .isEqualTo(200);
        assertThat(server.request("PATCH", RECORDS + "/star", "alice", "{\"data\": {\"n\": 4}}",
                "If-None-Match", etag(rec)).status()).as("If-None-Match with a value is ignored on writes").isEqualTo(200);
    }

    @Test
    void malformedPreconditionHeadersAre400() throws Exception {
        create("bad");
        for (String value : new String[] {"\"*\"", "1234", "W/\"1234\"", "\"abc\""}) {
            TestServer.Response r = server.request("GET", RECORDS + "/bad", "alice", null, "If-Match", value);
            assertThat(r.status()).as(value).isEqualTo(400);
            assertThat(r.json()).isEqualTo(Json.parse("{\"code\": 400, \"errno\": 107, \"error\": \"Invalid parameters\", "
                    + "\"message\": \"If-Match in header: The value should be integer between double quotes.\", "
                    + "\"details\": [{\"location\": \"header\", \"name\": \"If-Match\", "
                    + "\"description\": \"The value should be integer between double quotes.\"}]}"));
        }
        assertThat(server.request("GET", RECORDS + "/bad", "alice", null, "If-None-Match", "1").status()).isEqualTo(400);
    }

    @Test
    void deleteWithIfMatchAndAForcedTimestamp() {
        JsonNode rec = create("del");
        long forced = rec.path("last_modified").asLong() + 1000;
        TestServer.Response r = server.request("DELETE", RECORDS + "/del?last_modified=" + forced, "alice", null,
                "If-Match", etag(rec));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("data").path("last_modified").asLong()).isEqualTo(forced);
        assertThat(r.header("ETag")).isEqualTo("\"" + forced + "\"");
    }
}
