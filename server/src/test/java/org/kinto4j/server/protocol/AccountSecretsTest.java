package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;
import org.slf4j.LoggerFactory;

/** Passwords and their hashes appear in no response and no log line, access log included. */
class AccountSecretsTest {

    @Test
    void noPasswordOrHashInAnyResponseOrLogLine() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger access = (Logger) LoggerFactory.getLogger("kinto4j.access");
        Level before = access.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        access.setLevel(Level.INFO);
        StringBuilder responses = new StringBuilder();
        try (TestServer s = TestServer.start(AccountsTest.PLUGINS_INI + "account_read_principals = [\"account:admin\"]\n")) {
            for (TestServer.Response r : List.of(
                    s.put("/v1/accounts/admin", null, "{\"data\":{\"password\":\"pw-admin-1\"}}"),
                    s.put("/v1/accounts/alice", null, "{\"data\":{\"password\":\"pw-alice-1\"}}"),
                    s.get("/v1/accounts/alice", "alice:pw-alice-1"),
                    s.get("/v1/accounts/alice", "alice:pw-wrong-1"),
                    s.patch("/v1/accounts/alice", "alice:pw-alice-1", "{\"data\":{\"password\":\"pw-alice-2\"}}"),
                    s.get("/v1/accounts", "admin:pw-admin-1"),
                    s.get("/v1/accounts?_fields=password", "admin:pw-admin-1"),
                    s.request("HEAD", "/v1/accounts", "admin:pw-admin-1", null),
                    s.post("/v1/batch", "alice:pw-alice-2", "{\"requests\":[{\"method\":\"GET\",\"path\":\"/accounts/alice\"}]}"),
                    s.put("/v1/accounts/x", null, "{\"data\":{\"password\":\"pw-long-" + "y".repeat(80) + "\"}}"),
                    s.delete("/v1/accounts/alice", "alice:pw-alice-2"))) {
                responses.append(r.status()).append(' ').append(r.text()).append('\n');
            }
        } finally {
            root.detachAppender(lines);
            access.setLevel(before);
        }
        assertThat(responses.toString()).doesNotContain("pw-").doesNotContain("$2b$").doesNotContain("password\":");
        assertThat(lines.list).isNotEmpty();
        assertThat(lines.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("account:alice"));
        for (ILoggingEvent e : lines.list) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain("pw-").doesNotContain("$2b$").doesNotContain("Basic ");
        }
    }
}
