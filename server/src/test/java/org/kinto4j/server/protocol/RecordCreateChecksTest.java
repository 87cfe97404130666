package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;

/**
 * A record POST checks its collection, the request's format, the create permission and the body,
 * in that order (the collection and the permission are read in one statement): each failure
 * gets the answer it got when they were checked one by one.
 */
@KintoServer
class RecordCreateChecksTest {

    private static final String RECORDS = "/v1/buckets/rc/collections/c/records";

    private final TestServer server;

    RecordCreateChecksTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void collection(TestServer server) {
        server.put("/v1/buckets/rc", "alice", null);
        server.put("/v1/buckets/rc/collections/c", "alice", null);
        server.put("/v1/buckets/rc/collections/gone", "alice", null);
        server.delete("/v1/buckets/rc/collections/gone", "alice");
    }

    @Test
    void anUnknownOrDeletedCollectionIsA404NamingIt() {
        for (String collection : new String[] {"nope", "gone"}) {
            TestServer.Response r = server.post("/v1/buckets/rc/collections/" + collection + "/records", "alice",
                    "{\"data\":{\"x\":1}}");
            assertThat(r.status()).as(collection).isEqualTo(404);
            assertThat(r.text()).isEqualTo("{\"code\":404,\"errno\":111,\"error\":\"Not Found\",\"details\":{\"id\":\""
                    + collection + "\",\"resource_name\":\"collection\"}}");
        }
    }

    @Test
    void withoutTheCreatePermissionAUserGets403AndAnAnonymousCaller401() {
        assertThat(server.post(RECORDS, "bob", "{\"data\":{\"x\":1}}").status()).isEqualTo(403);
        assertThat(server.post(RECORDS, null, "{\"data\":{\"x\":1}}").status()).isEqualTo(401);
        assertThat(server.post(RECORDS, "alice", "{\"data\":{\"x\":1}}").status()).isEqualTo(201);
    }

    @Test
    void aWrongContentTypeIsReportedBeforeTheMissingPermissionAndABadBodyAfterIt() {
        TestServer.Response wrongType = server.request("POST", RECORDS, "bob", "{\"data\":{\"x\":1}}",
                "Content-Type", "text/plain");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(server.post(RECORDS, "bob", "{\"data\": ").status()).isEqualTo(403);
        assertThat(server.post(RECORDS, "alice", "{\"data\": ").status()).isEqualTo(400);
    }

    @Test
    void aGeneratedIdIsAUuid4WhoseFirst48BitsAreTheCreationTimeSoNewRecordsSortLast() {
        long before = System.currentTimeMillis();
        String first = server.post(RECORDS, "alice", "{\"data\":{\"n\":1}}").json().at("/data/id").asText();
        String second = server.post(RECORDS, "alice", "{\"data\":{\"n\":2}}").json().at("/data/id").asText();
        long after = System.currentTimeMillis();

        for (String id : new String[] {first, second}) {
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            long created = Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16);
            assertThat(created).isBetween(before, after);
        }
        assertThat(second.substring(0, 13)).isGreaterThanOrEqualTo(first.substring(0, 13));
        assertThat(second).isNotEqualTo(first);
    }
}
