package org.kinto4j.server.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN}/{@code NOTIFY} for every process sharing a database: one dedicated
 * connection (outside the pool) listens on the channels subscribed to, and a background thread
 * hands each notification to the channel's subscribers. Subscribers also learn when the
 * connection is lost and when it is back (after {@code LISTEN} again), since notifications sent
 * meanwhile are lost: a cache must stop trusting itself until then.
 *
 * <p>{@link #send} queues a notification in a transaction; PostgreSQL delivers it at commit
 * only (never for a rollback), to every listening session, this process's included.
 */
public final class PgNotifications implements AutoCloseable {

    /** What a channel's subscriber is told. Called on the listener thread; must be quick. */
    public interface Subscriber {
        void onNotification(String payload);

        /** The connection is listening ({@code true}) or was lost ({@code false}). */
        void onListening(boolean listening);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);
    private static final int POLL_MILLIS = 1_000;
    private static final int CHECK_EVERY_POLLS = 10;
    private static final long RETRY_MILLIS = 1_000;

    private final String url;
    private final Properties credentials;
    private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile Connection connection;
    private volatile int backendPid;
    private volatile boolean restarting;
    private Thread thread;

    public PgNotifications(String url, String user, String password) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
    }

    /** Queues {@code NOTIFY channel, payload} in the transaction of {@code handle}. */
    public static void send(Handle handle, String channel, String payload) {
        handle.createQuery("SELECT pg_notify(?, ?)").bind(0, channel).bind(1, payload).mapTo(String.class).one();
    }

    /** Adds a subscriber; the listening thread starts with the first one. Channel: a plain identifier. */
    public synchronized void subscribe(String channel, Subscriber subscriber) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("channel must be a lower-case identifier: " + channel);
        }
        subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(subscriber);
        if (thread == null) {
            thread = new Thread(this::run, "kinto4j-pg-listen");
            thread.setDaemon(true);
            thread.start();
        } else {
            restarting = true;
            reconnect();
        }
    }

    private void run() {
        while (running) {
            try (Connection c = DriverManager.getConnection(url, credentials)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    for (String channel : subscribers.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                    try (var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                        backendPid = rs.next() ? rs.getInt(1) : 0;
                    }
                }
                LOG.info("Listening to PostgreSQL notifications on {}", subscribers.keySet());
                tellListening(true);
                listen(c);
            } catch (SQLException | RuntimeException e) {
                if (restarting) {
                    restarting = false;
                } else if (running) {
                    LOG.warn("PostgreSQL notifications connection lost ({}); caches off until it is back", e.toString());
                }
            } finally {
                connection = null;
                tellListening(false);
            }
            pause();
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        int quiet = 0;
        while (running) {
            PGNotification[] received = pg.getNotifications(POLL_MILLIS);
            if (received == null || received.length == 0) {
                if (++quiet >= CHECK_EVERY_POLLS) {
                    quiet = 0;
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    }
                }
                continue;
            }
            for (PGNotification n : received) {
                for (Subscriber s : subscribers.getOrDefault(n.getName(), List.of())) {
                    s.onNotification(n.getParameter());
                }
            }
        }
    }

    private void tellListening(boolean listening) {
        subscribers.values().forEach(list -> list.forEach(s -> s.onListening(listening)));
    }

    private synchronized void pause() {
        if (running) {
            try {
                wait(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** The PostgreSQL backend of the listening connection, 0 when not connected (tests). */
    int backendPid() {
        return connection == null ? 0 : backendPid;
    }

    /** Drops the connection so that the thread listens again, on every channel (also used by tests). */
    void reconnect() {
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the thread sees the closed connection and reconnects
            }
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        reconnect();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
