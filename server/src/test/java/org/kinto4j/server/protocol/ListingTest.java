package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;
import org.kinto4j.server.json.Json;

/**
 * Plural endpoints (https://docs.kinto-storage.org/en/stable/api/1.x/filtering.html, sorting.html,
 * pagination.html): filters with every prefix, multi-field sorting,
 * pagination tokens, paginate_by and storage_max_fetch_size, _since/_before/_to and tombstones,
 * HEAD counts, plural DELETE with filters and single-use DELETE tokens.
 */
@KintoServer
class ListingTest {

    static final String RECORDS = "/v1/buckets/lb/collections/c/records";
    private final TestServer server;

    ListingTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        alice.put("/v1/buckets/lb");
        alice.put("/v1/buckets/lb/collections/c");
        // id, n, color, tags, nested.v (r5 lacks most fields)
        put(alice, "r0", "{\"n\": 0, \"color\": \"Red\", \"tags\": [\"a\", \"b\"], \"nested\": {\"v\": 3}, \"flag\": true}");
        put(alice, "r1", "{\"n\": 1, \"color\": \"blue\", \"tags\": [\"b\"], \"nested\": {\"v\": 1}, \"flag\": false}");
        put(alice, "r2", "{\"n\": 2, \"color\": \"green\", \"tags\": [\"c\"], \"nested\": {\"v\": 2}, \"flag\": null}");
        put(alice, "r3", "{\"n\": 3, \"color\": \"red\", \"tags\": [], \"nested\": {\"v\": 3}}");
        put(alice, "r4", "{\"n\": \"4\", \"color\": \"dark red\", \"in_stock\": true}");
        put(alice, "r5", "{}");
    }

    private static void put(Client alice, String id, String data) {
        assertThat(alice.put(RECORDS + "/" + id, "{\"data\": " + data + "}").status()).isEqualTo(201);
    }

    private List<String> ids(String query) {
        TestServer.Response r = server.get(RECORDS + query, "alice");
        assertThat(r.status()).as(query + ": " + r.text()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("data").forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    @Test
    void everyFilterPrefixWithKintosMissingFieldRules() {
        assertThat(ids("?n=1")).containsExactly("r1");
        assertThat(ids("?eq_n=1")).containsExactly("r1");
        assertThat(ids("?n=%224%22")).containsExactly("r4");
        assertThat(ids("?not_n=1")).containsExactly("r5", "r4", "r3", "r2", "r0");
        assertThat(ids("?lt_n=2")).as("JSON order: strings sort before numbers").containsExactly("r4", "r1", "r0");
        assertThat(ids("?gt_n=2")).as("a missing field matches gt_").containsExactly("r5", "r3");
        assertThat(ids("?min_n=2")).containsExactly("r5", "r3", "r2");
        assertThat(ids("?max_n=1")).containsExactly("r4", "r1", "r0");
        assertThat(ids("?in_n=1,3")).containsExactly("r3", "r1");
        assertThat(ids("?in_id=r1,r4")).containsExactly("r4", "r1");
        assertThat(ids("?exclude_n=0,1,2,3")).containsExactly("r5", "r4");
        assertThat(ids("?like_color=red")).containsExactly("r4", "r3", "r0");
        assertThat(ids("?like_color=r*d")).containsExactly("r3", "r0");
        assertThat(ids("?has_flag=true")).containsExactly("r2", "r1", "r0");
        assertThat(ids("?has_flag=false")).containsExactly("r5", "r4", "r3");
        assertThat(ids("?contains_tags=b")).containsExactly("r1", "r0");
        assertThat(ids("?contains_tags=%5B%22a%22,%22b%22%5D")).containsExactly("r0");
        assertThat(ids("?contains_any_tags=%5B%22a%22,%22c%22%5D")).containsExactly("r2", "r0");
        assertThat(ids("?nested.v=3")).containsExactly("r3", "r0");
        assertThat(ids("?gt_nested.v=1&lt_nested.v=3")).containsExactly("r2");
        assertThat(ids("?flag=false")).containsExactly("r1");
        assertThat(ids("?flag=null")).containsExactly("r2");
        assertThat(ids("?eq_in_stock=true")).containsExactly("r4");
        assertThat(ids("?color=Red&n=0")).containsExactly("r0");
        assertThat(ids("?_unknown=1&n=0")).as("unknown _ parameters are ignored").containsExactly("r0");
    }

    @Test
    void invalidFilterValuesAre400() {
        assertThat(server.get(RECORDS + "?like_color=2019", "alice").json().path("message").asText())
                .isEqualTo("Invalid value for like_color");
        assertThat(server.get(RECORDS + "?in_id=1,2", "alice").status()).isEqualTo(400);
        assertThat(server.get(RECORDS + "?contains_id=a", "alice").json().path("message").asText())
                .isEqualTo("contains_id in querystring: Field 'id' is not an array");
        assertThat(server.get(RECORDS + "?gt_last_modified=abc", "alice").json().path("details").get(0)
                .path("name").asText()).isEqualTo("gt_last_modified");
    }

    @Test
    void multiFieldSortWithJsonTypeOrder() {
        assertThat(ids("?_sort=color,-n")).as("missing values sort last")
                .containsExactly("r0", "r1", "r4", "r2", "r3", "r5");
        assertThat(ids("?_sort=-nested.v,id")).as("missing values first when descending")
                .containsExactly("r4", "r5", "r0", "r3", "r2", "r1");
        assertThat(ids("?_sort=n")).as("strings before numbers, missing last").containsExactly("r4", "r0", "r1", "r2", "r3", "r5");
        assertThat(ids("?_sort=flag,id")).as("null < boolean false < true").containsExactly("r2", "r1", "r0", "r3", "r4", "r5");
    }

    @Test
    void fieldsKeepIdAndLastModified() {
        JsonNode r0 = server.get(RECORDS + "?id=r0&_fields=color,nested.v", "alice").json().path("data").get(0);
        List<String> names = new ArrayList<>();
        r0.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("id", "last_modified", "color", "nested");
        assertThat(r0.path("nested").path("v").asInt()).isEqualTo(3);
        TestServer.Response object = server.get(RECORDS + "/r0?_fields=n", "alice");
        assertThat(object.json().has("permissions")).as("_fields drops permissions").isFalse();
        assertThat(object.json().path("data").size()).isEqualTo(3);
    }

    @Test
    void nextPageCarriesKintosTokenAndFollowsTheSortAndFilters() throws Exception {
        TestServer.Response first = server.get(RECORDS + "?_sort=id&has_n=true&_limit=2", "alice");
        String next = first.header("Next-Page");
        assertThat(next).startsWith(server.base() + RECORDS + "?_sort=id&has_n=true&_limit=2&_token=");
        String token = URLDecoder.decode(next.substring(next.indexOf("_token=") + 7), StandardCharsets.UTF_8);
        JsonNode decoded = Json.parse(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
        assertThat(decoded.path("last_object").path("id").asText()).isEqualTo("r1");
        assertThat(decoded.path("last_object").has("last_modified")).isTrue();
        assertThat(decoded.path("offset").asInt()).as("limit + 1 fetched, as upstream Kinto").isEqualTo(3);
        assertThat(decoded.path("nonce").asText()).startsWith("pagination-token-");

        List<String> all = new ArrayList<>();
        first.json().path("data").forEach(o -> all.add(o.path("id").asText()));
        String url = next;
        while (url != null) {
            TestServer.Response page = server.get(url.substring(server.base().length()), "alice");
            page.json().path("data").forEach(o -> all.add(o.path("id").asText()));
            url = page.header("Next-Page");
        }
        assertThat(all).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(server.get(RECORDS + "?_limit=6", "alice").header("Next-Page")).as("exactly limit left: no next page").isNull();
        TestServer.Response reused = server.get(next.substring(server.base().length()), "alice");
        assertThat(reused.status()).as("GET tokens may be reused").isEqualTo(200);
    }

    @Test
    void invalidTokenSinceAndLimitAreKintos400s() throws Exception {
        TestServer.Response token = server.get(RECORDS + "?_limit=2&_token=garbage", "alice");
        assertThat(token.status()).isEqualTo(400);
        assertThat(token.json()).isEqualTo(Json.parse("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                + "\"message\":\"querystring: _token has invalid content\",\"details\":[{\"location\":\"querystring\","
                + "\"name\":null,\"description\":\"_token has invalid content\"}]}"));
        assertThat(server.get(RECORDS + "?_since=abc", "alice").json()).isEqualTo(Json.parse("{\"code\":400,\"errno\":107,"
                + "\"error\":\"Invalid parameters\",\"message\":\"_since in querystring: \\\"abc\\\" is not a number\","
                + "\"details\":[{\"location\":\"querystring\",\"name\":\"_since\",\"description\":\"\\\"abc\\\" is not a number\"}]}"));
        assertThat(server.get(RECORDS + "?_limit=abc", "alice").json()).isEqualTo(Json.parse("{\"code\":400,\"errno\":107,"
                + "\"error\":\"Invalid parameters\",\"message\":\"_limit in querystring: \\\"abc\\\" is not a number\","
                + "\"details\":[{\"location\":\"querystring\",\"name\":\"_limit\",\"description\":\"\\\"abc\\\" is not a number\"}]}"));
        long tomorrow = System.currentTimeMillis() + 25L * 3600 * 1000;
        assertThat(server.get(RECORDS + "?_since=" + tomorrow, "alice").json().path("message").asText())
                .isEqualTo("Invalid value for _since");
        assertThat(server.get(RECORDS + "?_limit=-1", "alice").status()).isEqualTo(400);
    }

    @Test
    void sinceBeforeAndToIncludeTombstonesAndToRaisesAnAlert() throws Exception {
        server.put("/v1/buckets/lb/collections/sync", "alice", null);
        String records = "/v1/buckets/lb/collections/sync/records";
        server.put(records + "/a", "alice", null);
        long etag = etag(server.get(records, "alice"));
        server.put(records + "/b", "alice", null);
        server.delete(records + "/a", "alice");
        long afterDelete = etag(server.get(records, "alice"));
        assertThat(afterDelete).as("a delete moves the list ETag forward").isGreaterThan(etag);

        JsonNode since = server.get(records + "?_since=" + etag, "alice").json().path("data");
        assertThat(since).hasSize(2);
        assertThat(since.get(0).path("id").asText()).isEqualTo("a");
        assertThat(since.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(since.get(0).size()).as("tombstones are id, last_modified, deleted").isEqualTo(3);
        assertThat(server.get(records + "?_since=%22" + etag + "%22", "alice").json().path("data")).as("quoted ETag form").hasSize(2);
        assertThat(server.get(records, "alice").json().path("data")).as("no tombstone without a last_modified filter").hasSize(1);
        assertThat(server.get(records + "?deleted=true", "alice").json().path("data")).isEmpty();
        assertThat(server.get(records + "?_since=0&deleted=true", "alice").json().path("data")).hasSize(1);

        TestServer.Response before = server.get(records + "?_before=" + (afterDelete + 1), "alice");
        assertThat(before.json().path("data")).hasSize(2);
        assertThat(before.header("Alert")).isNull();
        assertThat(server.get(records + "?_before=" + afterDelete, "alice").json().path("data").findValuesAsText("id"))
                .as("_before is exclusive").containsExactly("b");
        TestServer.Response to = server.get(records + "?_to=" + (afterDelete + 1), "alice");
        assertThat(to.json().path("data")).hasSize(2);
        assertThat(Json.parse(to.header("Alert"))).isEqualTo(Json.parse("{\"code\": \"soft-eol\", \"message\": "
                + "\"_to is now deprecated, you should use _before instead\", \"url\": "
                + "\"https://kinto.readthedocs.io/en/2.4.0/api/resource.html#list-of-available-url-parameters\"}"));
        assertThat(to.header("Access-Control-Expose-Headers")).contains("Alert");
    }

    private static long etag(TestServer.Response r) {
        return Long.parseLong(r.header("ETag").replace("\"", ""));
    }

    @Test
    void headCountsMatchingLiveObjectsWithoutTombstonesOrLimit() {
        server.put("/v1/buckets/lb/collections/count", "alice", null);
        String records = "/v1/buckets/lb/collections/count/records";
        for (int i = 0; i < 5; i++) {
            server.put(records + "/x" + i, "alice", "{\"data\": {\"even\": " + (i % 2 == 0) + "}}");
        }
        server.delete(records + "/x0", "alice");
        TestServer.Response head = server.request("HEAD", records + "?_limit=1&_since=0", "alice", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Total-Objects")).isEqualTo("4");
        assertThat(head.header("Total-Records")).isEqualTo("4");
        assertThat(head.header("Next-Page")).isNull();
        assertThat(head.header("Content-Length")).as("Kinto's {\"data\": []}").isEqualTo("11");
        assertThat(head.header("Access-Control-Expose-Headers")).contains("Total-Objects", "Total-Records");
        assertThat(server.request("HEAD", records + "?even=true", "alice", null).header("Total-Objects")).isEqualTo("2");
        assertThat(server.get(records, "alice").header("Total-Objects")).as("GET never counts").isNull();
    }

    @Test
    void pluralDeleteHonoursFiltersAndItsNextPageTokenIsSingleUse() {
        server.put("/v1/buckets/lb/collections/purge", "alice", null);
        String records = "/v1/buckets/lb/collections/purge/records";
        for (int i = 0; i < 7; i++) {
            server.put(records + "/p" + i, "alice", "{\"data\": {\"keep\": " + (i == 3) + "}}");
        }
        TestServer.Response first = server.delete(records + "?keep=false&_limit=2&_sort=id", "alice");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("data").findValuesAsText("id")).containsExactly("p0", "p1");
        assertThat(first.json().path("data").get(0).path("deleted").asBoolean()).isTrue();
        String next = first.header("Next-Page").substring(server.base().length());
        TestServer.Response second = server.request("DELETE", next, "alice", null);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("data").findValuesAsText("id")).containsExactly("p2", "p4");
        TestServer.Response reused = server.request("DELETE", next, "alice", null);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().path("message").asText()).isEqualTo("querystring: _token was already used or has expired.");
        String third = second.header("Next-Page").substring(server.base().length());
        assertThat(server.request("DELETE", third, "alice", null).json().path("data").findValuesAsText("id"))
                .containsExactly("p5", "p6");
        assertThat(server.get(records, "alice").json().path("data").findValuesAsText("id")).containsExactly("p3");
        long etag = etag(server.get(records, "alice"));
        TestServer.Response nothing = server.delete(records + "?keep=false", "alice");
        assertThat(nothing.json().path("data")).isEmpty();
        assertThat(etag(nothing)).as("nothing deleted: the list timestamp").isEqualTo(etag);
    }

    @Test
    void paginateByCapsPagesAndLimitZeroBypassesIt() {
        try (TestServer paged = TestServer.start("paginate_by = 2\nstorage_max_fetch_size = 4")) {
            paged.put("/v1/buckets/b", "alice", null);
            paged.put("/v1/buckets/b/collections/c", "alice", null);
            for (int i = 0; i < 6; i++) {
                paged.put("/v1/buckets/b/collections/c/records/r" + i, "alice", null);
            }
            String records = "/v1/buckets/b/collections/c/records";
            TestServer.Response byDefault = paged.get(records, "alice");
            assertThat(byDefault.json().path("data")).hasSize(2);
            assertThat(byDefault.header("Next-Page")).contains("_limit=2");
            assertThat(paged.get(records + "?_limit=5", "alice").json().path("data")).hasSize(2);
            assertThat(paged.get(records + "?_limit=1", "alice").json().path("data")).hasSize(1);
            TestServer.Response zero = paged.get(records + "?_limit=0", "alice");
            assertThat(zero.json().path("data")).as("_limit=0 falls to storage_max_fetch_size").hasSize(4);
            assertThat(zero.header("Next-Page")).contains("_limit=4");
        }
    }
}
