package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit status 2 with a clear message for bad usage and bad configuration. */
class MainTest {

    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheVersion() {
        Outcome o = run(Map.of(), "version");
        assertThat(o.status()).isZero();
        assertThat(o.out()).startsWith("kinto4j ");
    }

    @Test
    void unknownCommandOrOptionExitsWithTwo() {
        assertThat(run(Map.of(), "serve").status()).isEqualTo(2);
        assertThat(run(Map.of(), "start", "--port", "1").err()).contains("Unknown option '--port'");
        assertThat(run(Map.of()).status()).isEqualTo(2);
    }

    @Test
    void badConfigurationStopsTheStartWithExitTwo() throws IOException {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "storage.pool_size = -3\n");
        Outcome o = run(Map.of(), "start", "--config", conf.toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("'storage.pool_size'").contains("bad.conf: 1").contains("-3");
    }

    @Test
    void migrateCreatesTheSchema() throws IOException {
        Path conf = dir.resolve("m.conf");
        Files.writeString(conf, "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k\"\n");
        Outcome first = run(Map.of(), "migrate", "--config", conf.toString());
        assertThat(first.status()).isZero();
        // Every migration of the list, whatever their number (branches add their own).
        assertThat(first.err()).containsPattern("Schema up to date \\([1-9][0-9]* migration\\(s\\) applied\\)");
        assertThat(run(Map.of(), "migrate", "--config", conf.toString()).err()).contains("0 migration(s) applied");
    }
}
