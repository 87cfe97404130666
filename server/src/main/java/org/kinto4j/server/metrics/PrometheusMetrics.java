package org.kinto4j.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.kinto4j.listener.Delivery;
import org.kinto4j.server.config.PrometheusSettings;
import org.kinto4j.server.events.ListenerInstance;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.OutboxStore;

/**
 * Kinto's prometheus plugin on Micrometer ({@code includes = [prometheus]}): request counts and
 * durations by endpoint, method and status, per listener instance delivery counters and time,
 * per durable instance backlog and oldest pending age, connection pool use, JVM basics. Served
 * as Prometheus text at {@code /v1/__metrics__}.
 */
public final class PrometheusMetrics implements AutoCloseable {

    /** The Prometheus text format Micrometer writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PrometheusSettings settings;
    private final Duration[] buckets;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public PrometheusMetrics(PrometheusSettings settings, Database database, ListenerRegistry listeners) {
        this.settings = settings;
        this.buckets = settings.histogramBuckets().stream().filter(b -> !b.isInfinite())
                .map(b -> Duration.ofNanos((long) (b * 1e9))).toArray(Duration[]::new);
        registry.config().meterFilter(MeterFilter.deny(id -> !settings.enabled(id.getName())));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        bindPool(database.dataSource());
        bindListeners(listeners.instances(), new DurableBacklogs(new OutboxStore(database.jdbi(), System::currentTimeMillis),
                listeners.instances().stream().filter(i -> i.delivery() == Delivery.DURABLE).map(ListenerInstance::name)
                        .toList(), System::currentTimeMillis));
    }

    private String name(String suffix) {
        return settings.prefix() + suffix;
    }

    /** One HTTP request: Kinto's {@code request_summary} counter and {@code request_duration} histogram. */
    public void request(String endpoint, String method, int status, long nanos) {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        counters.computeIfAbsent(endpoint + ' ' + m + ' ' + status, k -> Counter.builder(name("request_summary"))
                .description("Requests by endpoint, method and status")
                .tags("endpoint", endpoint, "method", m, "status", Integer.toString(status))
                .register(registry)).increment();
        timers.computeIfAbsent(endpoint + ' ' + m, k -> Timer.builder(name("request_duration"))
                .description("Request durations by endpoint and method")
                .tags("endpoint", endpoint, "method", m).serviceLevelObjectives(buckets)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The exposition text; never throws for a gauge that cannot be read (it reports NaN). */
    public String scrape() {
        return registry.scrape();
    }

    private void bindPool(HikariDataSource ds) {
        Tags tags = Tags.of("pool", ds.getPoolName());
        poolGauge("hikaricp_connections_active", "Connections in use", tags, ds, HikariPoolMXBean::getActiveConnections);
        poolGauge("hikaricp_connections_idle", "Idle connections", tags, ds, HikariPoolMXBean::getIdleConnections);
        poolGauge("hikaricp_connections", "Open connections", tags, ds, HikariPoolMXBean::getTotalConnections);
        poolGauge("hikaricp_connections_pending", "Threads waiting for a connection", tags, ds,
                HikariPoolMXBean::getThreadsAwaitingConnection);
        Gauge.builder("hikaricp_connections_max", ds, d -> d.getMaximumPoolSize()).tags(tags)
                .description("Largest pool size").register(registry);
    }

    private void poolGauge(String name, String help, Tags tags, HikariDataSource ds, ToDoubleFunction<HikariPoolMXBean> f) {
        Gauge.builder(name, ds, d -> {
            try {
                HikariPoolMXBean pool = d.getHikariPoolMXBean();
                return pool == null || d.isClosed() ? Double.NaN : f.applyAsDouble(pool);
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).tags(tags).description(help).strongReference(true).register(registry);
    }

    private void bindListeners(List<ListenerInstance> instances, DurableBacklogs backlogs) {
        for (ListenerInstance i : instances) {
            Tags tags = Tags.of("listener", i.name(), "delivery", i.delivery().value());
            FunctionCounter.builder(name("listener_events_delivered"), i, ListenerInstance::deliveredCount)
                    .description("Events the listener handled").tags(tags).register(registry);
            FunctionCounter.builder(name("listener_events_failed"), i, ListenerInstance::failedCount)
                    .description("Listener calls that threw").tags(tags).register(registry);
            FunctionTimer.builder(name("listener_delivery"), i, ListenerInstance::callCount,
                    ListenerInstance::totalNanos, TimeUnit.NANOSECONDS)
                    .description("Time spent in the listener's calls").tags(tags).register(registry);
            if (i.delivery() != Delivery.DURABLE) {
                continue;
            }
            FunctionCounter.builder(name("listener_events_retried"), i, ListenerInstance::retriedCount)
                    .description("Failed events scheduled for another attempt").tags(tags).register(registry);
            FunctionCounter.builder(name("listener_events_dead_lettered"), i, ListenerInstance::deadLetteredCount)
                    .description("Events dead-lettered after their last attempt").tags(tags).register(registry);
            Gauge.builder(name("listener_backlog"), backlogs, b -> b.pending(i.name())).baseUnit("events").strongReference(true)
                    .description("Events waiting in the outbox").tags(tags).register(registry);
            Gauge.builder(name("listener_oldest_pending_age"), backlogs, b -> b.oldestAgeSeconds(i.name()))
                    .baseUnit("seconds").strongReference(true).description("Age of the oldest event waiting in the outbox").tags(tags)
                    .register(registry);
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
