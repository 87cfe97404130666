package org.kinto4j.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.kinto4j.server.config.ConfigLoader;

/** Databases for storage tests: opened through the real configuration and migrated. */
final class MigratedDatabases {

    private MigratedDatabases() {
    }

    /** An embedded H2 database in {@code dir}. */
    static Database h2(Path dir) throws Exception {
        return open(dir, "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k");
    }

    /** The database at {@code url}, configured in a file written to {@code dir}. */
    static Database open(Path dir, String url) throws Exception {
        Files.writeString(dir.resolve("c.conf"), "storage.url = \"" + url + "\"\n");
        Database db = new Database(new ConfigLoader(Map.of()).load(dir.resolve("c.conf")).storage());
        new Migrations(db.jdbi(), db.dialect()).migrate();
        return db;
    }
}
