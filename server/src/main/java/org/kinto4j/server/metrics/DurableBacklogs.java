package org.kinto4j.server.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.kinto4j.server.storage.OutboxStore;
import org.kinto4j.server.storage.OutboxStore.Waiting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog of every durable instance (outbox rows after its delivered mark and the age of the
 * oldest, {@link OutboxStore#waiting}), read for the metrics gauges at most once a second, however
 * many gauges a scrape reads. When the database cannot answer, the values are unknown (NaN)
 * and the scrape still succeeds.
 */
final class DurableBacklogs {

    private static final Logger LOG = LoggerFactory.getLogger(DurableBacklogs.class);
    private static final long REFRESH_MS = 1000;
    private static final int QUERY_TIMEOUT_SECONDS = 2;

    private final OutboxStore outbox;
    private final List<String> instances;
    private final LongSupplier clock;
    private Map<String, Waiting> last = Map.of();
    private long readAt;
    private boolean failing;

    DurableBacklogs(OutboxStore outbox, List<String> instances, LongSupplier clock) {
        this.outbox = outbox;
        this.instances = List.copyOf(instances);
        this.clock = clock;
    }

    double pending(String instance) {
        Waiting w = current().get(instance);
        return w == null ? Double.NaN : w.count();
    }

    double oldestAgeSeconds(String instance) {
        Waiting w = current().get(instance);
        if (w == null) {
            return Double.NaN;
        }
        return w.oldestCreatedAt() == null ? 0 : Math.max(0, clock.getAsLong() - w.oldestCreatedAt()) / 1000.0;
    }

    private synchronized Map<String, Waiting> current() {
        long now = clock.getAsLong();
        if (now - readAt < REFRESH_MS && now >= readAt) {
            return last;
        }
        readAt = now;
        try {
            Map<String, Waiting> read = new HashMap<>();
            for (String instance : instances) {
                read.put(instance, outbox.waiting(instance, QUERY_TIMEOUT_SECONDS));
            }
            last = Map.copyOf(read);
            if (failing) {
                LOG.info("Metrics: the outbox backlog can be read again");
                failing = false;
            }
        } catch (RuntimeException e) {
            last = Map.of();
            if (!failing) {
                LOG.warn("Metrics: cannot read the outbox backlog, reporting NaN until it can: {}", e.toString());
                failing = true;
            }
        }
        return last;
    }
}
