package org.kinto4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.indexes}: empty by default, entries kept, a malformed entry fails the start naming it. */
class StorageIndexesConfigTest {

    @TempDir
    Path dir;

    @Test
    void declaredIndexesAreReadAndAMalformedEntryIsNamedWithItsFileAndLine() throws IOException {
        assertThat(new ConfigLoader(Map.of()).load(null).storage().indexes()).isEmpty();
        Path good = Files.writeString(dir.resolve("good.conf"), "storage.indexes = [\"blog/articles:author.name\"]\n");
        assertThat(new ConfigLoader(Map.of()).load(good).storage().indexes()).containsExactly("blog/articles:author.name");
        Path bad = Files.writeString(dir.resolve("server.conf"), "# indexes\nstorage {\n  indexes = [\"articles:title\"]\n}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(bad))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("'storage.indexes'")
                .hasMessageContaining("server.conf: 3")
                .hasMessageContaining("\"articles:title\"")
                .hasMessageContaining("<bucket id>/<collection id>:<field>");
    }
}
