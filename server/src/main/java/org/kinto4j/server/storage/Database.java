package org.kinto4j.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.config.ServerSettings;

/** The process's one connection pool and its {@link Jdbi}. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;

    public Database(ServerSettings.Storage settings) {
        this.dialect = Dialect.of(settings.url());
        HikariConfig config = new HikariConfig();
        config.setPoolName("kinto4j-storage");
        config.setJdbcUrl(jdbcUrl(settings.url(), dialect));
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(Math.max(250, settings.connectionTimeout().toMillis()));
        config.setAutoCommit(true);
        config.setInitializationFailTimeout(-1);
        if (dialect == Dialect.POSTGRESQL) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        this.dataSource = new HikariDataSource(config);
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * H2 keeps committed transactions in memory for up to WRITE_DELAY ms by default; a kill -9 in
     * that window loses acknowledged writes. WRITE_DELAY=0 writes each commit to the file (the
     * operating system then has it, so a killed process loses nothing). LOCK_TIMEOUT is raised
     * because writers are serialised in the JVM anyway.
     */
    static String jdbcUrl(String url, Dialect dialect) {
        if (dialect != Dialect.H2) {
            return url;
        }
        String upper = url.toUpperCase();
        StringBuilder sb = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            sb.append(";WRITE_DELAY=0");
        }
        if (!upper.contains(";LOCK_TIMEOUT=")) {
            sb.append(";LOCK_TIMEOUT=10000");
        }
        return sb.toString();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
