package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.auth.BasicAuth;
import org.slf4j.LoggerFactory;

/** One INFO access line per request: method, path, status, milliseconds, user. */
class AccessLogTest {

    @Test
    void everyRequestLogsOneLine() {
        Logger access = (Logger) LoggerFactory.getLogger("kinto4j.access");
        Level before = access.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        access.setLevel(Level.INFO);
        try (TestServer s = TestServer.start()) {
            s.put("/v1/buckets/b1", "alice", null);
            s.get("/v1/nope", null);
        } finally {
            access.detachAppender(lines);
            access.setLevel(before);
        }
        String alice = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();
        assertThat(lines.list).hasSize(2).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO));
        assertThat(lines.list.get(0).getFormattedMessage()).matches("PUT /v1/buckets/b1 201 \\d+ms " + alice);
        assertThat(lines.list.get(1).getFormattedMessage()).matches("GET /v1/nope 404 \\d+ms -");
        assertThat(lines.list.get(0).getFormattedMessage()).doesNotContain("Basic ");
    }
}
