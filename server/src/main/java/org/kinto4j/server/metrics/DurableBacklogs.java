package org.kinto4j.server.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog of every durable instance (outbox rows after its delivered mark and the age of the
 * oldest), read for the metrics gauges with two indexed queries per instance at most once a second, however
 * many gauges a scrape reads. When the database cannot answer, the values are unknown (NaN)
 * and the scrape still succeeds.
 */
final class DurableBacklogs {

    private static final Logger LOG = LoggerFactory.getLogger(DurableBacklogs.class);
    private static final long REFRESH_MS = 1000;
    private static final int QUERY_TIMEOUT_SECONDS = 2;

    record Backlog(long pending, Long oldestCreatedAt) {
    }

    private final Jdbi jdbi;
    private final List<String> instances;
    private final LongSupplier clock;
    private Map<String, Backlog> last = Map.of();
    private long readAt;
    private boolean failing;

    DurableBacklogs(Jdbi jdbi, List<String> instances, LongSupplier clock) {
        this.jdbi = jdbi;
        this.instances = List.copyOf(instances);
        this.clock = clock;
    }

    double pending(String instance) {
        Backlog b = current().get(instance);
        return b == null ? Double.NaN : b.pending();
    }

    double oldestAgeSeconds(String instance) {
        Backlog b = current().get(instance);
        if (b == null) {
            return Double.NaN;
        }
        return b.oldestCreatedAt() == null ? 0 : Math.max(0, clock.getAsLong() - b.oldestCreatedAt()) / 1000.0;
    }

    private synchronized Map<String, Backlog> current() {
        long now = clock.getAsLong();
        if (now - readAt < REFRESH_MS && now >= readAt) {
            return last;
        }
        readAt = now;
        try {
            Map<String, Backlog> read = new HashMap<>();
            jdbi.useHandle(h -> {
                for (String instance : instances) {
                    long through = h.createQuery("SELECT delivered_through FROM outbox_leases WHERE listener = ?")
                            .setQueryTimeout(QUERY_TIMEOUT_SECONDS).bind(0, instance).mapTo(Long.class).findFirst().orElse(0L);
                    read.put(instance, h.createQuery("SELECT COUNT(*), MIN(created_at) FROM outbox "
                                    + "WHERE listener = ? AND status = 'pending' AND seq > ?")
                            .setQueryTimeout(QUERY_TIMEOUT_SECONDS)
                            .bind(0, instance).bind(1, through)
                            .map((rs, ctx) -> new Backlog(rs.getLong(1), rs.getObject(2, Long.class)))
                            .one());
                }
            });
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
