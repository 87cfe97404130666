package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.listener.Delivery;
import org.kinto4j.server.config.ListenerConfig;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of durable delivery: one thread per {@code durable} instance delivers its
 * outbox rows in commit (seq) order, at least once. A failing row is retried with exponential
 * backoff before anything after it (no reordering), then dead-lettered and kept.
 *
 * <p>Several processes may share one database: an instance's rows are delivered only by the
 * process holding that instance's lease (a row in {@code outbox_leases}, renewed while working,
 * taken over when it expires), so under normal operation each event is delivered once; if the
 * holder dies mid-delivery, the next holder redelivers the unacknowledged row with the same
 * event id.
 */
public final class DurableDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableDispatcher.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    /** One outbox row. */
    public record OutboxRow(long seq, String eventId, String listener, String payload, long createdAt, String status,
            int attempts, long nextAttemptAt, String lastError) {
    }

    /** Backlog figures of one instance for the operations endpoint. */
    public record Backlog(long pending, Long oldestPendingAgeMillis, long dead, long deliveredKept) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ServerSettings.Durable settings;
    private final LongSupplier clock;
    private final List<Worker> workers = new ArrayList<>();
    private final String owner;
    private final Map<String, ListenerInstance> durable = new ConcurrentHashMap<>();

    public DurableDispatcher(Database database, ListenerRegistry registry, ServerSettings.Durable settings,
            LongSupplier clock) {
        this.jdbi = database.jdbi();
        this.dialect = database.dialect();
        this.settings = settings;
        this.clock = clock;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        for (ListenerInstance i : registry.instances()) {
            if (i.delivery() == Delivery.DURABLE) {
                durable.put(i.name(), i);
                workers.add(new Worker(i));
            }
        }
    }

    public void start() {
        if (dialect == Dialect.H2 && !workers.isEmpty()) {
            // The embedded database is locked by this one process: leases left by a killed
            // predecessor can be taken over at once instead of after claim_timeout.
            jdbi.useHandle(h -> h.createUpdate("UPDATE outbox_leases SET expires_at = 0").execute());
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** Wakes the workers after a local commit that wrote outbox rows. */
    public void wake() {
        for (Worker w : workers) {
            w.wake();
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.stop();
        }
        for (Worker w : workers) {
            try {
                w.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            w.releaseLease();
        }
    }

    public boolean isDurable(String instance) {
        return durable.containsKey(instance);
    }

    // ---- operations ------------------------------------------------------------------------

    public Backlog backlog(String instance) {
        return jdbi.withHandle(h -> {
            long pending = h.createQuery("SELECT COUNT(*) FROM outbox WHERE listener = ? AND status = 'pending'")
                    .bind(0, instance).mapTo(Long.class).one();
            Optional<Long> oldest = h.createQuery("SELECT MIN(created_at) FROM outbox WHERE listener = ? AND status = 'pending'")
                    .bind(0, instance).mapTo(Long.class).findOne();
            long dead = h.createQuery("SELECT COUNT(*) FROM outbox WHERE listener = ? AND status = 'dead'")
                    .bind(0, instance).mapTo(Long.class).one();
            long kept = h.createQuery("SELECT COUNT(*) FROM outbox WHERE listener = ? AND status = 'delivered'")
                    .bind(0, instance).mapTo(Long.class).one();
            Long age = oldest.filter(v -> v != null && v > 0).map(v -> Math.max(0, clock.getAsLong() - v)).orElse(null);
            return new Backlog(pending, age, dead, kept);
        });
    }

    public List<OutboxRow> deadLetters(String instance, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, event_id, listener, payload, created_at, status, attempts, "
                        + "next_attempt_at, last_error FROM outbox WHERE listener = ? AND status = 'dead' ORDER BY seq")
                .bind(0, instance).setMaxRows(limit).map(DurableDispatcher::row).list());
    }

    /** Puts dead letters back in the queue (all of them, or one event id); returns how many. */
    public int requeue(String instance, String eventId) {
        int n = jdbi.withHandle(h -> {
            String sql = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL "
                    + "WHERE listener = ? AND status = 'dead'" + (eventId == null ? "" : " AND event_id = ?");
            var u = h.createUpdate(sql).bind(0, clock.getAsLong()).bind(1, instance);
            if (eventId != null) {
                u.bind(2, eventId);
            }
            return u.execute();
        });
        if (n > 0) {
            LOG.info("Re-queued {} dead letter(s) of listener '{}'", n, instance);
            wake();
        }
        return n;
    }

    private static OutboxRow row(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getInt(7), rs.getLong(8), rs.getString(9));
    }

    // ---- delivery ---------------------------------------------------------------------------

    private final class Worker implements Runnable {
        private final ListenerInstance instance;
        private final ListenerConfig.RetryPolicy retry;
        private final Thread thread;
        private final Object signal = new Object();
        private volatile boolean running = true;
        private boolean woken;
        private long leaseExpiresAt;
        private long lastCleanup;

        Worker(ListenerInstance instance) {
            this.instance = instance;
            this.retry = instance.config().retry();
            this.thread = new Thread(this, "kinto4j-durable-" + instance.name());
            this.thread.setDaemon(true);
        }

        void wake() {
            synchronized (signal) {
                woken = true;
                signal.notifyAll();
            }
        }

        void stop() {
            running = false;
            wake();
        }

        private void pause(long millis) {
            if (millis <= 0) {
                return;
            }
            synchronized (signal) {
                long deadline = System.currentTimeMillis() + millis;
                while (running && !woken) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        signal.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        running = false;
                    }
                }
                woken = false;
            }
        }

        @Override
        public void run() {
            long poll = settings.pollInterval().toMillis();
            while (running) {
                try {
                    if (!holdLease()) {
                        pause(poll);
                        continue;
                    }
                    long wait = deliverSome();
                    cleanupNow();
                    if (wait != 0) {
                        pause(wait < 0 ? poll : Math.min(wait, poll));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Durable delivery of listener '{}' hit a storage error, retrying: {}", instance.name(),
                            e.toString());
                    pause(poll);
                }
            }
        }

        /** Delivers due rows in order. Returns 0 to loop at once, -1 to wait a poll, or ms until the next retry. */
        private long deliverSome() {
            List<OutboxRow> rows = jdbi.withHandle(h -> h.createQuery("SELECT seq, event_id, listener, payload, created_at, "
                            + "status, attempts, next_attempt_at, last_error FROM outbox WHERE listener = ? AND status = 'pending' "
                            + "ORDER BY seq")
                    .bind(0, instance.name()).setMaxRows(settings.batchSize()).map(DurableDispatcher::row).list());
            if (rows.isEmpty()) {
                return -1;
            }
            List<Long> delivered = new ArrayList<>();
            try {
                if (instance.handlesBatches() && deliverBatch(rows, delivered)) {
                    return 0;
                }
                for (OutboxRow row : rows) {
                    if (delivered.contains(row.seq())) {
                        continue;
                    }
                    if (!running) {
                        return -1;
                    }
                    long now = clock.getAsLong();
                    if (row.nextAttemptAt() > now) {
                        return row.nextAttemptAt() - now;
                    }
                    if (!holdLease()) {
                        return -1;
                    }
                    if (!deliver(row, delivered)) {
                        return 0;
                    }
                }
                return 0;
            } finally {
                markDelivered(delivered);
            }
        }

        /**
         * Hands every due row of the round to the listener in one call. True when they were all
         * delivered; false when none was due or the call failed (the rows are then retried one
         * by one, which attributes the failure to the right event).
         */
        private boolean deliverBatch(List<OutboxRow> rows, List<Long> delivered) {
            long now = clock.getAsLong();
            List<OutboxRow> due = new ArrayList<>();
            for (OutboxRow row : rows) {
                if (row.nextAttemptAt() > now) {
                    break;
                }
                due.add(row);
            }
            if (due.size() < 2 || !holdLease()) {
                return false;
            }
            List<org.kinto4j.listener.ResourceEvent> events = new ArrayList<>(due.size());
            for (OutboxRow row : due) {
                events.add(event(row));
            }
            try {
                instance.deliverAll(events);
            } catch (Exception e) {
                LOG.warn("Listener '{}' failed on a batch of {} events (first {}); retrying them one by one: {}",
                        instance.name(), due.size(), due.get(0).eventId(), truncate(e.toString()));
                return false;
            }
            for (OutboxRow row : due) {
                delivered.add(row.seq());
            }
            return due.size() == rows.size();
        }

        private ServerResourceEvent event(OutboxRow row) {
            ObjectNode stored = Json.parseStored(row.payload());
            return new ServerResourceEvent(row.eventId(), (ObjectNode) stored.get("payload"),
                    (ArrayNode) stored.get("impacted"), null);
        }

        /**
         * Acknowledges delivered rows in one statement per round. A crash before this line means
         * those events are delivered again after the restart, with the same ids (at least once).
         */
        private void markDelivered(List<Long> seqs) {
            if (seqs.isEmpty()) {
                return;
            }
            jdbi.useHandle(h -> h.createUpdate("UPDATE outbox SET status = 'delivered', delivered_at = :now, "
                            + "attempts = attempts + 1 WHERE seq IN (<seqs>)")
                    .bind("now", clock.getAsLong()).bindList("seqs", seqs).execute());
        }

        /** One attempt; true when delivered (or dead-lettered), false when it will be retried. */
        private boolean deliver(OutboxRow row, List<Long> delivered) {
            ServerResourceEvent event = event(row);
            try {
                instance.deliver(event);
                delivered.add(row.seq());
                return true;
            } catch (Exception e) {
                int attempts = row.attempts() + 1;
                String error = truncate(e.toString());
                if (attempts >= retry.maxAttempts()) {
                    jdbi.useHandle(h -> h.createUpdate("UPDATE outbox SET status = 'dead', attempts = ?, last_error = ? "
                                    + "WHERE seq = ?")
                            .bind(0, attempts).bind(1, error).bind(2, row.seq()).execute());
                    LOG.error("Listener '{}' failed on event {} {} times; dead-lettered (re-queue it with POST "
                            + "/v1/__listeners__/{}/requeue): {}", instance.name(), row.eventId(), attempts,
                            instance.name(), error);
                    instance.countDeadLettered();
                    return true;
                }
                Duration delay = retry.delayAfter(attempts);
                jdbi.useHandle(h -> h.createUpdate("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
                                + "WHERE seq = ?")
                        .bind(0, attempts).bind(1, clock.getAsLong() + delay.toMillis()).bind(2, error)
                        .bind(3, row.seq()).execute());
                LOG.warn("Listener '{}' failed on event {} (attempt {} of {}), retrying in {} ms: {}", instance.name(),
                        row.eventId(), attempts, retry.maxAttempts(), delay.toMillis(), error);
                instance.countRetryScheduled();
                return false;
            }
        }

        private boolean holdLease() {
            long now = clock.getAsLong();
            long duration = settings.claimTimeout().toMillis();
            if (leaseExpiresAt - now > duration * 2 / 3) {
                return true;
            }
            long expires = now + duration;
            boolean held = jdbi.inTransaction(h -> {
                ensureLeaseRow(h);
                return h.createUpdate("UPDATE outbox_leases SET owner = ?, expires_at = ? WHERE listener = ? "
                                + "AND (owner = ? OR expires_at < ?)")
                        .bind(0, owner).bind(1, expires).bind(2, instance.name()).bind(3, owner).bind(4, now)
                        .execute() == 1;
            });
            if (held && leaseExpiresAt < now) {
                LOG.info("Durable delivery of listener '{}' is handled by this process ({})", instance.name(), owner);
            }
            leaseExpiresAt = held ? expires : 0;
            return held;
        }

        private void ensureLeaseRow(Handle h) {
            if (dialect == Dialect.POSTGRESQL) {
                h.createUpdate("INSERT INTO outbox_leases (listener, owner, expires_at) VALUES (?, '', 0) "
                        + "ON CONFLICT (listener) DO NOTHING").bind(0, instance.name()).execute();
            } else {
                int exists = h.createQuery("SELECT COUNT(*) FROM outbox_leases WHERE listener = ?")
                        .bind(0, instance.name()).mapTo(Integer.class).one();
                if (exists == 0) {
                    h.createUpdate("INSERT INTO outbox_leases (listener, owner, expires_at) VALUES (?, '', 0)")
                            .bind(0, instance.name()).execute();
                }
            }
        }

        void releaseLease() {
            try {
                jdbi.useHandle(h -> h.createUpdate("UPDATE outbox_leases SET expires_at = 0 WHERE listener = ? AND owner = ?")
                        .bind(0, instance.name()).bind(1, owner).execute());
            } catch (RuntimeException e) {
                LOG.debug("Could not release lease of '{}': {}", instance.name(), e.toString());
            }
        }

        /** Deletes rows delivered more than keep_delivered ago, at most once a minute (or per keep_delivered). */
        private void cleanupNow() {
            long now = clock.getAsLong();
            long interval = Math.max(100, Math.min(60_000, settings.keepDelivered().toMillis()));
            if (now - lastCleanup < interval) {
                return;
            }
            lastCleanup = now;
            long before = now - settings.keepDelivered().toMillis();
            int n = jdbi.withHandle(h -> h.createUpdate("DELETE FROM outbox WHERE listener = ? AND status = 'delivered' "
                    + "AND delivered_at < ?").bind(0, instance.name()).bind(1, before).execute());
            if (n > 0) {
                LOG.info("Removed {} delivered outbox row(s) of listener '{}'", n, instance.name());
            }
        }
    }

    private static String truncate(String s) {
        return s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
