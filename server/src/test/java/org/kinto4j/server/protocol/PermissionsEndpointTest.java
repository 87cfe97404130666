package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;
import org.kinto4j.server.json.Json;

/** {@code GET /v1/permissions} (https://docs.kinto-storage.org/en/stable/api/1.x/permissions.html, upstream kinto/views/permissions.py). */
@KintoServer(config = {"experimental_permissions_endpoint = true",
        "collection_create_principals = [\"system.Authenticated\"]"})
class PermissionsEndpointTest {

    private final TestServer server;
    private final String alice;
    private final String bob;

    PermissionsEndpointTest(TestServer server, @User("alice") String alice, @User("bob") String bob) {
        this.server = server;
        this.alice = alice;
        this.bob = bob;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice, @User("bob") String bob) {
        assertThat(alice.put("/v1/buckets/pb").status()).isEqualTo(201);
        alice.put("/v1/buckets/pb/collections/c1", "{\"permissions\": {\"read\": [\"" + bob + "\"]}}");
        alice.put("/v1/buckets/pb/groups/g1", "{\"data\": {\"members\": []}}");
        alice.put("/v1/buckets/pb/collections/c1/records/r1",
                "{\"permissions\": {\"write\": [\"" + bob + "\"]}}");
        alice.put("/v1/buckets/public", "{\"permissions\": {\"read\": [\"system.Everyone\"]}}");
    }

