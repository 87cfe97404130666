package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.json.Json;

/**
 * The accounts plugin against upstream's transcripts 02-26 and 49 (kinto-transcripts-plugins),
 * with upstream's settings. Bodies are compared without the {@code password} field: kinto4j
 * never returns the hash (upstream does).
 */
class AccountsTest {

    /** The settings of the recording (kinto-plugins.ini), bcrypt made cheap for the test. */
    static final String PLUGINS_INI = "includes = [accounts, flush]\n"
            + "multiauth.policies = [account, basicauth]\n"
            + "account_create_principals = [system.Everyone]\n"
            + "account_write_principals = [\"account:admin\"]\n"
            + "account_bcrypt_cost = 4\n";

    static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The response body with every {@code last_modified} replaced by 0, for comparison. */
    static JsonNode normalized(TestServer.Response r) {
        JsonNode body = r.json().deepCopy();
        List<JsonNode> stack = new ArrayList<>(List.of(body));
        while (!stack.isEmpty()) {
            JsonNode n = stack.remove(stack.size() - 1);
            if (n instanceof ObjectNode o && o.has("last_modified")) {
                o.put("last_modified", 0);
            }
            n.forEach(stack::add);
        }
        return body;
    }

    static void assertAccountResponse(TestServer.Response r, int status, String id) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(normalized(r)).isEqualTo(json("{\"permissions\":{\"write\":[\"account:" + id + "\"]},"
                + "\"data\":{\"id\":\"" + id + "\",\"last_modified\":0}}"));
        assertThat(r.text()).doesNotContain("password").doesNotContain("$2b$");
        long lm = r.json().path("data").path("last_modified").asLong();
        assertThat(r.header("ETag")).isEqualTo("\"" + lm + "\"");
        assertThat(r.header("Last-Modified")).endsWith(" GMT");
    }

    private static String password(String pw) {
        return "{\"data\":{\"password\":\"" + pw + "\"}}";
    }

    @Test
    void signUpReadUpdateAndDeleteAsTranscripts04To23() {
        try (TestServer s = TestServer.start(PLUGINS_INI)) {
            assertAccountResponse(s.put("/v1/accounts/admin", null, password("s3cret-admin")), 201, "admin"); // 04
            TestServer.Response alice = s.put("/v1/accounts/alice", null, password("alice-pw-1"));           // 05
            assertAccountResponse(alice, 201, "alice");
            assertThat(alice.header("Access-Control-Expose-Headers")).contains("Retry-After").doesNotContain("ETag");

            TestServer.Response again = s.put("/v1/accounts/alice", null, password("alice-pw-1"));           // 06
            assertThat(again.status()).isEqualTo(401);
            assertThat(again.json()).isEqualTo(json("{\"code\":401,\"errno\":104,\"error\":\"Unauthorized\","
                    + "\"message\":\"Please authenticate yourself to use this endpoint.\"}"));
            assertThat(again.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Realm\"");

            assertAccountResponse(s.post("/v1/accounts", null,
                    "{\"data\":{\"id\":\"bob\",\"password\":\"bob-pw\"}}"), 201, "bob");                       // 07

            TestServer.Response self = s.get("/v1/accounts/alice", "alice:alice-pw-1");                      // 12
            assertAccountResponse(self, 200, "alice");
            assertThat(self.header("Cache-Control")).isEqualTo("no-cache, no-store");
            assertThat(self.header("ETag")).isEqualTo(alice.header("ETag"));

            TestServer.Response other = s.get("/v1/accounts/bob", "alice:alice-pw-1");                       // 17
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.json()).isEqualTo(json("{\"code\":403,\"errno\":121,\"error\":\"Forbidden\","
                    + "\"message\":\"This user cannot access this resource.\"}"));

            TestServer.Response notMine = s.put("/v1/accounts/carol", "alice:alice-pw-1", password("carol-pw")); // 18
            assertThat(notMine.status()).isEqualTo(400);
            assertThat(notMine.json()).isEqualTo(json("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                    + "\"message\":\"data.id in body: Username and account ID do not match.\",\"details\":[{\"location\":"
                    + "\"body\",\"name\":\"data.id\",\"description\":\"Username and account ID do not match.\"}]}"));

            assertAccountResponse(s.post("/v1/accounts", "admin:s3cret-admin",
                    "{\"data\":{\"id\":\"carol\",\"password\":\"carol-pw\"}}"), 201, "carol");                 // 19
            assertAccountResponse(s.get("/v1/accounts/carol", "admin:s3cret-admin"), 200, "carol");         // 20

            assertAccountResponse(s.patch("/v1/accounts/alice", "alice:alice-pw-1", password("alice-pw-2")), 200,
                    "alice");                                                                                // 21
            assertThat(s.get("/v1/accounts/alice", "alice:alice-pw-1").status()).isEqualTo(403);            // 22
            assertThat(s.get("/v1/accounts/alice", "alice:alice-pw-2").status()).isEqualTo(200);

            TestServer.Response deleted = s.delete("/v1/accounts/carol", "carol:carol-pw");                  // 23
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(normalized(deleted)).isEqualTo(json("{\"data\":{\"id\":\"carol\",\"last_modified\":0,\"deleted\":true}}"));
            assertThat(deleted.header("ETag")).isEqualTo("\"" + deleted.json().path("data").path("last_modified").asLong() + "\"");
            assertThat(s.get("/v1/", "carol:carol-pw").json().path("user").path("id").asText())
                    .as("a deleted account no longer logs in").startsWith("basicauth:");

            TestServer.Response bucket = s.put("/v1/buckets/b1", "alice:alice-pw-2", null);                   // 26
            assertThat(bucket.status()).isEqualTo(201);
            assertThat(normalized(bucket)).isEqualTo(json("{\"permissions\":{\"write\":[\"account:alice\"]},"
                    + "\"data\":{\"id\":\"b1\",\"last_modified\":0}}"));
        }
    }

    @Test
    void capabilitiesAndUserAsTranscripts02_11_24() {
        try (TestServer s = TestServer.start(PLUGINS_INI)) {
            JsonNode anonymous = s.get("/v1/", null).json();                                                 // 02
            assertThat(anonymous.has("user")).isFalse();
            assertThat(anonymous.path("capabilities").path("accounts")).isEqualTo(json("{\"description\":"
                    + "\"Manage user accounts.\",\"url\":\"https://kinto.readthedocs.io/en/latest/api/1.x/accounts.html\","
                    + "\"validation_enabled\":false}"));
            assertThat(anonymous.path("capabilities").path("flush_endpoint")).isEqualTo(json("{\"description\":"
                    + "\"The __flush__ endpoint can be used to remove all data from all backends.\","
                    + "\"url\":\"https://kinto.readthedocs.io/en/latest/api/1.x/flush.html\"}"));
            assertThat(anonymous.path("capabilities").has("basicauth")).isTrue();

            s.put("/v1/accounts/alice", null, password("alice-pw-1"));
            JsonNode user = s.get("/v1/", "alice:alice-pw-1").json().path("user");                           // 11
            assertThat(user.path("id").asText()).isEqualTo("account:alice");
            assertThat(user.path("principals")).containsExactlyInAnyOrder(Json.mapper().getNodeFactory().textNode(
                    "account:alice"), Json.mapper().getNodeFactory().textNode("system.Everyone"),
                    Json.mapper().getNodeFactory().textNode("system.Authenticated"));
            assertThat(user.path("bucket").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

            String dave = new BasicAuth("").userId(TestServer.basic("dave:dave-pw")).orElseThrow();
            assertThat(s.get("/v1/", "dave:dave-pw").json().path("user").path("id").asText()).isEqualTo(dave); // 24
        }
        try (TestServer s = TestServer.start("includes = [accounts]\naccount_bcrypt_cost = 4\n")) {
            JsonNode caps = s.get("/v1/", null).json().path("capabilities");
            assertThat(caps.has("basicauth")).as("default policies with accounts: [account] only").isFalse();
            assertThat(caps.has("flush_endpoint")).isFalse();
        }
    }

    @Test
    void listingRulesAsTranscripts14To16And49() {
        try (TestServer s = TestServer.start(PLUGINS_INI)) {
            s.put("/v1/accounts/admin", null, password("s3cret-admin"));
            s.put("/v1/accounts/alice", null, password("alice-pw-1"));
            TestServer.Response anonymous = s.get("/v1/accounts", null);                                     // 14
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.text()).isEqualTo("{\"code\":401,\"errno\":999,\"error\":\"Cannot read accounts.\"}");
            assertThat(anonymous.header("WWW-Authenticate")).isNull();
            assertThat(anonymous.header("Access-Control-Expose-Headers")).contains("Next-Page");

            TestServer.Response alice = s.get("/v1/accounts", "alice:alice-pw-1");                           // 15
            assertThat(alice.status()).isEqualTo(200);
            assertThat(normalized(alice)).isEqualTo(json("{\"data\":[{\"id\":\"alice\",\"last_modified\":0}]}"));
            assertThat(alice.header("Cache-Control")).isEqualTo("no-cache, no-store");
            assertThat(alice.header("ETag")).isNotNull();

            TestServer.Response admin = s.get("/v1/accounts", "admin:s3cret-admin");                         // 16
            assertThat(normalized(admin)).isEqualTo(json("{\"data\":[{\"id\":\"admin\",\"last_modified\":0}]}"));
            assertThat(s.get("/v1/accounts", "dave:dave-pw").text()).as("a basicauth user may create, so sees []")
                    .isEqualTo("{\"data\":[]}");
        }
        try (TestServer s = TestServer.start(PLUGINS_INI + "account_read_principals = [\"account:admin\"]\n")) {
            s.put("/v1/accounts/admin", null, password("s3cret-admin"));
            s.put("/v1/accounts/alice", null, password("alice-pw-1"));
            s.post("/v1/accounts", null, "{\"data\":{\"id\":\"bob\",\"password\":\"bob-pw\"}}");
            TestServer.Response all = s.get("/v1/accounts", "admin:s3cret-admin");                           // 49
            assertThat(normalized(all)).isEqualTo(json("{\"data\":[{\"id\":\"bob\",\"last_modified\":0},"
                    + "{\"id\":\"alice\",\"last_modified\":0},{\"id\":\"admin\",\"last_modified\":0}]}"));
            assertThat(all.text()).doesNotContain("password");
            assertThat(s.get("/v1/accounts?_sort=password", "admin:s3cret-admin").status())
                    .as("sorting or filtering on the hash would reveal it").isEqualTo(400);
            assertThat(s.get("/v1/accounts?like_password=*", "admin:s3cret-admin").status()).isEqualTo(400);
            assertThat(s.get("/v1/accounts?_fields=password", "admin:s3cret-admin").text()).doesNotContain("$2b$");
        }
    }

    @Test
    void wrongPasswordFallsThroughToBasicauthAsTranscripts03_13_22_25() {
        try (TestServer s = TestServer.start(PLUGINS_INI)) {
            TestServer.Response unknown = s.get("/v1/accounts/admin", "admin:s3cret-admin");                 // 03
            assertThat(unknown.status()).isEqualTo(403);
            s.put("/v1/accounts/alice", null, password("alice-pw-1"));
            assertThat(s.get("/v1/accounts/alice", "alice:wrong-password").status()).isEqualTo(403);        // 13
            String other = new BasicAuth("").userId(TestServer.basic("alice:wrong-password")).orElseThrow();
            assertThat(s.get("/v1/", "alice:wrong-password").json().path("user").path("id").asText())        // 25
                    .as("an unrelated basicauth user, exactly what a name with no account gets: nothing tells "
                            + "whether the account exists").isEqualTo(other);
        }
    }

    @Test
    void withoutBasicauthWrongPasswordsAndUnknownNamesArePlain401s() {
        try (TestServer s = TestServer.start(PLUGINS_INI.replace("[account, basicauth]", "[account]"))) {
            s.put("/v1/accounts/alice", null, password("alice-pw-1"));
            TestServer.Response wrong = s.get("/v1/", "alice:wrong-password");
            TestServer.Response missing = s.get("/v1/", "nobody:wrong-password");
            for (TestServer.Response r : List.of(wrong, missing)) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.json()).isEqualTo(json("{\"code\":401,\"errno\":104,\"error\":\"Unauthorized\","
                        + "\"message\":\"Please authenticate yourself to use this endpoint.\"}"));
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Realm\"");
            }
            assertThat(wrong.text()).isEqualTo(missing.text());
            assertThat(s.get("/v1/", "alice:alice-pw-1").json().path("user").path("id").asText()).isEqualTo("account:alice");
            assertThat(s.get("/v1/", null).status()).as("no credentials: anonymous, as before").isEqualTo(200);
            assertThat(s.put("/v1/buckets/b1", "dave:dave-pw", null).status()).isEqualTo(401);
        }
    }

    @Test
    void badInputGetsKintosErrorsAsTranscripts08_09_10() {
        try (TestServer s = TestServer.start(PLUGINS_INI)) {
            TestServer.Response noId = s.post("/v1/accounts", null, password("nobody-pw"));                  // 08
            assertThat(noId.status()).isEqualTo(400);
            assertThat(noId.json()).isEqualTo(json("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                    + "\"message\":\"data.id in body: Required\",\"details\":[{\"location\":\"body\",\"name\":\"data.id\","
                    + "\"description\":\"data.id in body: Required\"}]}"));
            TestServer.Response noPassword = s.put("/v1/accounts/zed", null, "{\"data\":{}}");               // 09
            assertThat(noPassword.json()).isEqualTo(json("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                    + "\"message\":\"data.password in body: Required\",\"details\":[{\"location\":\"body\","
                    + "\"name\":\"data.password\",\"description\":\"Required\"}]}"));
            TestServer.Response badId = s.put("/v1/accounts/_alice", null, password("x"));                   // 10
            assertThat(badId.json()).isEqualTo(json("{\"code\":400,\"errno\":107,\"error\":\"Invalid parameters\","
                    + "\"message\":\"path: Invalid object id\",\"details\":[{\"location\":\"path\",\"name\":null,"
                    + "\"description\":\"Invalid object id\"}]}"));
            assertThat(s.put("/v1/accounts/a.b+c@example.org", null, password("x")).status())
                    .as("account ids may hold . + @").isEqualTo(201);
            assertThat(s.put("/v1/accounts/zed", null, "{\"data\":{\"password\":\"\"}}").json()
                    .path("message").asText()).isEqualTo("data.password in body: Required");
            assertThat(s.put("/v1/accounts/zed", null, "{\"data\":{\"password\":123}}").json()
                    .path("message").asText()).isEqualTo("data.password in body: number is not a string");
            assertThat(s.put("/v1/accounts/zed", null, password("x".repeat(73))).json().path("message").asText())
                    .contains("at most 72 bytes");
            assertThat(s.put("/v1/accounts/zed", null, "{\"data\":{\"password\":").status()).isEqualTo(400);
            assertThat(s.post("/v1/accounts", null, "{\"data\":{\"id\":\"-x\",\"password\":\"p\"}}").status()).isEqualTo(400);
            s.put("/v1/accounts/zed", null, password("zed-pw"));
            assertThat(s.patch("/v1/accounts/zed", "zed:zed-pw", "{\"data\":{\"password\":null}}").status())
                    .as("the password cannot be removed").isEqualTo(400);
            assertThat(s.get("/v1/accounts/zed", "zed:zed-pw").status()).isEqualTo(200);
            assertThat(s.get("/v1/accounts/nobody", "admin:x").status()).isEqualTo(403);
        }
    }

    @Test
    void batchSubRequestsReachAccountsInTheBatchTransaction() {
        try (TestServer s = TestServer.start(PLUGINS_INI)) {
            s.put("/v1/accounts/alice", null, password("alice-pw-1"));
            TestServer.Response batch = s.post("/v1/batch", "alice:alice-pw-1", "{\"requests\":["
                    + "{\"method\":\"GET\",\"path\":\"/accounts/alice\"},"
                    + "{\"method\":\"PUT\",\"path\":\"/accounts/bob\",\"body\":{\"data\":{\"password\":\"bob-pw\"}}},"
                    + "{\"method\":\"PATCH\",\"path\":\"/accounts/alice\",\"body\":{\"data\":{\"password\":\"alice-pw-2\"}}},"
                    + "{\"method\":\"PUT\",\"path\":\"/buckets/b1\"}]}");
            assertThat(batch.status()).isEqualTo(200);
            List<Integer> statuses = new ArrayList<>();
            batch.json().path("responses").forEach(r -> statuses.add(r.path("status").asInt()));
            assertThat(statuses).containsExactly(200, 400, 200, 201);
            assertThat(batch.text()).doesNotContain("$2b$").doesNotContain("password\":");
            assertThat(s.get("/v1/accounts/alice", "alice:alice-pw-2").status()).isEqualTo(200);
            assertThat(s.get("/v1/accounts/alice", "alice:alice-pw-1").status()).isEqualTo(403);
        }
    }

    @Test
    void withoutThePluginTheEndpointsAre404() {
        try (TestServer s = TestServer.start()) {
            assertThat(s.put("/v1/accounts/alice", null, password("x")).status()).isEqualTo(404);
            assertThat(s.get("/v1/accounts", "alice").status()).isEqualTo(404);
            assertThat(s.post("/v1/__flush__", null, null).status()).isEqualTo(404);
            assertThat(s.get("/v1/", null).json().path("capabilities").has("accounts")).isFalse();
        }
    }
}
