package org.kinto4j.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.listeners.PluginJar;

/** {@code includes = [prometheus]}: /v1/__metrics__ scraped after real traffic and real deliveries. */
class MetricsTest {

    @TempDir
    Path dir;

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NEGATIVE_INFINITY;
    }

    private static String scrape(TestServer s) {
        TestServer.Response r = s.get("/v1/__metrics__", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.text();
    }

    @Test
    void requestsListenersBacklogPoolAndJvmAfterTraffic() throws IOException {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Path out = dir.resolve("slow.jsonl");
        Path release = dir.resolve("release");
        String conf = "includes = [prometheus, history]\n"
                + "event_listeners {\n"
                + "  slow { use = recorder, delivery = durable, resources = [record], file = \"" + out + "\", wait_for = \""
                + release + "\" }\n"
                + "  dead { use = recorder, delivery = durable, resources = [bucket], fail_times = 5, file = \""
                + dir.resolve("dead.jsonl") + "\", retry { max_attempts = 2, initial_delay = 20ms, max_delay = 20ms } }\n"
                + "}\n";
        try (TestServer s = TestServer.startIn(dir, conf, Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
            s.put("/v1/buckets/b1/collections/c1", "alice", null);
            for (int i = 0; i < 3; i++) {
                assertThat(s.post("/v1/buckets/b1/collections/c1/records", "alice", "{\"data\":{\"n\":" + i + "}}")
                        .status()).isEqualTo(201);
            }
            s.get("/v1/buckets/b1/collections/c1/records", "alice");
            s.get("/v1/buckets/b1/history", "alice");
            s.get("/v1/buckets/nope/collections/c1/records/r1", "alice");

            TestServer.Response r = s.get("/v1/__metrics__", null);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            String text = r.text();
            assertThat(value(text, "kinto_request_summary_total{endpoint=\"record-plural\",method=\"post\",status=\"201\"}"))
                    .isEqualTo(3.0);
            assertThat(value(text, "kinto_request_summary_total{endpoint=\"history-plural\",method=\"get\",status=\"200\"}"))
                    .isEqualTo(1.0);
            assertThat(value(text, "kinto_request_summary_total{endpoint=\"record-object\",method=\"get\",status=\"403\"}"))
                    .isEqualTo(1.0);
            assertThat(value(text, "kinto_request_duration_seconds_count{endpoint=\"record-plural\",method=\"post\"}"))
                    .isEqualTo(3.0);
            assertThat(text).contains("kinto_request_duration_seconds_bucket{endpoint=\"record-plural\",method=\"post\",le=\"0.01\"}");
            assertThat(text).doesNotContain("/buckets/b1");
            assertThat(value(text, "kinto_listener_events_delivered_total{delivery=\"in_transaction\",listener=\"history\"}"))
                    .isEqualTo(5.0);
            assertThat(value(text, "hikaricp_connections_max{pool=\"kinto4j-storage\"}")).isGreaterThan(0);
            assertThat(text).contains("jvm_memory_used_bytes{", "process_cpu_usage", "jvm_threads_live_threads");

            String slow = "{delivery=\"durable\",listener=\"slow\"}";
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape(s))
                    .contains("kinto_listener_backlog_events" + slow + " 3.0"));
            assertThat(value(scrape(s), "kinto_listener_events_delivered_total" + slow)).isZero();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    value(scrape(s), "kinto_listener_oldest_pending_age_seconds" + slow) > 0);

            Files.writeString(release, "go");
            await().atMost(Duration.ofSeconds(20)).until(() -> value(scrape(s), "kinto_listener_backlog_events" + slow) == 0.0);
            String after = scrape(s);
            assertThat(value(after, "kinto_listener_events_delivered_total" + slow)).isEqualTo(3.0);
            assertThat(value(after, "kinto_listener_oldest_pending_age_seconds" + slow)).isZero();
            assertThat(value(after, "kinto_listener_delivery_seconds_count" + slow)).isEqualTo(3.0);

            String dead = "{delivery=\"durable\",listener=\"dead\"}";
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    value(scrape(s), "kinto_listener_events_dead_lettered_total" + dead) == 1.0);
            String deadText = scrape(s);
            assertThat(value(deadText, "kinto_listener_events_retried_total" + dead)).isEqualTo(1.0);
            assertThat(value(deadText, "kinto_listener_events_failed_total" + dead)).isEqualTo(2.0);
            assertThat(value(deadText, "kinto_listener_backlog_events" + dead)).isZero();

            assertThat(s.get("/v1/", null).json().at("/capabilities/prometheus/prefix").asText()).isEqualTo("kinto_");
            TestServer.Response redirect = s.get("/__metrics__", null);
            assertThat(redirect.status()).isEqualTo(307);
            assertThat(redirect.header("Location")).isEqualTo(s.base() + "/v1/__metrics__");
            assertThat(s.post("/v1/__metrics__", null, "{}").status()).isEqualTo(405);
        }
    }

    @Test
    void prefixAndDisabledMetricsFollowKintosSettings() {
        try (TestServer s = TestServer.start("includes = [prometheus]\nprometheus_prefix = \"remote-settings\"\n"
                + "prometheus_disabled_metrics = [request_duration]\n")) {
            s.get("/v1/", "alice");
            String text = scrape(s);
            assertThat(value(text, "remotesettings_request_summary_total{endpoint=\"hello\",method=\"get\",status=\"200\"}"))
                    .isEqualTo(1.0);
            assertThat(text).doesNotContain("request_duration");
            assertThat(s.get("/v1/", null).json().at("/capabilities/prometheus/disabled_metrics/0").asText())
                    .isEqualTo("request_duration");
        }
    }

    @Test
    void offUnlessIncluded() {
        try (TestServer s = TestServer.start()) {
            assertThat(s.get("/v1/__metrics__", null).status()).isEqualTo(404);
            assertThat(s.get("/v1/", null).json().at("/capabilities").has("prometheus")).isFalse();
        }
    }
}
