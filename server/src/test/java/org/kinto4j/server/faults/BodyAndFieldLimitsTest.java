package org.kinto4j.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;

/**
 * Request body and field limits: 413 errno 113 above {@code http.max_body_size} however the
 * body is framed, 400 errno 107 for ids, nesting, numbers and principals beyond what the server
 * stores, and forced timestamps beyond year 9999 ignored rather than answered 500.
 */
@KintoServer(config = "http.max_body_size = " + BodyAndFieldLimitsTest.LIMIT)
class BodyAndFieldLimitsTest {

    static final int LIMIT = 4096;
    private final TestServer server;

    BodyAndFieldLimitsTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        assertThat(alice.put("/v1/buckets/lim").status()).isEqualTo(201);
        assertThat(alice.put("/v1/buckets/lim/collections/c").status()).isEqualTo(201);
    }

    private static String bodyOfLength(int length) {
        String prefix = "{\"data\":{\"s\":\"";
        String suffix = "\"}}";
        return prefix + "x".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    private static void assertKintoError(int status, String contentType, byte[] body, int expectedStatus, int errno) {
        assertThat(status).as(KintoErrors.describe(status, body)).isEqualTo(expectedStatus);
        assertThat(KintoErrors.problem(status, contentType, body)).as(KintoErrors.describe(status, body)).isNull();
        assertThat(TestServerJson.parse(body).path("errno").asInt()).isEqualTo(errno);
    }

    @Test
    void aBodyAtTheLimitIsAcceptedAndOneByteMoreIs413() {
        TestServer.Response ok = server.post("/v1/buckets/lim/collections/c/records", "alice", bodyOfLength(LIMIT));
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);

        TestServer.Response tooBig = server.post("/v1/buckets/lim/collections/c/records", "alice", bodyOfLength(LIMIT + 1));
        assertKintoError(tooBig.status(), tooBig.header("Content-Type"), tooBig.text().getBytes(StandardCharsets.UTF_8), 413, 113);
        assertThat(tooBig.json().path("error").asText()).isEqualTo("Request Entity Too Large");
    }

    @Test
    void everyWriteMethodAndTheBatchEndpointGet413() {
        String big = bodyOfLength(LIMIT * 3);
        for (String[] call : new String[][] {{"PUT", "/v1/buckets/lim/collections/c/records/big"},
                {"PATCH", "/v1/buckets/lim/collections/c"}, {"POST", "/v1/batch"}, {"PUT", "/v1/buckets/lim"},
                {"POST", "/v1/buckets"}}) {
            TestServer.Response r = server.request(call[0], call[1], "alice", big);
            assertKintoError(r.status(), r.header("Content-Type"), r.text().getBytes(StandardCharsets.UTF_8), 413, 113);
        }
        assertThat(server.get("/v1/buckets/lim/collections/c/records/big", "alice").status()).isEqualTo(404);
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsCutAtTheLimit() throws Exception {
        String body = bodyOfLength(LIMIT * 4);
        StringBuilder chunked = new StringBuilder();
        for (int i = 0; i < body.length(); i += 1000) {
            String part = body.substring(i, Math.min(body.length(), i + 1000));
            chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        String request = "POST /v1/buckets/lim/collections/c/records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + TestServer.basic("alice") + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked;
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send(request.getBytes(StandardCharsets.UTF_8), false);
            assertKintoError(r.status(), r.header("content-type"), r.body(), 413, 113);
        }
    }

    @Test
    void aLyingContentLengthAboveTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
        String request = "POST /v1/buckets/lim/collections/c/records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + TestServer.basic("alice") + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000000\r\nConnection: close\r\n\r\n{\"data\":{}}";
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response r = http.send(request.getBytes(StandardCharsets.UTF_8), false);
            assertKintoError(r.status(), r.header("content-type"), r.body(), 413, 113);
        }
    }

    @Test
    void theDefaultLimitIsOneMebibyte() {
        try (TestServer defaults = TestServer.start()) {
            defaults.put("/v1/buckets/b", "alice", null);
            defaults.put("/v1/buckets/b/collections/c", "alice", null);
            TestServer.Response ok = defaults.post("/v1/buckets/b/collections/c/records", "alice", bodyOfLength(1_048_576));
            assertThat(ok.status()).as(ok.header("Content-Type")).isEqualTo(201);
            TestServer.Response tooBig = defaults.post("/v1/buckets/b/collections/c/records", "alice",
                    bodyOfLength(1_048_577));
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.json().path("errno").asInt()).isEqualTo(113);
        }
    }

    @Test
    void idsLongerThan256CharactersAreInvalidIds() {
        String ok = "a".repeat(256);
        assertThat(server.put("/v1/buckets/lim/collections/c/records/" + ok, "alice", "{}").status()).isEqualTo(201);
        for (String path : new String[] {"/v1/buckets/lim/collections/c/records/" + ok + "b", "/v1/buckets/" + ok + "b",
                "/v1/buckets/lim/collections/" + ok + "b", "/v1/buckets/lim/groups/" + ok + "b"}) {
            TestServer.Response r = server.put(path, "alice", "{}");
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json().path("message").asText()).isEqualTo("path: Invalid object id");
        }
        TestServer.Response post = server.post("/v1/buckets/lim/collections/c/records", "alice",
                "{\"data\":{\"id\":\"" + "b".repeat(257) + "\"}}");
        assertThat(post.status()).isEqualTo(400);
        assertThat(post.json().path("errno").asInt()).isEqualTo(107);
    }

    @Test
    void nestingBeyond200LevelsAndHugeNumbersAre400() {
        String deep = "{\"data\":{\"x\":" + "[".repeat(300) + "]".repeat(300) + "}}";
        TestServer.Response r = server.post("/v1/buckets/lim/collections/c/records", "alice", deep);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);

        String fine = "{\"data\":{\"x\":" + "[".repeat(150) + "]".repeat(150) + "}}";
        assertThat(server.post("/v1/buckets/lim/collections/c/records", "alice", fine).status()).isEqualTo(201);

        TestServer.Response number = server.post("/v1/buckets/lim/collections/c/records", "alice",
                "{\"data\":{\"n\":" + "9".repeat(2000) + "}}");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.json().path("errno").asInt()).isEqualTo(107);
        assertThat(number.json().path("message").asText()).contains("Number value length").doesNotContain("nesting");
    }

    @Test
    void aNumberTooBigForADoubleIs400NotTheStringInfinity() {
        TestServer.Response r = server.put("/v1/buckets/lim/collections/c/records/huge", "alice",
                "{\"data\":{\"n\":1e400}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);
        assertThat(r.json().path("message").asText()).isEqualTo("Invalid JSON: Number too big to be stored in double.");
        assertThat(server.get("/v1/buckets/lim/collections/c/records/huge", "alice").status()).isEqualTo(404);
        TestServer.Response negative = server.put("/v1/buckets/lim/collections/c/records/huge", "alice",
                "{\"data\":{\"n\":-1.5e999}}");
        assertThat(negative.status()).isEqualTo(400);
        TestServer.Response tiny = server.put("/v1/buckets/lim/collections/c/records/tiny", "alice",
                "{\"data\":{\"n\":1e-400, \"m\":1.7976931348623157e308}}");
        assertThat(tiny.status()).as(tiny.text()).isEqualTo(201);
        assertThat(tiny.json().path("data").path("m").asDouble()).isEqualTo(Double.MAX_VALUE);
    }

    @Test
    void principalsAndMembersLongerThanTheServerStoresAre400Not500() {
        String longPrincipal = "basicauth:" + "p".repeat(1100);
        TestServer.Response perms = server.put("/v1/buckets/lim/collections/c/records/longperm", "alice",
                "{\"data\":{},\"permissions\":{\"read\":[\"" + longPrincipal + "\"]}}");
        assertThat(perms.status()).as(perms.text()).isEqualTo(400);
        assertThat(perms.json().path("errno").asInt()).isEqualTo(107);
        assertThat(server.get("/v1/buckets/lim/collections/c/records/longperm", "alice").status()).isEqualTo(404);

        TestServer.Response group = server.put("/v1/buckets/lim/groups/g", "alice",
                "{\"data\":{\"members\":[\"" + longPrincipal + "\"]}}");
        assertThat(group.status()).as(group.text()).isEqualTo(400);
        assertThat(group.json().path("errno").asInt()).isEqualTo(107);
    }

    @Test
    void forcedTimestampsBeyondYear9999AreIgnoredAndTimestampsKeepIncreasing() {
        server.put("/v1/buckets/lim/collections/ts", "alice", null);
        long before = server.post("/v1/buckets/lim/collections/ts/records", "alice", "{}").json()
                .path("data").path("last_modified").asLong();
        for (String forced : new String[] {"9223372036854775807", "253402300800000", "99999999999999999999"}) {
            TestServer.Response r = server.put("/v1/buckets/lim/collections/ts/records/f" + forced.length(), "alice",
                    "{\"data\":{\"last_modified\":" + forced + "}}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            long lm = r.json().path("data").path("last_modified").asLong();
            assertThat(lm).isGreaterThan(before).isLessThan(253_402_300_800_000L);
            assertThat(r.header("Last-Modified")).endsWith("GMT");
            before = lm;
        }
        // The largest accepted value still has an HTTP date, and the next write does not overflow.
        TestServer.Response max = server.put("/v1/buckets/lim/collections/ts/records/max", "alice",
                "{\"data\":{\"last_modified\":253402300799999}}");
        assertThat(max.status()).as(max.text()).isEqualTo(201);
        assertThat(max.header("Last-Modified")).isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
        TestServer.Response next = server.post("/v1/buckets/lim/collections/ts/records", "alice", "{}");
        assertThat(next.status()).isEqualTo(201);
        assertThat(next.json().path("data").path("last_modified").asLong()).isEqualTo(253_402_300_800_000L);

        TestServer.Response delete = server.delete(
                "/v1/buckets/lim/collections/ts/records/f19?last_modified=9223372036854775807", "alice");
        assertThat(delete.status()).as(delete.text()).isEqualTo(200);
    }

    /** Parsing helper for raw bodies. */
    static final class TestServerJson {
        static JsonNode parse(byte[] body) {
            try {
                return org.kinto4j.server.json.Json.parse(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }
    }
}
