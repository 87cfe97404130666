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

/**
 * PATCH in its three flavours, on data and on permissions, and Response-Behavior
 * (https://docs.kinto-storage.org/en/stable/api/1.x/records.html).
 */
@KintoServer
class PatchVariantsTest {

    static final String RECORDS = "/v1/buckets/pp/collections/c/records";
    static final String MERGE = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";
    private final TestServer server;
    private final String alice;
    private final String bob;

    PatchVariantsTest(TestServer server, @User("alice") String alice, @User("bob") String bob) {
        this.server = server;
        this.alice = alice;
        this.bob = bob;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        alice.put("/v1/buckets/pp");
        alice.put("/v1/buckets/pp/collections/c");
    }

    private String create(String id) {
        assertThat(server.put(RECORDS + "/" + id, "alice", "{\"data\": {\"title\": \"first\", \"n\": 1, "
                + "\"done\": true, \"meta\": {\"a\": 1, \"b\": 2}}}").status()).isEqualTo(201);
        return RECORDS + "/" + id;
    }

    private TestServer.Response patch(String url, String contentType, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = contentType;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return server.request("PATCH", url, "alice", body, all);
    }

    @Test
    void plainJsonReplacesTopLevelKeysAndStoresNull() {
        String url = create("plain");
        TestServer.Response r = patch(url, "application/json", "{\"data\": {\"n\": 2, \"done\": null, \"meta\": {\"a\": 5}}}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data.path("title").asText()).isEqualTo("first");
        assertThat(data.path("n").asInt()).isEqualTo(2);
        assertThat(data.has("done")).as("plain JSON stores null").isTrue();
        assertThat(data.path("done").isNull()).isTrue();
        assertThat(data.path("meta")).as("nested objects are replaced").isEqualTo(Json.object().put("a", 5));
        assertThat(r.header("ETag")).isEqualTo("\"" + data.path("last_modified").asLong() + "\"");
        assertThat(r.json().path("permissions").path("write").get(0).asText()).isEqualTo(alice);
    }

    @Test
    void anEmptyPlainPatchIs400() {
        String url = create("empty");
        TestServer.Response r = patch(url, "application/json", "{}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("details").get(0).path("name").asText()).isEqualTo("data");
        assertThat(r.json().path("details").get(0).path("description").asText())
                .isEqualTo("Provide at least one of data or permissions");
    }

    @Test
    void mergePatchRemovesNullsRecursively() {
        String url = create("merge");
        TestServer.Response r = patch(url, MERGE, "{\"data\": {\"done\": null, \"meta\": {\"a\": null, \"c\": 3}, "
                + "\"zero\": 0, \"no\": false}}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data.has("done")).isFalse();
        assertThat(data.path("meta")).isEqualTo(Json.object().put("b", 2).put("c", 3));
        assertThat(data.path("zero").asInt()).isZero();
        assertThat(data.path("no").asBoolean(true)).isFalse();
        assertThat(data.path("title").asText()).isEqualTo("first");
    }

    @Test
    void jsonPatchOperationsApplyToData() {
        String url = create("jsonpatch");
        TestServer.Response r = patch(url, JSON_PATCH, "[{\"op\": \"add\", \"path\": \"/data/tags\", \"value\": [\"a\"]}, "
                + "{\"op\": \"remove\", \"path\": \"/data/done\"}, {\"op\": \"replace\", \"path\": \"/data/n\", \"value\": 7}, "
                + "{\"op\": \"copy\", \"from\": \"/data/title\", \"path\": \"/data/copy\"}, "
                + "{\"op\": \"move\", \"from\": \"/data/meta/a\", \"path\": \"/data/moved\"}, "
                + "{\"op\": \"test\", \"path\": \"/data/n\", \"value\": 7}]");
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data.path("tags").get(0).asText()).isEqualTo("a");
        assertThat(data.has("done")).isFalse();
        assertThat(data.path("n").asInt()).isEqualTo(7);
        assertThat(data.path("copy").asText()).isEqualTo("first");
        assertThat(data.path("moved").asInt()).isEqualTo(1);
        assertThat(data.path("meta").has("a")).isFalse();
    }

    @Test
    void aFailingJsonPatchChangesNothing() {
        String url = create("failing");
        long before = server.get(url, "alice").json().path("data").path("last_modified").asLong();
        TestServer.Response r = patch(url, JSON_PATCH, "[{\"op\": \"replace\", \"path\": \"/data/n\", \"value\": 2}, "
                + "{\"op\": \"test\", \"path\": \"/data/n\", \"value\": 3}]");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errno").asInt()).isEqualTo(107);
        assertThat(r.json().path("message").asText()).contains("JSON Patch operation failed");
        JsonNode after = server.get(url, "alice").json().path("data");
        assertThat(after.path("n").asInt()).isEqualTo(1);
        assertThat(after.path("last_modified").asLong()).isEqualTo(before);
        assertThat(patch(url, JSON_PATCH, "{\"op\": \"add\"}").status()).as("not an array").isEqualTo(400);
    }

    @Test
    void permissionsThroughEachVariantTheEditorStaysWriter() {
        String url = create("acl");
        TestServer.Response plain = patch(url, "application/json", "{\"permissions\": {\"read\": [\"" + bob + "\"]}}");
        assertThat(plain.json().path("permissions").path("read").get(0).asText()).isEqualTo(bob);
        assertThat(server.get(url, "bob").status()).isEqualTo(200);

        // kinto-http's addPermissions/removePermissions: one op per principal, value ignored
        TestServer.Response add = patch(url, JSON_PATCH, "[{\"op\": \"add\", \"path\": \"/permissions/write/" + bob + "\"}]");
        assertThat(add.status()).isEqualTo(200);
        assertThat(add.json().path("permissions").path("write")).hasSize(2);
        assertThat(server.patch(url, "bob", "{\"data\": {\"n\": 9}}").status()).isEqualTo(200);
        TestServer.Response remove = patch(url, JSON_PATCH, "[{\"op\": \"remove\", \"path\": \"/permissions/write/" + bob
                + "\"}, {\"op\": \"remove\", \"path\": \"/permissions/read/" + bob + "\"}]");
        assertThat(remove.status()).isEqualTo(200);
        assertThat(remove.json().path("permissions").has("read")).isFalse();
        assertThat(server.get(url, "bob").status()).isEqualTo(403);

        TestServer.Response merge = patch(url, MERGE, "{\"permissions\": {\"read\": [\"system.Authenticated\"], \"write\": null}}");
        assertThat(merge.status()).isEqualTo(200);
        assertThat(merge.json().path("permissions").path("read").get(0).asText()).isEqualTo("system.Authenticated");
        assertThat(merge.json().path("permissions").path("write").get(0).asText())
                .as("the editor is re-added to write").isEqualTo(alice);
        assertThat(server.get(url, "bob").status()).isEqualTo(200);

        TestServer.Response emptied = patch(url, "application/json", "{\"permissions\": {\"read\": []}}");
        assertThat(emptied.json().path("permissions").has("read")).isFalse();
        TestServer.Response unknown = patch(url, "application/json", "{\"permissions\": {\"record:create\": []}}");
        assertThat(unknown.status()).isEqualTo(400);
    }

    @Test
    void responseBehaviorLightAndDiff() {
        String url = create("behavior");
        TestServer.Response light = patch(url, "application/json", "{\"data\": {\"n\": 2, \"title\": \"first\"}}",
                "Response-Behavior", "light");
        assertThat(light.status()).isEqualTo(200);
        assertThat(light.json().path("data")).as("only the changed fields").isEqualTo(Json.object().put("n", 2));
        // Kinto's light and diff bodies hold "data" only: the partial object carries no permissions
        assertThat(light.json().has("permissions")).isFalse();
        TestServer.Response diff = patch(url, "application/json", "{\"data\": {\"n\": 3, \"title\": \"second\"}}",
                "Response-Behavior", "diff");
        assertThat(diff.json().path("data")).as("nothing differs from what was sent").isEqualTo(Json.object());
        assertThat(diff.json().has("permissions")).isFalse();
        TestServer.Response full = patch(url, "application/json", "{\"data\": {\"n\": 4}}", "Response-Behavior", "full");
        assertThat(full.json().path("data").path("title").asText()).isEqualTo("second");
        assertThat(full.json().has("permissions")).isTrue();
        TestServer.Response bad = patch(url, "application/json", "{\"data\": {\"n\": 5}}", "Response-Behavior", "minimal");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText())
                .isEqualTo("Response-Behavior in header: \"minimal\" is not one of full, light, diff");
        assertThat(server.get(url, "alice").json().path("data").path("n").asInt()).isEqualTo(4);
    }

    @Test
    void anIdChangeIsRefused() {
        String url = create("same");
        TestServer.Response r = patch(url, "application/json", "{\"data\": {\"id\": \"other\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("details").get(0).path("description").asText())
                .isEqualTo("Object id does not match existing object");
        assertThat(patch(url, JSON_PATCH, "[{\"op\": \"replace\", \"path\": \"/data/id\", \"value\": \"x\"}]").status())
                .isEqualTo(400);
    }
}
