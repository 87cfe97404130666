package org.kinto4j.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;

/** A change stream opened with credentials the account policy refuses gets Kinto's 401, as a list would. */
class ChangeFeedAccountsTest {

    @Test
    void aWrongAccountPasswordIs401NotAServerError() {
        try (TestServer server = TestServer.start("includes = [accounts]\naccount_bcrypt_cost = 4\n"
                + "account_create_principals = [system.Everyone]\n")) {
            assertThat(server.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"right\"}}").status())
                    .isEqualTo(201);
            assertThat(server.put("/v1/buckets/b", "alice:right", null).status()).isEqualTo(201);
            TestServer.Response wrong = server.get("/v1/buckets/b/changes", "alice:wrong");
            assertThat(wrong.status()).as(wrong.text()).isEqualTo(401);
            assertThat(wrong.json().path("errno").asInt()).isEqualTo(104);
            assertThat(wrong.header("Content-Type")).startsWith("application/json");
            assertThat(server.get("/v1/buckets/b/records-that-do-not-exist", "alice:wrong").status()).isEqualTo(401);
        }
    }
}
