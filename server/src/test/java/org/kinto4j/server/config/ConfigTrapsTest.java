package org.kinto4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What newcomers tripped on: misspelled server keys, and a block left open. */
class ConfigTrapsTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("server.conf");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void aMisspelledKeyInABlockIsRefusedWithTheNearestKnownKeyFileAndLine() throws IOException {
        Path f = file("# comment\nhttp {\n  prot = 9999\n}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(f))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("Unknown setting 'http.prot'")
                .hasMessageContaining("server.conf: 3")
                .hasMessageContaining("Did you mean 'http.port'?");
    }

    @Test
    void aMisspelledTopLevelKeyIsRefused() throws IOException {
        Path f = file("admin_principal = [\"basicauth:x\"]\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(f))
                .hasMessageContaining("Unknown setting 'admin_principal'")
                .hasMessageContaining("Did you mean 'admin_principals'?");
    }

    @Test
    void listenerKeysAndKnownKeysAreAccepted() throws IOException {
        Path f = file("http.port = 0\nevent_listeners { q { use = redis, whatever = 1 } }\ndurable.retry.max_attempts = 3\n");
        assertThat(new ConfigLoader(Map.of()).load(f).http().port()).isZero();
    }

    @Test
    void anUnclosedBlockGetsAHint() throws IOException {
        Path f = file("http {\n  port = 9999\nevent_listeners {}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(f))
                .hasMessageContaining("server.conf")
                .hasMessageContaining("'{' or '[' is probably not closed");
    }
}
