package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/**
 * CORS, Backoff and Retry-After (https://docs.kinto-storage.org/en/stable/api/1.x/backoff.html), content negotiation (406, 415) and the
 * readonly mode, as upstream Kinto 26.3.1 answers them.
 */
class HeadersAndModesTest {

    private static Set<String> list(String header) {
        return Arrays.stream(header.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void corsPreflightNeedsNoAuthentication() throws Exception {
        try (TestServer server = TestServer.start()) {
            TestServer.Response r = server.request("OPTIONS", "/v1/buckets/b1/collections/c1/records", null, null,
                    "Origin", "http://example.org", "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "authorization,content-type");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(r.header("Access-Control-Max-Age")).isEqualTo("3600");
            assertThat(list(r.header("Access-Control-Allow-Methods"))).isEqualTo(Set.of("HEAD", "GET", "POST", "DELETE", "OPTIONS"));
            assertThat(list(r.header("Access-Control-Allow-Headers"))).contains("authorization", "content-type",
                    "Total-Objects", "Next-Page", "Backoff", "ETag", "Retry-After", "Alert");
            assertThat(r.json()).isEqualTo(Json.mapper().nullNode());
            TestServer.Response object = server.request("OPTIONS", "/v1/buckets/b1", null, null,
                    "Origin", "http://example.org", "Access-Control-Request-Method", "PATCH");
            assertThat(list(object.header("Access-Control-Allow-Methods"))).contains("PATCH", "PUT", "DELETE", "GET");
        }
    }

    @Test
    void corsHeadersOnSuccessAndErrorsAndOriginRestriction() {
        try (TestServer open = TestServer.start()) {
            open.put("/v1/buckets/b1", "alice", null);
            TestServer.Response ok = open.request("GET", "/v1/buckets/b1", "alice", null, "Origin", "http://example.org");
            assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("*");
            TestServer.Response denied = open.request("GET", "/v1/buckets/b1", null, null, "Origin", "http://example.org");
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(denied.header("Access-Control-Expose-Headers")).contains("Backoff", "Retry-After", "Alert");
            assertThat(open.get("/v1/buckets/b1", "alice").header("Access-Control-Allow-Origin"))
                    .as("no Origin, no CORS answer").isNull();
        }
        try (TestServer restricted = TestServer.start("cors_origins = [\"https://app.example\"]")) {
            assertThat(restricted.request("GET", "/v1/", null, null, "Origin", "https://app.example")
                    .header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
            assertThat(restricted.request("GET", "/v1/", null, null, "Origin", "https://evil.example")
                    .header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void backoffIsOnEveryResponseIncluding304AndErrors() {
        try (TestServer server = TestServer.start("backoff = 60")) {
            server.put("/v1/buckets/b1", "alice", null);
            TestServer.Response ok = server.get("/v1/buckets/b1", "alice");
            assertThat(ok.header("Backoff")).isEqualTo("60");
            assertThat(server.request("GET", "/v1/buckets/b1", "alice", null, "If-None-Match", ok.header("ETag"))
                    .header("Backoff")).isEqualTo("60");
            TestServer.Response error = server.get("/v1/buckets/unknown", "alice");
            assertThat(error.status()).isEqualTo(403);
            assertThat(error.header("Backoff")).isEqualTo("60");
            assertThat(error.header("Retry-After")).as("only on 503 and 409").isNull();
        }
        try (TestServer never = TestServer.start("backoff = 60\nbackoff_percentage = 0")) {
            assertThat(never.get("/v1/", null).header("Backoff")).isNull();
        }
        try (TestServer none = TestServer.start()) {
            assertThat(none.get("/v1/", null).header("Backoff")).isNull();
        }
    }

    @Test
    void contentNegotiationAre406And415WithKintosBodies() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.put("/v1/buckets/b1", "alice", null);
            TestServer.Response accept = server.request("GET", "/v1/buckets/b1", "alice", null, "Accept", "text/plain");
            assertThat(accept.status()).isEqualTo(406);
            assertThat(accept.json()).isEqualTo(Json.parse("{\"code\": 406, \"errno\": 107, \"error\": \"Invalid parameters\", "
                    + "\"message\": \"Accept header should be one of ['application/json']\", \"details\": [{\"location\": "
                    + "\"header\", \"name\": \"Accept\", \"description\": \"Accept header should be one of ['application/json']\"}]}"));
            assertThat(server.request("GET", "/v1/buckets/b1", "alice", null, "Accept", "text/html, */*;q=0.1").status())
                    .isEqualTo(200);
            TestServer.Response patch = server.request("PATCH", "/v1/buckets/b1", "alice", "{}", "Content-Type", "text/plain");
            assertThat(patch.status()).isEqualTo(415);
            assertThat(patch.json().path("message").asText()).isEqualTo("Content-Type header should be one of "
                    + "['application/json', 'application/merge-patch+json', 'application/json-patch+json']");
            assertThat(server.request("PUT", "/v1/buckets/b1", "alice", "{}", "Content-Type", "application/json; charset=utf-8")
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void httpDatesAreImfFixdateWithTwoDigitDays() {
        try (TestServer server = TestServer.start()) {
            server.put("/v1/buckets/b1", "alice", null);
            server.put("/v1/buckets/b1/collections/c1", "alice", null);
            // 2026-11-01T10:00:00Z, forced as the record's timestamp on creation
            TestServer.Response r = server.put("/v1/buckets/b1/collections/c1/records/r1", "alice",
                    "{\"data\": {\"last_modified\": 1793527200000}}");
            assertThat(r.header("Last-Modified")).isEqualTo("Sun, 01 Nov 2026 10:00:00 GMT");
        }
    }

    @Test
    void readonlyRejectsWritesAndCannotInitialiseTimestamps(@TempDir Path dir) throws Exception {
        try (TestServer writable = TestServer.startIn(dir, "", Map.of())) {
            writable.put("/v1/buckets/b1", "alice", null);
            writable.put("/v1/buckets/b1/collections/read", "alice", null);
            writable.get("/v1/buckets/b1/collections/read/records", "alice");
            writable.put("/v1/buckets/b1/collections/never", "alice", null);
        }
        try (TestServer readonly = TestServer.startIn(dir, "readonly = true", Map.of())) {
            TestServer.Response hello = readonly.get("/v1/", null);
            assertThat(hello.json().path("settings").path("readonly").asBoolean()).isTrue();
            assertThat(hello.header("Cache-Control")).isEqualTo("max-age=86400");
            assertThat(readonly.get("/v1/buckets/b1", "alice").status()).isEqualTo(200);
            assertThat(readonly.get("/v1/buckets/b1/collections/read/records", "alice").status()).isEqualTo(200);

            for (String[] write : new String[][] {{"PUT", "/v1/buckets/b2"}, {"POST", "/v1/buckets"},
                    {"PATCH", "/v1/buckets/b1"}, {"DELETE", "/v1/buckets/b1"}, {"POST", "/v1/batch"}}) {
                TestServer.Response r = readonly.request(write[0], write[1], "alice", "{}");
                assertThat(r.status()).as(String.join(" ", write)).isEqualTo(405);
                assertThat(r.json().path("errno").asInt()).isEqualTo(115);
            }
            assertThat(readonly.get("/v1/buckets/default", "alice").status()).as("implicit creation is a write").isEqualTo(405);

            TestServer.Response never = readonly.get("/v1/buckets/b1/collections/never/records", "alice");
            assertThat(never.status()).isEqualTo(503);
            assertThat(never.json().path("errno").asInt()).isEqualTo(201);
            assertThat(never.json().path("message").asText()).isEqualTo("Resource timestamp cannot be written. "
                    + "Plural endpoint must be hit at least once from a writable instance.");
            assertThat(never.header("Retry-After")).isEqualTo("3");
        }
    }
}
