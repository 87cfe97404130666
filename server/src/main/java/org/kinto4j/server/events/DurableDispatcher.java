package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.kinto4j.listener.Delivery;
import org.kinto4j.server.config.ListenerConfig;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.logging.SecretMasking;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Dialect;
import org.kinto4j.server.storage.ListenerStates;
import org.kinto4j.server.storage.OutboxLeases;
import org.kinto4j.server.storage.OutboxNotifications;
import org.kinto4j.server.storage.OutboxStore;
import org.kinto4j.server.storage.OutboxStore.Backlog;
import org.kinto4j.server.storage.OutboxStore.OutboxRow;
import org.kinto4j.server.storage.PgNotifications;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of durable delivery: one thread per {@code durable} instance delivers its
 * outbox rows in commit (seq) order, at least once. A failing row is retried with exponential
 * backoff before anything after it (no reordering), then dead-lettered and kept. A round reads
 * up to {@code batch_size} rows after the instance's delivered mark and ends by moving the mark;
 * woken by a commit, the thread first waits {@code durable.linger}, so that on PostgreSQL one
 * round carries the events of several commits.
 *
 * <p>Several processes may share one database: an instance's rows are delivered only by the
 * process holding that instance's lease ({@link OutboxLeases}: on the database's clock, renewed
 * while working, taken over when it expires), so under normal operation each event is delivered
 * once; if the holder dies or is paused mid-delivery, the next holder redelivers the
 * unacknowledged rows with the same event ids, and the old holder's updates are refused (fencing).
 */
