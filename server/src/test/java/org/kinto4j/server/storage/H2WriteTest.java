package org.kinto4j.server.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2WriteTest extends WriteContract {

    @TempDir
    Path dir;

    @Override
    String jdbcUrl() {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
    }
}
