package org.kinto4j.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Server;
import org.kinto4j.server.config.ConfigLoader;

/**
 * kinto.js sync (js/test/sync.test.mjs, unchanged) against three kinto4j servers sharing one
 * PostgreSQL, behind a round-robin proxy that sends each request to the next server: the sync
 * protocol (timestamps, ETags, tombstones, pagination, conflicts) holds when consecutive
 * requests of one client land on different servers. The three servers run in this JVM but share
 * nothing but the database (own pool, caches, notifications); the server module's
 * {@code ThreeProcessesTest} does the same with separate JVMs.
 *
 * <p>Needs {@code KINTO4J_TEST_POSTGRES_URL}, node 20.19+ and npm; skipped without them (failed under
 * {@code CI=true}).
 */
class ThreeServersSyncTest {

    private static final Path JS = Path.of("js").toAbsolutePath();

    @Test
    void kintoJsSyncsThroughThreeServersRoundRobin() throws Exception {
        String url = System.getenv("KINTO4J_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            unavailable("KINTO4J_TEST_POSTGRES_URL is not set (bash scripts/dev-services.sh prints it).");
        }
        String node = NodeTools.require("node", ThreeServersSyncTest::unavailable);
        String npm = NodeTools.require("npm", ThreeServersSyncTest::unavailable);
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "three-");
        NodeTools.requireVersion(node, work, ThreeServersSyncTest::unavailable);
        NodeTools.npmCiOnce(npm, JS, work);

        String schema = "k4j_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String storage = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        List<Server> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                servers.add(start(work.resolve("s" + i), storage));
            }
            List<String> backends = servers.stream().map(s -> "http://127.0.0.1:" + s.port()).toList();
            try (RoundRobinProxy proxy = new RoundRobinProxy(backends)) {
                NodeTools.Result run = NodeTools.run(List.of(node, "--test", "--test-reporter=spec",
                        JS.resolve("test/sync.test.mjs").toString()), JS, work,
                        Map.of("KINTO4J_URL", proxy.url() + "/v1"), 5);
                System.out.println(run.output());
                assertThat(run.exitCode()).as("node --test exit status (output above)").isZero();
                assertThat(run.output()).contains("ℹ fail 0").containsPattern("ℹ pass [1-9]");
                assertThat(proxy.served()).as("requests per server").hasSize(3)
                        .allSatisfy((backend, count) -> assertThat(count.get()).isGreaterThan(10));
            }
        } finally {
            servers.forEach(Server::close);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static Server start(Path dir, String storage) throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "http.host = \"127.0.0.1\"\nhttp.port = 0\n"
                + "storage.url = \"" + storage + "\"\n"
                + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath().toString().replace('\\', '/') + "\"\n");
        return Server.start(new ConfigLoader(Map.of()).load(conf), Map.of());
    }

    private static void unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " CI=true, so this is a failure rather than a skip.");
        }
        Assumptions.abort(reason);
    }
}
