package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;

/**
 * What sync clients rely on (https://docs.kinto-storage.org/en/stable/api/1.x/timestamps.html) and groups as principals
 * (https://docs.kinto-storage.org/en/stable/api/1.x/groups.html).
 */
@KintoServer
class SyncAndGroupsTest {

    private final TestServer server;
    private final String alice;
    private final String bob;

    SyncAndGroupsTest(TestServer server, @User("alice") String alice, @User("bob") String bob) {
        this.server = server;
        this.alice = alice;
        this.bob = bob;
    }

    private String bucketWithCollection(String bid) {
        assertThat(server.put("/v1/buckets/" + bid, "alice", null).status()).isEqualTo(201);
        assertThat(server.put("/v1/buckets/" + bid + "/collections/c", "alice", null).status()).isEqualTo(201);
        return "/v1/buckets/" + bid + "/collections/c/records";
    }

    private static long lm(TestServer.Response r) {
        return r.json().path("data").path("last_modified").asLong();
    }

    @Test
    void clientTimestampsAreHonouredAsKintoJsReplicationNeeds() {
        String records = bucketWithCollection("forced");
        TestServer.Response created = server.put(records + "/a", "alice", "{\"data\": {\"last_modified\": 1700000000000}}");
        assertThat(lm(created)).as("past value kept on creation").isEqualTo(1700000000000L);
        TestServer.Response posted = server.post(records, "alice", "{\"data\": {\"last_modified\": 1700000000500}}");
        assertThat(lm(posted)).isEqualTo(1700000000500L);
        long future = System.currentTimeMillis() + 3_600_000L;
        TestServer.Response greater = server.put(records + "/a", "alice", "{\"data\": {\"last_modified\": " + future + "}}");
        assertThat(lm(greater)).as("a greater value is honoured on update").isEqualTo(future);
        TestServer.Response lower = server.patch(records + "/a", "alice", "{\"data\": {\"last_modified\": 1700000000000}}");
        assertThat(lm(lower)).as("a lower one is ignored, the timestamp still increases").isGreaterThan(future);
        TestServer.Response same = server.patch(records + "/a", "alice", "{\"data\": {\"last_modified\": " + lm(lower) + "}}");
        assertThat(lm(same)).isGreaterThan(lm(lower));
        TestServer.Response notAnInteger = server.post(records, "alice", "{\"data\": {\"last_modified\": \"yesterday\"}}");
        assertThat(notAnInteger.status()).isEqualTo(201);
        assertThat(lm(notAnInteger)).as("collection timestamps only grow").isGreaterThan(lm(same));
    }

