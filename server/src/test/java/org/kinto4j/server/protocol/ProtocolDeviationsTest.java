package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/**
 * Answers a differential run found different from upstream Kinto 26.3.1, each pinned to what
 * Kinto's code answers (kinto.core.resource, kinto.core.errors, cornice.cors, jsonpatch).
 */
class ProtocolDeviationsTest {

    static final String RECORDS = "/v1/buckets/pd/collections/c/records";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.put("/v1/buckets/pd", "alice", null);
        server.put("/v1/buckets/pd/collections/c", "alice", null);
        server.put(RECORDS + "/r1", "alice", "{\"data\": {\"n\": 1, \"s\": \"x\"}}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode detail(String location, String name, String description) {
        var d = Json.object().put("location", location);
        if (name == null) {
            d.putNull("name");
        } else {
            d.put("name", name);
        }
        return d.put("description", description);
    }

    @Test
    void aKeyLongerThanFiftyThousandCharactersIsAnOrdinaryKey() {
        // upstream's parser has no key-length limit: the body size is the only bound
        server.put("/v1/buckets/dev", "alice", null);
        server.put("/v1/buckets/dev/collections/keys", "alice", null);
        String key = "k".repeat(60_000);
        TestServer.Response r = server.put("/v1/buckets/dev/collections/keys/records/longkey", "alice",
                "{\"data\":{\"" + key + "\":1}}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(server.get("/v1/buckets/dev/collections/keys/records/longkey", "alice").json().path("data")
                .path(key).asInt()).isEqualTo(1);
    }

    @Test
    void aFailedJsonPatchTestQuotesJsonpatchAndHasNoFieldName() {
        TestServer.Response r = server.request("PATCH", RECORDS + "/r1", "alice",
                "[{\"op\": \"test\", \"path\": \"/data/n\", \"value\": 2}]", "Content-Type", "application/json-patch+json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);
        String description = "JSON Patch operation failed: 1 (<class 'int'>) is not equal to tested value 2 (<class 'int'>)";
        assertThat(r.json().path("message").asText()).isEqualTo("body: " + description);
        assertThat(r.json().path("details")).isEqualTo(Json.array().add(detail("body", null, description)));

        TestServer.Response s = server.request("PATCH", RECORDS + "/r1", "alice",
                "[{\"op\": \"test\", \"path\": \"/data/s\", \"value\": \"y\"}]", "Content-Type", "application/json-patch+json");
        assertThat(s.json().path("message").asText())
                .isEqualTo("body: JSON Patch operation failed: x (<class 'str'>) is not equal to tested value y (<class 'str'>)");
        TestServer.Response missing = server.request("PATCH", RECORDS + "/r1", "alice",
                "[{\"op\": \"test\", \"path\": \"/data/zz\", \"value\": 1}]", "Content-Type", "application/json-patch+json");
        assertThat(missing.json().path("message").asText())
                .startsWith("body: JSON Patch operation failed: member 'zz' not found in {");
    }

    @Test
    void aPostWithAStaleIfMatchGets412WithThePluralTimestamp() {
        TestServer.Response list = server.get(RECORDS, "alice");
        TestServer.Response r = server.request("POST", RECORDS, "alice", "{\"data\": {\"n\": 9}}", "If-Match", "\"123\"");
        assertThat(r.status()).isEqualTo(412);
        assertThat(r.json().path("errno").asInt()).isEqualTo(114);
        assertThat(r.json().path("message").asText()).isEqualTo("Resource was modified meanwhile");
        assertThat(r.json().has("details")).isFalse();
        assertThat(r.header("ETag")).isEqualTo(list.header("ETag"));
        assertThat(r.header("Last-Modified")).isEqualTo(list.header("Last-Modified"));
        TestServer.Response put = server.request("PUT", RECORDS + "/nope", "alice", "{\"data\": {}}", "If-Match", "\"123\"");
        assertThat(put.status()).isEqualTo(412);
        assertThat(put.header("ETag")).isEqualTo(list.header("ETag"));
    }

    @Test
    void aPreflightWithoutOriginOrWithAMethodNotAllowedIs400() {
        TestServer.Response noOrigin = server.request("OPTIONS", RECORDS, null, null,
                "Access-Control-Request-Method", "POST");
        assertThat(noOrigin.status()).isEqualTo(400);
        assertThat(noOrigin.json().path("errno").asInt()).isEqualTo(107);
        assertThat(noOrigin.json().path("message").asText()).isEqualTo("Origin in header: this header is mandatory");
        assertThat(noOrigin.json().path("details"))
                .isEqualTo(Json.array().add(detail("header", "Origin", "this header is mandatory")));

        TestServer.Response badMethod = server.request("OPTIONS", RECORDS, null, null,
                "Origin", "http://example.org", "Access-Control-Request-Method", "PUT");
        assertThat(badMethod.status()).isEqualTo(400);
        assertThat(badMethod.json().path("message").asText())
                .isEqualTo("Access-Control-Request-Method in header: Method not allowed");

        TestServer.Response neither = server.request("OPTIONS", RECORDS, null, null);
        assertThat(neither.json().path("details")).isEqualTo(Json.array()
                .add(detail("header", "Access-Control-Request-Method", "this header is mandatory"))
                .add(detail("header", "Origin", "this header is mandatory")));
    }

    @Test
    void batchSubResponsesCarryTheHeadersOfTheSameRequestOutsideABatch() {
        TestServer.Response alone = server.get(RECORDS + "/r1", "alice");
        TestServer.Response batch = server.post("/v1/batch", "alice",
                "{\"requests\": [{\"method\": \"GET\", \"path\": \"/buckets/pd/collections/c/records/r1\"}]}");
        JsonNode headers = batch.json().path("responses").get(0).path("headers");
        for (String name : new String[] {"Content-Length", "X-Content-Type-Options", "Content-Security-Policy", "ETag"}) {
            // (Java's HTTP client trims the trailing space of Kinto's CSP value)
            assertThat(headers.path(name).asText().strip()).as(name).isEqualTo(alone.header(name).strip());
        }
    }

    @Test
    void aMalformedEscapeInTheQueryIsKeptAndBadUtf8IsAQueryStringError() {
        assertThat(rawGet(RECORDS + "?s=%zz")).startsWith("HTTP/1.1 200").endsWith("{\"data\":[]}");
        String bad = rawGet(RECORDS + "?s=%ff");
        assertThat(bad).startsWith("HTTP/1.1 400");
        JsonNode body = parse(bad.substring(bad.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("errno").asInt()).isEqualTo(107);
        assertThat(body.path("message").asText()).isEqualTo("A request with an incorrect encoding in the "
                + "querystring wasreceived. Please make sure your requests are encoded in UTF-8: s=%ff");
        assertThat(body.has("details")).isFalse();
        assertThat(rawGet("/v1/buckets/a%zz")).as("in the path it stays an error").startsWith("HTTP/1.1 400");
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    /** A GET written on the socket as is (java.net.http refuses malformed escapes). */
    private static String rawGet(String target) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + TestServer.basic("alice") + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
