package org.kinto4j.server.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kinto4j.server.config.ServerSettings;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How server processes sharing one PostgreSQL learn of each other's commits: after each commit
 * the process {@code NOTIFY}s {@code kinto4j_changes} with a small payload (bucket, collection,
 * action per timestamp); each process LISTENs on its own connection and then reads the changes
 * from storage. Chosen over polling: no query load while idle and no polling delay.
 *
 * <p>The notifications are sent by one thread per process on its own connection, after the
 * commit (the request waits for it), the notices of commits made meanwhile in one statement.
 * Not inside the writing transaction: a transaction that notifies takes a database-wide lock at
 * its commit, which serialised every write of every process (record POSTs at 428 req/s instead
 * of 763 on the reference machine). The price: a process that dies between a commit and its notification
 * leaves the others unaware of that commit until the next change of the collection or, at the
 * latest, the next {@value #BACKSTOP_MILLIS} ms backstop read. After the listening connection is
 * lost and re-opened, every watched collection is read again, so nothing committed meanwhile is
 * missed.
 */
final class PgChangeChannel implements AutoCloseable {

    static final String CHANNEL = "kinto4j_changes";
    static final long BACKSTOP_MILLIS = 10_000;
    private static final int MAX_QUEUED = 10_000;
    private static final long SEND_WAIT_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeChannel.class);

    private final ServerSettings.Storage storage;
    private final String origin;
    private final Consumer<Notice> sink;
    private final Thread thread;
    private final Thread notifier;
    private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private volatile boolean running = true;
    private volatile Connection connection;
    private volatile Connection notifyConnection;

    PgChangeChannel(ServerSettings.Storage storage, String origin, Consumer<Notice> sink) {
        this.storage = storage;
        this.origin = origin;
        this.sink = sink;
        this.thread = new Thread(this::run, "kinto4j-feed-listen");
        this.thread.setDaemon(true);
        this.notifier = new Thread(this::sendLoop, "kinto4j-feed-notify");
        this.notifier.setDaemon(true);
    }

    void start() {
        thread.start();
        notifier.start();
    }

    /** The notices of one commit, and when they were sent. */
    private record Outgoing(List<String> payloads, CompletableFuture<Void> sent) {
    }

    /**
     * After a commit: hands its notices to the sending thread and waits until they are sent (at
     * most {@value #SEND_WAIT_MILLIS} ms), so that a client who next writes through another
     * process finds this commit announced there first, as it was when the notification went
     * with the commit. Concurrent commits share one round trip.
     */
    void announce(List<Notice> notices) {
        if (notices.isEmpty()) {
            return;
        }
        List<String> payloads = new ArrayList<>(notices.size());
        for (Notice n : notices) {
            payloads.add(Notices.toJson(n));
        }
        Outgoing outgoing = new Outgoing(payloads, new CompletableFuture<>());
        if (!queue.offer(outgoing)) {
            return; // PostgreSQL unreachable for long: the others catch up through their backstop read
        }
        try {
            outgoing.sent().get(SEND_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the commit stands; the notification goes when PostgreSQL answers again
        }
    }

    private void sendLoop() {
        List<Outgoing> batch = new ArrayList<>();
        long backoff = 200;
        while (running) {
            try {
                if (batch.isEmpty()) {
                    Outgoing first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, 255);
                }
                send(batch);
                batch.forEach(o -> o.sent().complete(null));
                batch.clear();
                backoff = 200;
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                closeQuietly(notifyConnection);
                notifyConnection = null;
                if (!pauseAfter("NOTIFY to PostgreSQL failed", e, backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /** One statement, one autocommit transaction, for every notice queued meanwhile. */
    private void send(List<Outgoing> batch) throws SQLException {
        Connection c = notifyConnection;
        if (c == null) {
            c = connect();
            try (Statement st = c.createStatement()) {
                // nothing durable is written: the commit need not wait for the WAL flush, and the
                // notifications still go out at commit
                st.execute("SET synchronous_commit = off");
            }
            notifyConnection = c;
        }
        List<String> payloads = new ArrayList<>();
        batch.forEach(o -> payloads.addAll(o.payloads()));
        try (PreparedStatement st = c.prepareStatement("SELECT count(pg_notify(?, p)) FROM unnest(?::text[]) AS p")) {
            st.setString(1, CHANNEL);
            st.setArray(2, c.createArrayOf("text", payloads.toArray()));
            st.executeQuery().close();
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
                long backstopAt = System.currentTimeMillis() + BACKSTOP_MILLIS;
                while (running) {
                    PGNotification[] received = pg.getNotifications(1_000);
                    if (System.currentTimeMillis() >= backstopAt) {
                        sink.accept(Notice.everything());
                        backstopAt = System.currentTimeMillis() + BACKSTOP_MILLIS;
                    }
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        receive(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!pauseAfter("LISTEN connection to PostgreSQL failed", e, backoff)) {
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

    /** Logs the failure and waits {@code backoff} ms; false when the channel is closing. */
    private boolean pauseAfter(String what, Exception e, long backoff) {
        if (!running) {
            return false;
        }
        LOG.warn("Change feed: {} ({}); retrying in {} ms", what, e.toString(), backoff);
        try {
            Thread.sleep(backoff);
            return running;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        running = false;
        closeQuietly(connection);
        thread.interrupt();
        notifier.interrupt();
        try {
            thread.join(5_000);
            notifier.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(notifyConnection);
        queue.forEach(o -> o.sent().complete(null)); // requests still waiting go on: the server is stopping
    }
}
