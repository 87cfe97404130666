package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.TestServer;

/**
 * Two servers on one PostgreSQL schema, each with its own login cache: a password change or a
 * deletion on one ends the remembered login on the other at once.
 */
class AccountsPostgresTest {

    @Test
    void passwordChangeAndDeletionOnOneServerAreRefusedOnTheOtherAtOnce() {
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String config = AccountsTest.PLUGINS_INI.replace("[account, basicauth]", "[account]")
                    + "account_cache_ttl_seconds = 3600\nstorage.url = \"" + pg.url() + "\"\n";
            try (TestServer a = TestServer.start(config); TestServer b = TestServer.start(config)) {
                assertThat(a.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"old-pw\"}}").status()).isEqualTo(201);
                // both remember the login
                assertThat(a.get("/v1/accounts/alice", "alice:old-pw").status()).isEqualTo(200);
                assertThat(b.get("/v1/accounts/alice", "alice:old-pw").status()).isEqualTo(200);
                assertThat(b.get("/v1/accounts/alice", "alice:old-pw").status()).isEqualTo(200);

                assertThat(a.patch("/v1/accounts/alice", "alice:old-pw", "{\"data\":{\"password\":\"new-pw\"}}").status())
                        .isEqualTo(200);
                assertThat(b.get("/v1/accounts/alice", "alice:old-pw").status()).isEqualTo(401);
                assertThat(b.get("/v1/accounts/alice", "alice:new-pw").status()).isEqualTo(200);
                assertThat(a.get("/v1/accounts/alice", "alice:new-pw").status()).isEqualTo(200);

                assertThat(b.delete("/v1/accounts/alice", "alice:new-pw").status()).isEqualTo(200);
                assertThat(a.get("/v1/", "alice:new-pw").status()).as("deleted on the other server").isEqualTo(401);
            }
        }
    }
}
