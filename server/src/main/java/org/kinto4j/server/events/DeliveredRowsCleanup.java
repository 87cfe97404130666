package org.kinto4j.server.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.kinto4j.server.storage.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a durable instance's delivered outbox rows once they are {@code durable.keep_delivered}
 * old, at most once a minute (or once per keep_delivered when shorter), on its delivery thread.
 *
 * <p>The instance's delivered mark says which rows are delivered, not when. So each run notes
 * the mark it is given, with the time, and deletes up to the newest mark noted at least
 * keep_delivered ago: a row goes between keep_delivered and keep_delivered plus one interval
 * after its delivery. The notes live in memory: after a restart, or in a process that just took
 * the lease over, delivered rows are kept a keep_delivered longer, never shorter.
 */
final class DeliveredRowsCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredRowsCleanup.class);

    private final OutboxStore outbox;
    private final String listener;
    private final long keepMillis;
    private final long intervalMillis;
    private final LongSupplier clock;
    /** (time, delivered mark) noted by past runs, oldest first. */
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();
    private long lastRun;

    DeliveredRowsCleanup(OutboxStore outbox, String listener, Duration keepDelivered, LongSupplier clock) {
        this.outbox = outbox;
        this.listener = listener;
        this.keepMillis = keepDelivered.toMillis();
        this.intervalMillis = Math.max(100, Math.min(60_000, keepMillis));
        this.clock = clock;
    }

    /** Called after each delivery round with the instance's delivered mark; deletes when a run is due. */
    void afterRound(long deliveredThrough) {
        long now = clock.getAsLong();
        if (now - lastRun < intervalMillis) {
            return;
        }
        lastRun = now;
        marks.addLast(new long[] {now, deliveredThrough});
        long before = now - keepMillis;
        long through = 0;
        while (!marks.isEmpty() && marks.peekFirst()[0] <= before) {
            through = marks.pollFirst()[1];
        }
        int n = outbox.deleteDelivered(listener, through, before);
        if (n > 0) {
            LOG.info("Removed {} delivered outbox row(s) of listener '{}'", n, listener);
        }
    }
}
