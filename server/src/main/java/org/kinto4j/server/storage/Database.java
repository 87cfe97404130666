package org.kinto4j.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.config.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The process's connection pools and their {@link Jdbi}s: one for requests, a small one for delivery. */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Connections of the delivery pool ({@link #deliveryJdbi()}), besides {@code storage.pool_size}. */
    public static final int DELIVERY_POOL_SIZE = 3;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final HikariDataSource delivery;
    private final Jdbi deliveryJdbi;
    private final Dialect dialect;
    private final H2GroupCommit groupCommit;
    private final H2FileSync fileSync;
    private final PgNotifications notifications;

    public Database(ServerSettings.Storage settings) {
        this(settings, Runtime.getRuntime().maxMemory());
    }

    /** {@code maxHeapBytes}: the heap that sizes H2's page cache ({@link #h2CacheKb}). */
    Database(ServerSettings.Storage settings, long maxHeapBytes) {
        this.dialect = Dialect.of(settings.url());
        String url = jdbcUrl(settings.url(), dialect, maxHeapBytes);
        HikariConfig config = poolConfig(settings, url, "kinto4j-storage", settings.poolSize(),
                Math.min(2, settings.poolSize()));
        this.dataSource = new HikariDataSource(config);
        this.jdbi = Jdbi.create(dataSource);
        this.delivery = new HikariDataSource(poolConfig(settings, url, "kinto4j-delivery", DELIVERY_POOL_SIZE, 1));
        this.deliveryJdbi = Jdbi.create(delivery);
        MVStore h2 = dialect == Dialect.H2 ? h2Store(dataSource) : null;
        this.groupCommit = h2 != null && !url.toUpperCase().contains(";WRITE_DELAY=0") ? new H2GroupCommit(h2) : null;
        this.fileSync = h2 != null ? H2FileSync.start(h2) : null;
        this.notifications = dialect == Dialect.POSTGRESQL
                ? new PgNotifications(settings.url(), settings.user(), settings.password()) : null;
    }

    /** The store of an H2 pool, or {@code null} when it cannot be reached. */
    static MVStore h2Store(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            JdbcConnection h2 = c.unwrap(JdbcConnection.class);
            return ((SessionLocal) h2.getSession()).getDatabase().getStore().getMvStore();
        } catch (SQLException | ClassCastException | NullPointerException e) {
            LOG.warn("H2's store cannot be reached ({}): no group commit (every commit is written to the file) "
                    + "and no periodic sync", e.toString());
            return null;
        }
    }

    private HikariConfig poolConfig(ServerSettings.Storage settings, String url, String name, int size, int minIdle) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(minIdle);
        config.setConnectionTimeout(Math.max(250, settings.connectionTimeout().toMillis()));
        config.setAutoCommit(true);
        config.setInitializationFailTimeout(-1);
        if (dialect == Dialect.POSTGRESQL) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return config;
    }

    /**
     * The durable delivery's own small pool. Request threads hold their connection until their
     * commit is durable, so under load they keep the main pool busy; a delivery worker queued
     * behind them waited for a connection for most of its round (commit-to-delivery p99 101 ms
     * instead of 30 at 150 POST/s on H2). Its statements are short, so a few connections serve
     * every worker.
     */
    public Jdbi deliveryJdbi() {
        return deliveryJdbi;
    }

    /** LISTEN/NOTIFY among the processes sharing this database (PostgreSQL only). */
    public java.util.Optional<PgNotifications> notifications() {
        return java.util.Optional.ofNullable(notifications);
    }

    /**
     * H2 settings: LOCK_TIMEOUT is raised because writers are serialised in the JVM anyway, the
     * per-session statement cache is made large enough for the server's statements, and the page
     * cache is sized to the heap ({@link #h2CacheKb}). Settings already in the URL win. Writes are
     * made durable by {@link H2GroupCommit}.
     */
    static String jdbcUrl(String url, Dialect dialect, long maxHeapBytes) {
        if (dialect != Dialect.H2) {
            return url;
        }
        String upper = url.toUpperCase();
        StringBuilder sb = new StringBuilder(url);
        if (!upper.contains(";LOCK_TIMEOUT=")) {
            sb.append(";LOCK_TIMEOUT=10000");
        }
        if (!upper.contains(";QUERY_CACHE_SIZE=")) {
            sb.append(";QUERY_CACHE_SIZE=128");
        }
        if (!upper.contains(";CACHE_SIZE=")) {
            sb.append(";CACHE_SIZE=").append(h2CacheKb(maxHeapBytes));
        }
        return sb.toString();
    }

    /**
     * H2's page cache in KB: an 80th of the heap, between 1 and 16 MB (H2's own default is 16 MB
     * whatever the heap). Every page a commit writes enters that cache and leaves it when newer
     * pages push it out; in a 16 MB cache under the launcher's 160 MB heap that takes long enough
     * for the pages to be copied to the old generation, which then fills every few seconds and is
     * collected in one pause of 60-120 ms, the longest stop a durable listener's delivery sees. A
     * 2 MB cache lets them die young (bench/RESULTS.md, "the H2 page cache and the old generation").
     */
    static long h2CacheKb(long maxHeapBytes) {
        long kb = maxHeapBytes / 80 / 1024;
        return Math.max(1024, Math.min(16 * 1024, kb));
    }

    /** Waits until this thread's committed writes are durable (H2 group commit; PostgreSQL commits are). */
    public void awaitDurable() {
        if (groupCommit != null) {
            groupCommit.awaitDurable();
        }
    }

    /**
     * Returns once every commit made before this call is durable: on H2, a commit that another
     * connection can already read may still be waiting for its file write (PostgreSQL: no wait).
     */
    public void awaitCommitsDurable() {
        if (groupCommit != null) {
            groupCommit.awaitCommitsDurable();
        }
    }

    /** The embedded database's group commit, or null (PostgreSQL; H2 with WRITE_DELAY=0). */
    H2GroupCommit groupCommit() {
        return groupCommit;
    }

    /**
     * Holds the embedded database's file writes until the returned handle is closed, so that
     * commits stay in memory only (fault tests); a no-op on PostgreSQL.
     */
    public AutoCloseable holdFileWrites() {
        return groupCommit != null ? groupCommit.holdFileWrites() : () -> { };
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
        if (notifications != null) {
            notifications.close();
        }
        if (fileSync != null) {
            fileSync.close();
        }
        if (groupCommit != null) {
            groupCommit.close();
        }
        delivery.close();
        dataSource.close();
    }
}
