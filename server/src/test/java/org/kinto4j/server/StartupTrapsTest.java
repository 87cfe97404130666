package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.listeners.PluginJar;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Migrations;
import org.kinto4j.server.storage.ServerInfo;

/** Start-up failures a newcomer hits: one line saying what, where and the fix, exit status 2. */
class StartupTrapsTest {

    @TempDir
    Path dir;

    private record Outcome(int status, String err) {
    }

    private Outcome start(String config) throws Exception {
        Path conf = dir.resolve("start.conf");
        Files.writeString(conf, config);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"start", "--config", conf.toString()}, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, err.toString(StandardCharsets.UTF_8));
    }

    private String h2(String name) {
        return "storage.url = \"jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + "/kinto4j\"\n"
                + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n";
    }

    @Test
    void aPortInUseIsOneConfigurationErrorLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Outcome o = start(h2("db") + "http.port = " + taken.getLocalPort() + "\n");
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err().strip().lines()).hasSize(1);
            assertThat(o.err()).startsWith("Configuration error: port " + taken.getLocalPort())
                    .contains("already in use", "start.conf", "http.port");
        }
    }

    @Test
    void anH2DatabaseLockedByAnotherProcessIsOneConfigurationErrorLine() throws Exception {
        try (ServerProcess other = ServerProcess.start(dir, h2("shared"), ServerProcess.freePort(), Map.of())) {
            Outcome o = start(h2("shared") + "http.port = 0\n");
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err().strip().lines()).hasSize(1);
            assertThat(o.err()).startsWith("Configuration error: the H2 database")
                    .contains("locked by another process", "storage.url", "PostgreSQL");
        }
    }

    @Test
    void aCorruptJarIsNotAValidJar() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        Files.write(dir.resolve("plugins/broken.jar"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        Outcome o = start(h2("db") + "http.port = 0\n");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("broken.jar is not a valid jar", "remove it from the plugins folder");
    }

    @Test
    void aMissingPluginDependencySaysToBundleIt() throws Exception {
        Path dep = PluginJar.create().source("dep.Lib", "package dep; public class Lib { public static int v() { return 1; } }")
                .writeTo(dir.resolve("dep.jar"));
        PluginJar.create().compileAgainst(dep).factory("needs.NeedsFactory").source("needs.NeedsFactory", """
                package needs;
                import org.kinto4j.listener.*;
                public class NeedsFactory implements ListenerFactory {
                    @Override public String name() { return "needs"; }
                    @Override public Listener create(ListenerContext context) { dep.Lib.v(); return event -> { }; }
                }
                """).writeTo(dir.resolve("plugins/needs.jar"));
        Outcome o = start(h2("db") + "http.port = 0\nevent_listeners { n { use = needs } }\n");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("NoClassDefFoundError", "dep/Lib",
                "bundle the dependency in the plugin's jar or put its jars in the plugin's folder");
    }

    @Test
    void aDemoConfigIncludingServerConfKeepsItsSecret() throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/server.conf"), "userid_hmac_secret = \"change-me\"\n");
        Files.writeString(dir.resolve("conf/queue.conf"), "include \"server.conf\"\nevent_listeners {}\n");
        assertThat(new ConfigLoader(Map.of()).load(dir.resolve("conf/queue.conf")).useridHmacSecret())
                .isEqualTo("change-me");
    }

    @Test
    void dataWrittenUnderAnotherSecretIsDetected() throws Exception {
        Files.writeString(dir.resolve("c.conf"), h2("db"));
        try (Database db = new Database(new ConfigLoader(Map.of()).load(dir.resolve("c.conf")).storage())) {
            new Migrations(db.jdbi(), db.dialect()).migrate();
            UseridSecretCheck check = new UseridSecretCheck(new ServerInfo(db.jdbi(), db.dialect()));
            assertThat(check.check("change-me")).as("first start records").isFalse();
            assertThat(check.check("change-me")).as("same secret").isFalse();
            assertThat(check.check("")).as("another secret").isTrue();
            assertThat(new ServerInfo(db.jdbi(), db.dialect()).get("userid_hmac_secret_fingerprint").orElseThrow())
                    .doesNotContain("change-me").isEqualTo(UseridSecretCheck.fingerprint(""));
        }
    }

    @Test
    void theOperationsEndpointShowsTheRetriedErrorAndAllResources() throws Exception {
        String alice = new BasicAuth("").userId(TestServer.basic("alice")).orElseThrow();
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        try (TestServer s = TestServer.startIn(dir, "admin_principals = [\"" + alice + "\"]\n"
                + "event_listeners { q { use = recorder, delivery = durable, fail_times = 1000, file = \""
                + dir.resolve("out") + "\", retry { initial_delay = 1h, max_delay = 1h } } }", Map.of())) {
            s.put("/v1/buckets/b", "alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    !s.get("/v1/__listeners__/q", "alice").json().path("data").path("retrying_error").isNull());
            JsonNode q = s.get("/v1/__listeners__", "alice").json().path("data").get(0);
            assertThat(q.path("retrying_error").asText()).contains("recorder failing call 1 of 1000");
            assertThat(q.path("resources").asText()).isEqualTo("all");
            assertThat(q.path("backlog").asInt()).isEqualTo(1);
        }
    }
}
