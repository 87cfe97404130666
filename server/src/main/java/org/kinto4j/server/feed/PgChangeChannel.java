package org.kinto4j.server.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.storage.Tx;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How server processes sharing one PostgreSQL learn of each other's commits: each writing
 * transaction sends {@code NOTIFY kinto4j_changes} with a small payload (bucket, collection,
 * action per timestamp) inside the transaction, so PostgreSQL delivers it at commit and only
 * if it commits, in commit order; each process LISTENs on its own connection and then reads the
 * changes from storage. Chosen over polling: no query load while idle and no polling delay. After
 * the listening connection is lost and re-opened, every watched collection is read again, so
 * nothing committed meanwhile is missed.
 */
final class PgChangeChannel implements AutoCloseable {

    static final String CHANNEL = "kinto4j_changes";
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeChannel.class);

    private final ServerSettings.Storage storage;
    private final String origin;
    private final Consumer<Notice> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    PgChangeChannel(ServerSettings.Storage storage, String origin, Consumer<Notice> sink) {
        this.storage = storage;
        this.origin = origin;
        this.sink = sink;
        this.thread = new Thread(this::run, "kinto4j-feed-listen");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Inside the writing transaction: NOTIFY is delivered at commit, and only then. */
    void send(Tx tx, List<Notice> notices) {
        for (Notice n : notices) {
            tx.handle().createQuery("SELECT 1 FROM (SELECT pg_notify(?, ?)) AS sent")
                    .bind(0, CHANNEL).bind(1, Notices.toJson(n)).mapTo(Integer.class).one();
        }
    }

    private void run() {
        long backoff = 200;
        boolean first = true;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                if (!first) {
                    sink.accept(Notice.everything());
                }
                first = false;
                backoff = 200;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(1_000);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        receive(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Change feed: LISTEN connection to PostgreSQL failed ({}); retrying in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            } finally {
                connection = null;
            }
        }
    }

    private void receive(String payload) {
        try {
            Notice n = Notices.fromJson(payload);
            if (!origin.equals(n.origin())) {
                sink.accept(n);
            }
        } catch (Exception e) {
            LOG.warn("Change feed: ignoring a malformed notification: {}", e.toString());
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (!storage.user().isEmpty()) {
            p.setProperty("user", storage.user());
        }
        if (!storage.password().isEmpty()) {
            p.setProperty("password", storage.password());
        }
        p.setProperty("ApplicationName", "kinto4j-feed");
        return DriverManager.getConnection(storage.url(), p);
    }

    @Override
    public void close() {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