    /** uri -> sorted permissions of the caller's entries. */
    private static Map<String, List<String>> byUri(JsonNode data) {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode e : data) {
            List<String> perms = new ArrayList<>();
            e.path("permissions").forEach(p -> perms.add(p.asText()));
            perms.sort(null);
            out.put(e.path("uri").asText(), perms);
        }
        return out;
    }

    @Test
    void theCapabilityIsAdvertised() {
        JsonNode capability = server.get("/v1/", null).json().path("capabilities").path("permissions_endpoint");
        assertThat(capability.path("description").asText()).isNotEmpty();
        assertThat(capability.path("url").asText()).startsWith("https://kinto.readthedocs.io/");
    }

    @Test
    void ownerSeesExplicitAcesExpandedOnTheSameObjectOnly() {
        TestServer.Response r = server.get("/v1/permissions?bucket_id=pb", "alice");
        assertThat(r.status()).isEqualTo(200);
        assertThat(byUri(r.json().path("data"))).isEqualTo(Map.of(
                "/buckets/pb", List.of("collection:create", "group:create", "read", "read:attributes", "write"),
                "/buckets/pb/collections/c1", List.of("read", "read:attributes", "record:create", "write"),
                "/buckets/pb/groups/g1", List.of("read", "write"),
                "/buckets/pb/collections/c1/records/r1", List.of("read", "write")));
    }

    @Test
    void entriesCarryTheUrlIdsLikeEventPayloads() throws Exception {
        JsonNode data = server.get("/v1/permissions?bucket_id=pb&_sort=uri", "alice").json().path("data");
        JsonNode record = data.get(2);
        assertThat(record.path("uri").asText()).isEqualTo("/buckets/pb/collections/c1/records/r1");
        assertThat(record.path("resource_name").asText()).isEqualTo("record");
        assertThat(record.path("id").asText()).isEqualTo("r1");
        assertThat(record.path("record_id").asText()).isEqualTo("r1");
        assertThat(record.path("bucket_id").asText()).isEqualTo("pb");
        assertThat(record.path("collection_id").asText()).isEqualTo("c1");
        JsonNode group = data.get(3);
        assertThat(group.path("resource_name").asText()).isEqualTo("group");
        assertThat(group.path("group_id").asText()).isEqualTo("g1");
        assertThat(group.has("collection_id")).isFalse();
    }

    @Test
    void anotherUserSeesOnlyWhatIsSharedWithHimAndTheSettingsGrants() {
        Map<String, List<String>> bobs = byUri(server.get("/v1/permissions", "bob").json().path("data"));
        assertThat(bobs).containsEntry("/buckets/pb/collections/c1", List.of("read", "read:attributes"))
                .containsEntry("/buckets/pb/collections/c1/records/r1", List.of("read", "write"))
                .containsEntry("/buckets/public", List.of("collection:create", "read", "read:attributes"))
                .containsEntry("/", List.of("bucket:create"))
                // collection_create_principals = system.Authenticated: collection:create on every bucket
                .containsEntry("/buckets/pb", List.of("collection:create", "read:attributes"));
        assertThat(bobs).doesNotContainKey("/buckets/pb/groups/g1");
    }

    @Test
    void theRootEntryComesFromBucketCreatePrincipals() throws Exception {
        JsonNode root = server.get("/v1/permissions?resource_name=root", "bob").json().path("data");
        assertThat(root).isEqualTo(Json.parse("[{\"uri\": \"/\", \"resource_name\": \"root\", "
                + "\"permissions\": [\"bucket:create\"]}]"));
    }

    @Test
    void anonymousCallersSeePublicObjectsOnly() {
        TestServer.Response r = server.get("/v1/permissions", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(byUri(r.json().path("data"))).isEqualTo(Map.of("/buckets/public", List.of("read", "read:attributes")));
    }

    @Test
    void theEtagIsTheEndpointsFirstUseTimeAndHeadCounts() {
        // Kinto: the timestamp of a "permissions" resource nothing writes, so set at first use and then stable
        TestServer.Response get = server.get("/v1/permissions", "alice");
        long etag = Long.parseLong(get.header("ETag").replace("\"", ""));
        assertThat(etag).isGreaterThan(1_700_000_000_000L);
        assertThat(get.header("Last-Modified")).doesNotContain("1970");
        assertThat(server.get("/v1/permissions", "bob").header("ETag")).isEqualTo(get.header("ETag"));
        assertThat(server.request("GET", "/v1/permissions", "alice", null, "If-None-Match", get.header("ETag")).status())
                .isEqualTo(304);
        TestServer.Response head = server.request("HEAD", "/v1/permissions?bucket_id=pb", "alice", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Total-Objects")).isEqualTo("4");
        assertThat(head.header("Total-Records")).isEqualTo("4");
        assertThat(head.text()).isEmpty();
    }

    @Test
    void pagesFollowNextPageSortedByUriDescendingByDefault() {
        List<String> uris = new ArrayList<>();
        String next = "/v1/permissions?bucket_id=pb&_limit=3";
        int pages = 0;
        while (next != null) {
            TestServer.Response r = server.get(next, "alice");
            assertThat(r.status()).isEqualTo(200);
            r.json().path("data").forEach(e -> uris.add(e.path("uri").asText()));
            String header = r.header("Next-Page");
            next = header == null ? null : header.substring(server.base().length());
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(uris).containsExactly("/buckets/pb/groups/g1", "/buckets/pb/collections/c1/records/r1",
                "/buckets/pb/collections/c1", "/buckets/pb");
    }

    @Test
    void kintoHttpsSortByIdWorks() {
        JsonNode data = server.get("/v1/permissions?_sort=id&bucket_id=pb", "alice").json().path("data");
        List<String> ids = new ArrayList<>();
        data.forEach(e -> ids.add(e.path("id").asText()));
        assertThat(ids).containsExactly("c1", "g1", "pb", "r1");
    }

    @Test
    void unknownFilterSortAndFieldsAre400() throws Exception {
        TestServer.Response filter = server.get("/v1/permissions?foo=1", "alice");
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.json()).isEqualTo(Json.parse("{\"code\": 400, \"errno\": 107, \"error\": \"Invalid parameters\", "
                + "\"message\": \"Unknown filter field 'foo'\", \"details\": [{\"location\": \"querystring\", "
                + "\"name\": \"foo\", \"description\": \"Unknown filter field 'foo'\"}]}"));
        TestServer.Response prefixed = server.get("/v1/permissions?in_color=red", "alice");
        assertThat(prefixed.json().path("message").asText()).isEqualTo("Unknown filter field 'in_color'");
        TestServer.Response sort = server.get("/v1/permissions?_sort=-color", "alice");
        assertThat(sort.status()).isEqualTo(400);
        assertThat(sort.json().path("message").asText()).isEqualTo("querystring: Unknown sort field 'color'");
        TestServer.Response fields = server.get("/v1/permissions?_fields=color", "alice");
        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.json().path("details").get(0).path("name").asText()).isEqualTo("Invalid _fields parameter");
    }

    @Test
    void fieldsProjectEntries() {
        JsonNode data = server.get("/v1/permissions?_fields=uri&resource_name=bucket&bucket_id=pb", "alice").json()
                .path("data");
        assertThat(data).hasSize(1);
        assertThat(data.get(0).path("uri").asText()).isEqualTo("/buckets/pb");
        assertThat(data.get(0).has("permissions")).isFalse();
    }

    @Test
    void disabledEndpointIsAnUnknownUrl() {
        try (TestServer plain = TestServer.start()) {
            TestServer.Response r = plain.get("/v1/permissions", "alice");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().path("errno").asInt()).isEqualTo(111);
            assertThat(plain.get("/v1/", null).json().path("capabilities").has("permissions_endpoint")).isFalse();
        }
    }

    @Test
    void permissionsReadPrincipalsRestrictsTheEndpoint() {
        try (TestServer restricted = TestServer.start("experimental_permissions_endpoint = true\n"
                + "permissions_read_principals = [\"system.Authenticated\"]")) {
            assertThat(restricted.get("/v1/permissions", null).status()).isEqualTo(401);
            assertThat(restricted.get("/v1/permissions", "alice").status()).isEqualTo(200);
        }
    }

    @Test
    void onlyGetAndHeadAreAllowed() {
        TestServer.Response r = server.post("/v1/permissions", "alice", "{}");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }
}
