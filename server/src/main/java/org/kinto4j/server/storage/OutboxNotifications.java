package org.kinto4j.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL only: wakes the durable dispatcher when <em>another</em> process commits outbox
 * rows, so the process holding an instance's lease delivers at once instead of at its next
 * {@code durable.poll_interval}. Writers {@code NOTIFY} the {@value #CHANNEL} channel in the
 * transaction that inserts outbox rows ({@link OutboxStore#append}; PostgreSQL delivers it at
 * commit, never for a rollback); one thread per process {@code LISTEN}s on a connection of its
 * own and calls the wake-up. If the connection breaks it reconnects; polling still covers the gap.
 */
public final class OutboxNotifications implements AutoCloseable {

    /** The notification channel. */
    static final String CHANNEL = "kinto4j_outbox";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxNotifications.class);
    private static final int WAIT_MILLIS = 250;

    private final DataSource dataSource;
    private final String process;
    private final Runnable wake;
    private final long retryMillis;
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code process}: this process's id, as given to {@link OutboxStore#append}; its own notifications are ignored. */
    public OutboxNotifications(DataSource dataSource, String process, Runnable wake, long retryMillis) {
        this.dataSource = dataSource;
        this.process = process;
        this.wake = wake;
        this.retryMillis = Math.max(100, retryMillis);
        this.thread = new Thread(this::run, "kinto4j-outbox-listen");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                    if (fromAnotherProcess(received)) {
                        wake.run();
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *");
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Listening for other processes' outbox commits failed ({}); retrying in {} ms, polling meanwhile",
                        e.toString(), retryMillis);
                try {
                    Thread.sleep(retryMillis);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private boolean fromAnotherProcess(PGNotification[] received) {
        if (received != null) {
            for (PGNotification n : received) {
                if (!process.equals(n.getParameter())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
