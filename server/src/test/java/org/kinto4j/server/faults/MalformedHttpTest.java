package org.kinto4j.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;

/**
 * Requests broken below the API (request line, headers, encoding) and the malformed inputs
 * the fuzz run found answered 500: each gets a Kinto-format 4xx.
 */
@KintoServer
class MalformedHttpTest {

    private final TestServer server;

    MalformedHttpTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        alice.put("/v1/buckets/m");
        alice.put("/v1/buckets/m/collections/c");
    }

    private RawHttp.Response raw(String request) throws Exception {
        try (RawHttp http = new RawHttp(server.port())) {
            return http.send(request.getBytes(StandardCharsets.ISO_8859_1), false);
        }
    }

    private static void assertKinto(RawHttp.Response r, int status, int errno) {
        assertThat(r.status()).as(KintoErrors.describe(r.status(), r.body())).isEqualTo(status);
        assertThat(KintoErrors.problem(r.status(), r.header("content-type"), r.body()))
                .as(KintoErrors.describe(r.status(), r.body())).isNull();
        assertThat(BodyAndFieldLimitsTest.TestServerJson.parse(r.body()).path("errno").asInt()).isEqualTo(errno);
    }

    @Test
    void requestsJettyRejectsBeforeTheApiGetKintoJsonErrors() throws Exception {
        assertKinto(raw("GARBAGE\r\n\r\n"), 400, 107);
        assertKinto(raw("GET /v1/ HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"), 400, 107);
        assertKinto(raw("GET /v1/ HTTP/1.1\r\n\r\n"), 400, 107); // no Host
        assertKinto(raw("GET /v1/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n"), 400, 107);
        assertKinto(raw("POST /v1/buckets HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"),
                400, 107);
        assertKinto(raw("GET /v1/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, 999);
        assertKinto(raw("GET /v1/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "v".repeat(20_000) + "\r\n\r\n"), 431, 999);
    }

    @Test
    void writeMethodsRejectedByJettyAlsoGetABody() throws Exception {
        // Jetty's default error page skips PUT/PATCH/DELETE: no body at all.
        assertKinto(raw("PATCH /v1/buckets/m/collections/%ff/records HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"),
                400, 107);
        assertKinto(raw("PUT /v1/buckets/a%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"), 400, 107);
    }

    @Test
    void anUnsupportedHttpVersionIsABadRequestNotA5xx() throws Exception {
        assertKinto(raw("GET /v1/ HTTP/9.9\r\nHost: x\r\n\r\n"), 400, 107);
    }

    @Test
    void aBatchSubrequestWithAnUndecodablePathIs400() {
        TestServer.Response r = server.post("/v1/batch", "alice", "{\"requests\":[{\"path\":\"/buckets/%ff\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);
        TestServer.Response query = server.post("/v1/batch", "alice",
                "{\"requests\":[{\"path\":\"/buckets/m/collections/c/records?a=%c3%28\"}]}");
        assertThat(query.status()).as(query.text()).isLessThan(500);
    }

    @Test
    void anEmptyMediaTypeIs415AndAnEmptyAcceptIsAnything() {
        TestServer.Response ct = server.request("PATCH", "/v1/buckets/m/collections/c", "alice", "{}", "Content-Type", ";");
        assertThat(ct.status()).as(ct.text()).isEqualTo(415);
        assertThat(ct.json().path("errno").asInt()).isEqualTo(107);
        TestServer.Response accept = server.request("GET", "/v1/buckets/m", "alice", null, "Accept", ";");
        assertThat(accept.status()).as(accept.text()).isEqualTo(200);
    }
}
