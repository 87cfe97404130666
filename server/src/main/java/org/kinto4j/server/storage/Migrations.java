package org.kinto4j.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, one SQL file per version and dialect
 * ({@code db/<dialect>/V<n>__<what>.sql}), applied in order inside one transaction each and
 * recorded in {@code schema_version}. The list of files is fixed in {@link #VERSIONS}.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /**
     * Every migration, in order; its version is the number after {@code V} in its name (numbers
     * may have gaps, so work done in parallel can reserve numbers). Add new ones at the end;
     * never edit an applied one.
     */
    static final List<String> VERSIONS = List.of(
            "V1__objects_permissions_timestamps",
            "V2__outbox",
            "V3__jsonb_objects",
            "V4__unique_timestamps_pagination_tokens",
            "V5__listener_state",
            "V6__lease_fencing_server_info",
            "V7__outbox_delivered_mark");

    private final Jdbi jdbi;
    private final Dialect dialect;

    public Migrations(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /** Applies the pending migrations; returns how many were applied. */
    public int migrate() {
        return jdbi.inTransaction(handle -> {
            if (dialect == Dialect.POSTGRESQL) {
                // Processes starting together on an empty database: CREATE TABLE IF NOT EXISTS
                // itself races (duplicate pg_type row), so they queue on a lock first.
                handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7234001)) AS locked")
                        .mapTo(Integer.class).one();
            }
            handle.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INT PRIMARY KEY, description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            if (dialect == Dialect.POSTGRESQL) {
                // Two processes starting together on one database: the second waits here.
                handle.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
            }
            Set<Integer> applied = new TreeSet<>(handle.createQuery("SELECT version FROM schema_version")
                    .mapTo(Integer.class).list());
            int count = 0;
            for (String name : VERSIONS) {
                int version = version(name);
                if (applied.contains(version)) {
                    continue;
                }
                apply(handle, name);
                handle.createUpdate("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")
                        .bind(0, version).bind(1, name).bind(2, System.currentTimeMillis()).execute();
                LOG.info("Applied schema migration {} ({})", name, dialect.name().toLowerCase());
                count++;
            }
            return count;
        });
    }

    static int version(String name) {
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private void apply(Handle handle, String name) {
        String path = dialect.migrationFolder() + "/" + name + ".sql";
        for (String statement : statements(read(path))) {
            handle.execute(statement);
        }
    }

    private static String read(String path) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration " + path + " is missing from the server jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + path, e);
        }
    }

    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        for (String part : sql.split(";\\s*(\\r?\\n|$)")) {
            String trimmed = part.strip();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }
}
