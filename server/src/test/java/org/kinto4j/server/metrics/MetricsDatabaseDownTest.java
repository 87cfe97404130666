package org.kinto4j.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.listeners.PluginJar;

/**
 * Scraping while the database is down: the server's database is an H2 TCP server the test
 * stops; the scrape still answers 200, the gauges it cannot read report NaN, and they come
 * back once the database does.
 */
class MetricsDatabaseDownTest {

    @TempDir
    Path dir;

    @Test
    void scrapeAnswersWithNaNGaugesWhileTheDatabaseIsDown() throws SQLException {
        Server db = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.resolve("h2").toString())
                .start();
        int port = db.getPort();
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        String conf = "includes = [prometheus]\n"
                + "storage.url = \"jdbc:h2:tcp://127.0.0.1:" + port + "/kinto4j\"\n"
                + "storage.connection_timeout = 300ms\n"
                + "event_listeners { q { use = recorder, delivery = durable, file = \"" + dir.resolve("q.jsonl") + "\" } }\n";
        String backlog = "kinto_listener_backlog_events{delivery=\"durable\",listener=\"q\"}";
        try (TestServer s = TestServer.startIn(dir, conf, Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> PluginJar.recorded(dir.resolve("q.jsonl")).size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> s.get("/v1/__metrics__", null).text().contains(backlog + " 0.0"));

            db.stop();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                TestServer.Response down = s.get("/v1/__metrics__", null);
                assertThat(down.status()).isEqualTo(200);
                assertThat(down.text()).contains(backlog + " NaN").contains("kinto_request_summary_total{");
            });
            assertThat(s.get("/v1/__heartbeat__", null).status()).isEqualTo(503);

            db = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
                    dir.resolve("h2").toString()).start();
            await().atMost(Duration.ofSeconds(20)).until(() -> s.get("/v1/__metrics__", null).text().contains(backlog + " 0.0"));
        } finally {
            db.stop();
        }
    }
}
