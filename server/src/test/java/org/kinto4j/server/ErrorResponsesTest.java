package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets Kinto's error body (pinned to upstream Kinto 26.3.1's answers) and changes
 * nothing.
 */
class ErrorResponsesTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("http.max_body_size = 2048");
        server.put("/v1/buckets/b1", "alice", null);
        server.put("/v1/buckets/b1/collections/c1", "alice", null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedJsonIsKintos400() {
        TestServer.Response r = server.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\": {\"note\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);
        assertThat(r.json().path("error").asText()).isEqualTo("Invalid parameters");
        assertThat(r.json().path("message").asText()).startsWith("Invalid JSON: Parse error at offset");
        assertThat(r.json().path("details")).hasSize(2);
        assertThat(r.json().path("details").get(1).toString())
                .isEqualTo("{\"location\":\"body\",\"name\":\"\",\"description\":\"Required\"}");
    }

    @Test
    void dataNotAnObjectIsKintos400() {
        TestServer.Response r = server.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\": \"hello\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                + "\"message\":\"data in body: \\\"hello\\\" is not a mapping type: Does not implement dict-like functionality.\","
                + "\"details\":[{\"location\":\"body\",\"name\":\"data\",\"description\":\"\\\"hello\\\" is not a mapping type: "
                + "Does not implement dict-like functionality.\"}]}");
    }

    @Test
    void wrongContentTypeIsKintos415() {
        TestServer.Response r = server.request("POST", "/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"x\":1}}",
                "Content-Type", "text/plain");
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.text()).isEqualTo("{\"code\":415,\"errno\":107,\"error\":\"Invalid parameters\",\"message\":"
                + "\"Content-Type header should be one of ['application/json']\",\"details\":[{\"location\":\"header\","
                + "\"name\":\"Content-Type\",\"description\":\"Content-Type header should be one of ['application/json']\"}]}");
    }

    @Test
    void unknownTopLevelKeyIsKintos400() {
        TestServer.Response r = server.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"x\":1},\"foo\":1}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\",\"message\":"
                + "\"Unrecognized keys in mapping: \\\"{'foo': 1}\\\"\",\"details\":[{\"location\":\"body\",\"name\":\"\","
                + "\"description\":\"Unrecognized keys in mapping: \\\"{'foo': 1}\\\"\"}]}");
    }

    @Test
    void invalidIdIsKintos400AndCreatesNothing() {
        TestServer.Response r = server.put("/v1/buckets/b1/collections/c1/records/bad%20id", "alice", "{\"data\":{\"x\":1}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\",\"message\":"
                + "\"path: Invalid object id\",\"details\":[{\"location\":\"path\",\"name\":null,\"description\":\"Invalid object id\"}]}");
        assertThat(server.get("/v1/buckets/b1/collections/c1/records", "alice").json().path("data")).isEmpty();
    }

    @Test
    void unknownUrlAndMethodAreKintos404And405() {
        TestServer.Response unknown = server.get("/v1/nope", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).isEqualTo("{\"code\":404,\"errno\":111,\"error\":\"Not Found\","
                + "\"message\":\"The resource you are looking for could not be found.\"}");
        TestServer.Response method = server.delete("/v1/", "alice");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(method.json().path("errno").asInt()).isEqualTo(115);
        assertThat(server.request("BREW", "/v1/buckets", "alice", null).status()).isEqualTo(405);
    }

    @Test
    void redirectsAreKintos() {
        java.net.http.HttpClient noFollow = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        for (String[] c : new String[][] {{"/v1/buckets/", "/v1/buckets"}, {"/buckets", "/v1/buckets"}, {"/v1", "/v1/"}}) {
            try {
                var resp = noFollow.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base() + c[0])).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                assertThat(resp.statusCode()).isEqualTo(307);
                assertThat(resp.headers().firstValue("Location")).contains(server.base() + c[1]);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void oversizedBodyIs413AndStoresNothing() {
        String big = "{\"data\":{\"blob\":\"" + "x".repeat(5000) + "\"}}";
        TestServer.Response r = server.put("/v1/buckets/b1/collections/c1/records/big", "alice", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("errno").asInt()).isEqualTo(113);
        assertThat(r.json().path("message").asText()).contains("2048").contains("http.max_body_size");
        assertThat(server.get("/v1/buckets/b1/collections/c1/records/big", "alice").status()).isEqualTo(404);
    }

    @Test
    void invalidPercentEncodingIs400() {
        TestServer.Response r = server.get("/v1/buckets/%ff%fe", "alice");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);
    }

    @Test
    void everyResponseCarriesKintosCommonHeaders() {
        TestServer.Response r = server.request("GET", "/v1/buckets/b1", "alice", null, "Origin", "http://example.org");
        // Kinto's value ends with a space, which HTTP clients trim
        assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'; base-uri 'none';");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(r.header("Access-Control-Expose-Headers"))
                .isEqualTo("Backoff, ETag, Cache-Control, Content-Type, Pragma, Content-Length, Alert, Last-Modified, Retry-After, Expires");
    }
}
