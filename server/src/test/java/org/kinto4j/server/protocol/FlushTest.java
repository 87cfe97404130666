package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/__flush__} as upstream's transcripts 46-48; on only with {@code includes = [flush]}. */
class FlushTest {

    @Test
    void flushEmptiesEverythingAsTranscripts46To48() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        try (TestServer s = TestServer.start(AccountsTest.PLUGINS_INI)) {
            assertThat(s.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"alice-pw-1\"}}").status()).isEqualTo(201);
            assertThat(s.put("/v1/buckets/b1", "alice:alice-pw-1", null).status()).isEqualTo(201);
            s.put("/v1/buckets/b1/groups/g1", "alice:alice-pw-1", "{\"data\":{\"members\":[\"basicauth:x\", \"system.Authenticated\"]}}");
            assertThat(s.get("/v1/", "dave:dave-pw").json().path("user").path("principals").toString())
                    .contains("/buckets/b1/groups/g1");

            TestServer.Response flush = s.post("/v1/__flush__", null, null);                                 // 46
            assertThat(flush.status()).isEqualTo(202);
            assertThat(flush.text()).isEqualTo("{}");
            assertThat(flush.header("Content-Type")).isEqualTo("application/json");
            assertThat(flush.header("Access-Control-Expose-Headers")).contains("Retry-After").doesNotContain("ETag");

            TestServer.Response signUp = s.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"alice-pw-1\"}}"); // 47
            assertThat(signUp.status()).as("the account is gone").isEqualTo(201);
            TestServer.Response buckets = s.get("/v1/buckets", "alice:alice-pw-1");                          // 48
            assertThat(buckets.status()).isEqualTo(200);
            assertThat(buckets.text()).isEqualTo("{\"data\":[]}");
            assertThat(s.get("/v1/", "dave:dave-pw").json().path("user").path("principals").toString())
                    .as("group memberships are gone").doesNotContain("/buckets/b1/groups/g1");
            assertThat(s.get("/v1/__flush__", null).status()).isEqualTo(405);
        } finally {
            root.detachAppender(lines);
        }
        assertThat(lines.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("flush endpoint is ON").contains("ANYONE");
        });
        assertThat(lines.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("POST /v1/__flush__ by an anonymous user"));
    }

    @Test
    void withoutTheIncludeFlushIs404AndNothingIsDeleted() {
        try (TestServer s = TestServer.start("includes = [accounts]\naccount_bcrypt_cost = 4\n"
                + "account_create_principals = [system.Everyone]\n")) {
            s.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"pw\"}}");
            assertThat(s.post("/v1/__flush__", null, null).status()).isEqualTo(404);
            assertThat(s.get("/v1/accounts/alice", "alice:pw").status()).isEqualTo(200);
        }
    }
}
