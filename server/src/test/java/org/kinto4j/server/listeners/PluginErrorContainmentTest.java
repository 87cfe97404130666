package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.auth.BasicAuth;

/**
 * Every Throwable a plugin throws stays at the plugin boundary: in_transaction gives a
 * Kinto-format 500 and a rolled-back request; a durable dispatcher keeps its thread and retries.
 * The plugin is a real jar; its NoClassDefFoundError is real (a dependency it was compiled
 * against is not bundled).
 */
class PluginErrorContainmentTest {

    private static final String ALICE = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();

    @TempDir
    Path dir;

    /** A listener that throws the Error named by the record's {@code kind} field. */
    private void writePlugin() {
        Path dep = PluginJar.create().source("dep.Helper", """
                package dep;
                public class Helper { public static String hello() { return "hi"; } }
                """).writeTo(dir.resolve("dep.jar"));
        PluginJar.create().compileAgainst(dep).factory("boom.BoomFactory").source("boom.BoomFactory", """
                package boom;

                import java.util.Map;
                import org.kinto4j.listener.*;

                public class BoomFactory implements ListenerFactory {
                    @Override public String name() { return "boom"; }
                    @Override public Listener create(ListenerContext context) {
                        return event -> {
                            Object n = event.impactedObjects().get(0).get("new");
                            String kind = n instanceof Map<?, ?> m ? String.valueOf(m.get("kind")) : "";
                            switch (kind) {
                                case "assertion" -> { throw new AssertionError("plugin assertion"); }
                                case "stack" -> recurse(0);
                                case "missing" -> dep.Helper.hello();
                                case "linkage" -> { throw new LinkageError("plugin linkage"); }
                                case "oom" -> { long[] huge = new long[Integer.MAX_VALUE - 8]; huge[0] = 1; }
                                case "error" -> { throw new Error("plugin error"); }
                                default -> { }
                            }
                        };
                    }
                    static int recurse(int n) { return recurse(n + 1) + 1; }
                }
                """).writeTo(dir.resolve("plugins/boom.jar"));
    }

    private TestServer start(String delivery) throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        writePlugin();
        return TestServer.startIn(dir, "admin_principals = [\"" + ALICE + "\"]\n"
                + "event_listeners { boom { use = boom, resources = [record], delivery = " + delivery
                + ", retry { initial_delay = 20ms, max_delay = 20ms, max_attempts = 3 } } }", Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"assertion", "stack", "missing", "linkage", "oom", "error"})
    void inTransactionAnErrorIsAKinto500AndTheRequestIsRolledBack(String kind) throws Exception {
        try (TestServer s = start("in_transaction")) {
            s.put("/v1/buckets/b", "alice", null);
            s.put("/v1/buckets/b/collections/c", "alice", null);
            TestServer.Response r = s.put("/v1/buckets/b/collections/c/records/r1", "alice",
                    "{\"data\": {\"kind\": \"" + kind + "\"}}");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.json().path("errno").asInt()).isEqualTo(999);
            assertThat(r.json().path("error").asText()).isEqualTo("Internal Server Error");
            assertThat(s.get("/v1/buckets/b/collections/c/records/r1", "alice").status())
                    .as("rolled back").isEqualTo(404);
            // the server and the listener still work
            assertThat(s.put("/v1/buckets/b/collections/c/records/r2", "alice", "{\"data\": {\"kind\": \"ok\"}}")
                    .status()).isEqualTo(201);
        }
    }

    @Test
    void aDurableDispatcherSurvivesEveryKindOfErrorAndRetries() throws Exception {
        try (TestServer s = start("durable")) {
            s.put("/v1/buckets/b", "alice", null);
            s.put("/v1/buckets/b/collections/c", "alice", null);
            String[] kinds = {"assertion", "stack", "missing", "linkage", "oom", "error"};
            for (String kind : kinds) {
                assertThat(s.put("/v1/buckets/b/collections/c/records/" + kind, "alice",
                        "{\"data\": {\"kind\": \"" + kind + "\"}}").status()).isEqualTo(201);
            }
            s.put("/v1/buckets/b/collections/c/records/fine", "alice", "{\"data\": {\"kind\": \"ok\"}}");
            // each failing event is retried max_attempts times, then dead-lettered; the thread goes on
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    s.get("/v1/__listeners__/boom", "alice").json().path("data").path("backlog").asInt() == 0);
            JsonNode info = s.get("/v1/__listeners__/boom", "alice").json().path("data");
            assertThat(info.path("dead_letters").asInt()).isEqualTo(kinds.length);
            assertThat(info.path("delivered").asInt()).isEqualTo(1);
            assertThat(info.path("failed").asInt()).isEqualTo(3 * kinds.length);
            assertThat(info.path("dead_letter_events").toString())
                    .contains("AssertionError", "StackOverflowError", "NoClassDefFoundError", "LinkageError",
                            "OutOfMemoryError", "java.lang.Error", "bundle the dependency");
        }
    }
}
