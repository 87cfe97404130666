package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer;

/**
 * Two server processes on one PostgreSQL schema, each with its own login cache: a password
 * change or a deletion on one is refused by the other at once (no wait for the cache TTL).
 */
class AccountsPostgresTest {

    @TempDir
    Path dir;

    @Test
    void passwordChangeAndDeletionOnOneProcessAreRefusedOnTheOtherAtOnce() {
        try (PostgresDatabase pg = PostgresDatabase.create()) {
            String config = AccountsTest.PLUGINS_INI.replace("[account, basicauth]", "[account]")
                    + "account_cache_ttl_seconds = 3600\nstorage.url = \"" + pg.url() + "\"\n"
                    + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n";
            try (TestServer a = TestServer.start(config);
                    ServerProcess b = ServerProcess.start(dir, config, ServerProcess.freePort(), Map.of())) {
                assertThat(a.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"old-pw\"}}").status()).isEqualTo(201);
                // both remember the login
                assertThat(a.get("/v1/accounts/alice", "alice:old-pw").status()).isEqualTo(200);
                assertThat(b.request("GET", "/v1/accounts/alice", "alice:old-pw", null).status()).isEqualTo(200);
                assertThat(b.request("GET", "/v1/accounts/alice", "alice:old-pw", null).status()).isEqualTo(200);

                assertThat(a.patch("/v1/accounts/alice", "alice:old-pw", "{\"data\":{\"password\":\"new-pw\"}}").status())
                        .isEqualTo(200);
                assertThat(b.request("GET", "/v1/accounts/alice", "alice:old-pw", null).status()).isEqualTo(401);
                assertThat(b.request("GET", "/v1/accounts/alice", "alice:new-pw", null).status()).isEqualTo(200);
                assertThat(a.get("/v1/accounts/alice", "alice:new-pw").status()).isEqualTo(200);

                assertThat(b.request("DELETE", "/v1/accounts/alice", "alice:new-pw", null).status()).isEqualTo(200);
                assertThat(a.get("/v1/", "alice:new-pw").status()).as("deleted by the other process").isEqualTo(401);
                assertThat(b.log()).doesNotContain("old-pw").doesNotContain("new-pw").doesNotContain("$2b$");
            }
        }
    }
}
