package org.kinto4j.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Server;
import org.kinto4j.server.config.ConfigLoader;

/**
 * Kinto's official JavaScript clients, unchanged from the npm registry, against the real
 * server: kinto-http (CRUD, permissions, groups, batch, pagination, permissions endpoint,
 * schema errors, Backoff and Alert events) and kinto.js (two offline databases syncing through
 * kinto4j, deletions, conflicts with every strategy, server-side pagination, back-off). The JavaScript tests live in {@code js/test/}; this test starts
 * the servers, installs the locked packages once ({@code npm ci}, cached in
 * {@code js/node_modules}) and runs {@code node --test} with the server URLs in the environment.
 *
 * <p>Needs node 20.19+ and npm on the PATH; the module never downloads node. Without them the
 * test is skipped with a message, except when {@code CI=true}, where it fails.
 */
class OfficialClientsTest {

    private static final Path JS = Path.of("js").toAbsolutePath();
    private static final int[] MIN_NODE = {20, 19};
    private static final long NODE_TIMEOUT_MINUTES = 10;

    private static Server server;
    private static Server paginatedServer;
    private static Server backoffServer;
    private static Path workDir;

    @BeforeAll
    static void startServers() throws IOException {
        workDir = Files.createTempDirectory(Path.of("target"), "clients-");
        server = start("main", "experimental_permissions_endpoint = true\n"
                + "includes = [history]\n"
                + "experimental_collection_schema_validation = true\n");
        // A server that pages every list by 3: the clients must follow Next-Page on their own.
        paginatedServer = start("paginated", "paginate_by = 3\n");
        // A server asking clients to back off: kinto-http records it, kinto.js refuses to sync.
        backoffServer = start("backoff", "backoff = 30\n");
    }

    @AfterAll
    static void stopServers() {
        if (server != null) {
            server.close();
        }
        if (paginatedServer != null) {
            paginatedServer.close();
        }
        if (backoffServer != null) {
            backoffServer.close();
        }
    }

    private static Server start(String name, String extra) throws IOException {
        Path dir = workDir.resolve(name);
        Files.createDirectories(dir.resolve("plugins"));
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, "http.host = \"127.0.0.1\"\n"
                + "http.port = 0\n"
                + "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath().toString().replace('\\', '/')
                + "/kinto4j\"\n"
                + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath().toString().replace('\\', '/') + "\"\n"
                + extra);
        return Server.start(new ConfigLoader(Map.of()).load(conf), Map.of());
    }

    @Test
    void kintoHttpAndKintoJsWorkUnchangedAgainstKinto4j() throws Exception {
        String node = NodeTools.require("node", OfficialClientsTest::unavailable);
        String npm = NodeTools.require("npm", OfficialClientsTest::unavailable);
        NodeTools.requireVersion(node, workDir, OfficialClientsTest::unavailable);
        NodeTools.npmCiOnce(npm, JS, workDir);

        List<String> command = new ArrayList<>(List.of(node, "--test", "--test-reporter=spec",
                "--test-concurrency=1"));
        try (var files = Files.list(JS.resolve("test"))) {
            files.map(Path::toString).filter(f -> f.endsWith(".test.mjs")).sorted().forEach(command::add);
        }
        NodeTools.Result run = NodeTools.run(command, JS, workDir, Map.of(
                "KINTO4J_URL", "http://127.0.0.1:" + server.port() + "/v1",
                "KINTO4J_PAGINATED_URL", "http://127.0.0.1:" + paginatedServer.port() + "/v1",
                "KINTO4J_BACKOFF_URL", "http://127.0.0.1:" + backoffServer.port() + "/v1"),
                NODE_TIMEOUT_MINUTES);
        System.out.println(run.output());
        assertThat(run.exitCode()).as("node --test exit status (output above)").isZero();
        assertThat(run.output()).as("node --test summary").contains("ℹ fail 0").containsPattern("ℹ pass [1-9]");
    }

    // ---- node and npm -----------------------------------------------------------------------

    private static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (locally) or fails (CI=true) with the reason. */
    private static void unavailable(String reason) {
        String message = reason + " The official-clients test needs node " + MIN_NODE[0] + "." + MIN_NODE[1]
                + "+ and npm on the PATH (kinto.js needs 20.19+: Debian 12's own nodejs package is 18, "
                + "NodeSource's nodejs 20 or 22 packages work).";
        if (onCi()) {
            fail(message + " CI=true, so this is a failure rather than a skip.");
        }
        Assumptions.abort(message);
    }

}