public final class DurableDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableDispatcher.class);

    private final Transactions transactions;
    private final Dialect dialect;
    private final ServerSettings.Durable settings;
    private final LongSupplier clock;
    private final List<Worker> workers = new ArrayList<>();
    private final String owner;
    private final long linger;
    private final Map<String, ListenerInstance> durable = new ConcurrentHashMap<>();
    private final InstanceStates states;
    private final FailedAttempts failures;
    private final OutboxStore outbox;
    private final Optional<PgNotifications> notifications;
    private final OutboxLeases leases;
    private final Runnable awaitDurable;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kinto4j-lease-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** {@code process}: this process's id, its name as a lease owner ({@link #newProcessId()}). */
    public DurableDispatcher(Database database, Transactions transactions, ListenerRegistry registry,
            ServerSettings.Durable settings, LongSupplier clock, String process) {
        this.transactions = transactions;
        this.dialect = database.dialect();
        this.settings = settings;
        this.clock = clock;
        this.leases = new OutboxLeases(database.deliveryJdbi(), dialect);
        this.awaitDurable = database::awaitCommitsDurable;
        this.states = new InstanceStates(new ListenerStates(database.deliveryJdbi(), dialect, clock));
        this.failures = new FailedAttempts(leases, clock, states);
        this.outbox = new OutboxStore(database.deliveryJdbi(), clock);
        this.notifications = database.notifications();
        this.owner = process;
        this.linger = settings.linger().toMillis();
        for (ListenerInstance i : registry.instances()) {
            if (i.delivery() == Delivery.DURABLE) {
                durable.put(i.name(), i);
                workers.add(new Worker(i));
            }
        }
    }

    /** A new id for this process: its pid and a random part (a pid can be reused by a later process). */
    public static String newProcessId() {
        return "pid " + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void start() {
        if (dialect == Dialect.H2 && !workers.isEmpty()) {
            // The embedded database is locked by this one process: leases left by a killed
            // predecessor can be taken over at once instead of after claim_timeout.
            leases.expireAll();
        }
        for (Worker w : workers) {
            w.thread.start();
        }
        if (!workers.isEmpty()) {
            notifications.ifPresent(n -> OutboxNotifications.subscribe(n, owner, this::wake));
            long every = Math.max(50, settings.claimTimeout().toMillis() / 3);
            heartbeat.scheduleWithFixedDelay(() -> workers.forEach(w -> w.lease.heartbeat()), every, every,
                    TimeUnit.MILLISECONDS);
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
        heartbeat.shutdownNow();
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

    /** The stored state of durable instances (disabled by their target, last replay). */
    public InstanceStates states() {
        return states;
    }

    // ---- operations ------------------------------------------------------------------------

    public Backlog backlog(String instance) {
        return outbox.backlog(instance);
    }

    public List<OutboxRow> deadLetters(String instance, int limit) {
        return outbox.deadLetters(instance, limit);
    }

    /** The stored state of one instance (disabled by its target, last replay), if any. */
    public Optional<ListenerStates.State> state(String instance) {
        return states.get(instance);
    }

    /** Re-enables an instance its target disabled and wakes delivery; returns whether it was disabled. */
    public boolean enable(String instance) {
        boolean enabled = states.enable(instance);
        wake();
        return enabled;
    }

    /** Puts dead letters back in the queue (all of them, or one event id); returns how many. */
    public int requeue(String instance, String eventId) {
        int n;
        try (Tx tx = transactions.begin()) {
            tx.beginWrite();
            n = OutboxStore.requeue(tx, instance, eventId, clock.getAsLong());
            tx.commit();
        }
        if (n > 0) {
            LOG.info("Re-queued {} dead letter(s) of listener '{}'", n, instance);
            wake();
        }
        return n;
    }

    // ---- delivery ---------------------------------------------------------------------------

    private final class Worker implements Runnable {
        private final ListenerInstance instance;
        private final ListenerConfig.RetryPolicy retry;
        private final Thread thread;
        private final Object signal = new Object();
        private volatile boolean running = true;
        private boolean woken;
        private final LeaseHolder lease;
        private final DeliveredRowsCleanup cleanup;
        /** The delivered mark as of this worker's last round. */
        private long deliveredThrough;
        private boolean disabled = true;
        private boolean lastRoundFull;

        Worker(ListenerInstance instance) {
            this.instance = instance;
            this.retry = instance.config().retry();
            this.lease = new LeaseHolder(leases, instance.name(), owner, settings.claimTimeout());
            this.cleanup = new DeliveredRowsCleanup(outbox, instance.name(), settings.keepDelivered(), clock);
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
                    if (!lease.hold() || (disabled && (disabled = states.isDisabled(instance.name())))) {
                        pause(poll);
                        continue;
                    }
                    if (linger > 0 && !lastRoundFull) {
                        Thread.sleep(linger);
                    }
                    long wait = deliverSome();
                    cleanup.afterRound(deliveredThrough);
                    if (wait != 0) {
                        pause(wait < 0 ? poll : Math.min(wait, poll));
                    }
                } catch (Throwable e) { // the thread must outlive any failure, or the backlog grows silently
                    LOG.warn("Durable delivery of listener '{}' hit an error, retrying: {}", instance.name(),
                            e.toString());
                    pause(poll);
                }
            }
        }

        /** Delivers due rows in order. Returns 0 to loop at once, -1 to wait a poll, or ms until the next retry. */
        private long deliverSome() {
            OutboxStore.Queue queue = outbox.pending(instance.name(), settings.batchSize());
            List<OutboxRow> rows = queue.rows();
            lastRoundFull = rows.size() >= settings.batchSize();
            if (rows.isEmpty()) {
                return -1;
            }
            deliveredThrough = queue.deliveredThrough();
            // On H2 a commit is visible before the group commit has written it to the file; an
            // event delivered then would be invented if the process died before that write.
            awaitDurable.run();
            RoundProgress progress = new RoundProgress(queue.deliveredThrough());
            try {
                if (instance.handlesBatches() && deliverBatch(rows, progress)) {
                    return 0;
                }
                for (OutboxRow row : rows) {
                    if (row.seq() <= progress.through()) {
                        continue;
                    }
                    if (!running) {
                        return -1;
                    }
                    long now = clock.getAsLong();
                    if (row.nextAttemptAt() > now) {
                        return row.nextAttemptAt() - now;
                    }
                    if (!lease.hold()) {
                        return -1;
                    }
                    if (!deliver(row)) {
                        return 0;
                    }
                    progress.passed(row);
                }
                return 0;
            } finally {
                markDelivered(progress);
            }
        }

        /**
         * Hands every due row of the round to the listener in one call. True when they were all
         * delivered; false when none was due or the call failed (the rows are then retried one
         * by one, which attributes the failure to the right event).
         */
        private boolean deliverBatch(List<OutboxRow> rows, RoundProgress progress) {
            long now = clock.getAsLong();
            List<OutboxRow> due = new ArrayList<>();
            for (OutboxRow row : rows) {
                if (row.nextAttemptAt() > now) {
                    break;
                }
                due.add(row);
            }
            if (due.size() < 2 || !lease.hold()) {
                return false;
            }
            List<org.kinto4j.listener.ResourceEvent> events = new ArrayList<>(due.size());
            for (OutboxRow row : due) {
                events.add(event(row));
            }
            try {
                instance.deliverAll(events);
            } catch (org.kinto4j.listener.RetryAfterException | org.kinto4j.listener.DisableInstanceException e) {
                disabled = failures.record(instance.name(), lease, retry, due.get(0), e) == FailedAttempts.Outcome.INSTANCE_DISABLED;
                return true;
            } catch (Exception e) {
                LOG.warn("Listener '{}' failed on a batch of {} events (first {}); retrying them one by one: {}",
                        instance.name(), due.size(), due.get(0).eventId(), FailedAttempts.truncate(SecretMasking.mask(e.toString())));
                return false;
            }
            for (OutboxRow row : due) {
                progress.passed(row);
            }
            return due.size() == rows.size();
        }

        private ServerResourceEvent event(OutboxRow row) {
            ObjectNode stored = Json.parseStored(row.payload());
            return ServerResourceEvent.ofOwnedTree(row.eventId(), (ObjectNode) stored.get("payload"),
                    (ArrayNode) stored.get("impacted"));
        }

        /**
         * Acknowledges the round's rows in one statement, by moving the instance's delivered mark
         * past them. A crash before this line means those events are delivered again after the
         * restart, with the same ids (at least once).
         */
        private void markDelivered(RoundProgress progress) {
            if (progress.passed() == 0) {
                return;
            }
            if (leases.markDeliveredThrough(instance.name(), owner, lease.token(), progress.through())) {
                deliveredThrough = progress.through();
            } else {
                lease.lost(progress.passed() + " delivered event(s) were not acknowledged and will be delivered again");
            }
        }

        /** One attempt; true when delivered (or dead-lettered), false when it will be retried. */
        private boolean deliver(OutboxRow row) {
            ServerResourceEvent event = event(row);
            try {
                instance.deliver(event);
                return true;
            } catch (Exception e) {
                FailedAttempts.Outcome outcome = failures.record(instance.name(), lease, retry, row, e);
                disabled = outcome == FailedAttempts.Outcome.INSTANCE_DISABLED;
                if (outcome == FailedAttempts.Outcome.DEAD_LETTERED) {
                    instance.countDeadLettered();
                } else if (outcome == FailedAttempts.Outcome.RETRY_LATER) {
                    instance.countRetryScheduled();
                }
                return outcome == FailedAttempts.Outcome.DEAD_LETTERED;
            }
        }

        void releaseLease() {
            lease.release();
        }
    }
}