    @Test
    void timestampsStrictlyIncreaseAndTheListEtagIsTheNewestChange() {
        String records = bucketWithCollection("increasing");
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            seen.add(lm(server.post(records, "alice", null)));
        }
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).isGreaterThan(seen.get(i - 1));
        }
        assertThat(server.get(records, "alice").header("ETag")).isEqualTo("\"" + seen.get(19) + "\"");
        TestServer.Response emptyList = server.get("/v1/buckets/increasing/collections", "alice");
        assertThat(emptyList.header("ETag")).isNotNull();
    }

    @Test
    void postWithAnExistingIdReturnsTheStoredObjectAndTombstonesCanBeRecreated() {
        String records = bucketWithCollection("existing");
        server.put(records + "/r", "alice", "{\"data\": {\"v\": 1}}");
        TestServer.Response again = server.post(records, "alice", "{\"data\": {\"id\": \"r\", \"v\": 2}}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("data").path("v").asInt()).as("posted data ignored").isEqualTo(1);
        assertThat(server.post(records, "bob", "{\"data\": {\"id\": \"r\"}}").status())
                .as("needs read on the existing object").isEqualTo(403);
        server.delete(records + "/r", "alice");
        TestServer.Response recreated = server.post(records, "alice", "{\"data\": {\"id\": \"r\", \"v\": 3}}");
        assertThat(recreated.status()).isEqualTo(201);
        assertThat(recreated.json().path("data").path("v").asInt()).isEqualTo(3);
    }

    @Test
    void deletingACollectionLeavesNoChildTombstonesAndResetsItsTimestamp() {
        String records = bucketWithCollection("purged");
        server.put(records + "/r1", "alice", null);
        server.put(records + "/r2", "alice", null);
        server.delete(records + "/r2", "alice");
        String before = server.get(records, "alice").header("ETag");
        TestServer.Response deleted = server.delete("/v1/buckets/purged/collections/c", "alice");
        assertThat(deleted.json().path("data").path("deleted").asBoolean()).isTrue();
        TestServer.Response gone = server.get(records, "alice");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("errno").asInt()).isEqualTo(111);
        assertThat(gone.json().path("details").path("resource_name").asText()).isEqualTo("collection");
        server.put("/v1/buckets/purged/collections/c", "alice", null);
        TestServer.Response fresh = server.get(records + "?_since=0", "alice");
        assertThat(fresh.json().path("data")).as("no tombstones survive").isEmpty();
        assertThat(fresh.header("ETag")).isNotEqualTo(before);
    }

    @Test
    void groupsArePrincipalsListedInHello() {
        server.put("/v1/buckets/team", "alice", null);
        server.put("/v1/buckets/team/collections/notes", "alice",
                "{\"permissions\": {\"read\": [\"/buckets/team/groups/readers\"]}}");
        server.put("/v1/buckets/team/collections/notes/records/n1", "alice", null);
        assertThat(server.get("/v1/buckets/team/collections/notes/records", "bob").status()).isEqualTo(403);

        TestServer.Response group = server.put("/v1/buckets/team/groups/readers", "alice",
                "{\"data\": {\"members\": [\"" + bob + "\"]}}");
        assertThat(group.status()).isEqualTo(201);
        JsonNode principals = server.get("/v1/", "bob").json().path("user").path("principals");
        List<String> bobs = new ArrayList<>();
        principals.forEach(p -> bobs.add(p.asText()));
        assertThat(bobs).containsExactlyInAnyOrder(bob, "system.Everyone", "system.Authenticated",
                "/buckets/team/groups/readers");
        assertThat(server.get("/v1/buckets/team/collections/notes/records", "bob").json().path("data")).hasSize(1);
        assertThat(server.post("/v1/buckets/team/collections/notes/records", "bob", null).status())
                .as("read does not give write").isEqualTo(403);

        server.delete("/v1/buckets/team/groups/readers", "alice");
        assertThat(server.get("/v1/", "bob").json().path("user").path("principals")).hasSize(3);
        assertThat(server.get("/v1/buckets/team/collections/notes/records", "bob").status()).isEqualTo(403);
    }

    @Test
    void aGroupWithSystemAuthenticatedIncludesEveryUserButNotAnonymousOnes() {
        server.put("/v1/buckets/open", "alice", null);
        server.put("/v1/buckets/open/groups/everybody", "alice", "{\"data\": {\"members\": [\"system.Authenticated\"]}}");
        server.patch("/v1/buckets/open", "alice", "{\"permissions\": {\"read\": [\"/buckets/open/groups/everybody\"]}}");
        assertThat(server.get("/v1/buckets/open", "carol").status()).isEqualTo(200);
        assertThat(server.get("/v1/buckets/open", null).status()).isEqualTo(401);
    }

    @Test
    void invalidMembersAre400() {
        server.put("/v1/buckets/members", "alice", null);
        TestServer.Response everyone = server.put("/v1/buckets/members/groups/g", "alice",
                "{\"data\": {\"members\": [\"system.Everyone\"]}}");
        assertThat(everyone.status()).isEqualTo(400);
        assertThat(everyone.json().path("details").get(0).path("description").asText())
                .isEqualTo("'system.Everyone' is not a valid user ID.");
        assertThat(server.put("/v1/buckets/members/groups/g", "alice",
                "{\"data\": {\"members\": [\"/buckets/members/groups/other\"]}}").status()).as("no nested groups").isEqualTo(400);
        TestServer.Response defaults = server.put("/v1/buckets/members/groups/g", "alice", null);
        assertThat(defaults.json().path("data").path("members").isArray()).as("members defaults to []").isTrue();
    }
}
