package org.kinto4j.server.events;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.Listener;
import org.kinto4j.server.config.ListenerConfig;

/**
 * One configured listener: its name, filters, delivery mode, the plugin's listener and
 * classloader, and its counters (events, failures, time spent).
 */
public final class ListenerInstance {

    private final ListenerConfig config;
    private final String use;
    private final String origin;
    private final Delivery delivery;
    private final Listener listener;
    private final ClassLoader classLoader;
    private final Set<String> secretKeys;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final boolean handlesBatches;

    ListenerInstance(ListenerConfig config, String use, String origin, Delivery delivery, Listener listener,
            ClassLoader classLoader, Set<String> secretKeys) {
        this.config = config;
        this.use = use;
        this.origin = origin;
        this.delivery = delivery;
        this.listener = listener;
        this.classLoader = classLoader;
        this.secretKeys = secretKeys;
        this.handlesBatches = overridesOnEvents(listener);
    }

    private static boolean overridesOnEvents(Listener listener) {
        try {
            return listener.getClass().getMethod("onEvents", java.util.List.class).getDeclaringClass() != Listener.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Whether the listener takes several events in one call ({@link Listener#onEvents}). */
    public boolean handlesBatches() {
        return handlesBatches;
    }

    public String name() {
        return config.name();
    }

    public String use() {
        return use;
    }

    /** Where the factory came from: {@code built-in} or the plugin jar/folder. */
    public String origin() {
        return origin;
    }

    public Delivery delivery() {
        return delivery;
    }

    public ListenerConfig config() {
        return config;
    }

    public Set<String> secretKeys() {
        return secretKeys;
    }

    /** The server-side filters (Kinto's {@code event_listeners.NAME.actions} and {@code .resources}): action in the list, and resource in the list unless it is empty. */
    public boolean accepts(Action action, String resourceName) {
        return config.actions().contains(action)
                && (config.resources().isEmpty() || config.resources().contains(resourceName));
    }

    public boolean wantsReads() {
        return config.actions().contains(Action.READ);
    }

    /** Calls the listener with the plugin's classloader as context classloader; counts the outcome. */
    public void deliver(ServerResourceEvent event) throws Exception {
        call(() -> listener.onEvent(event), 1);
    }

    /** Calls {@link Listener#onEvents} like {@link #deliver} does onEvent. */
    public void deliverAll(java.util.List<org.kinto4j.listener.ResourceEvent> events) throws Exception {
        call(() -> listener.onEvents(events), events.size());
    }

    /** A call into plugin code. */
    @FunctionalInterface
    private interface PluginCall {
        void run() throws Exception;
    }

    private void call(PluginCall work, int events) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        long start = System.nanoTime();
        thread.setContextClassLoader(classLoader);
        try {
            work.run();
            delivered.addAndGet(events);
        } catch (Exception e) {
            failed.incrementAndGet();
            throw e;
        } catch (Throwable e) {
            failed.incrementAndGet();
            throw PluginError.contain(name(), e);
        } finally {
            thread.setContextClassLoader(previous);
            nanos.addAndGet(System.nanoTime() - start);
            calls.incrementAndGet();
        }
    }

    void close() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            listener.close();
        } catch (Exception e) {
            throw e;
        } catch (Throwable e) {
            throw PluginError.contain(name(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public long deliveredCount() {
        return delivered.get();
    }

    public long failedCount() {
        return failed.get();
    }

    /** Calls into the listener ({@code onEvent} or {@code onEvents}), successful or not. */
    public long callCount() {
        return calls.get();
    }

    /** Time spent in the listener's calls, in nanoseconds. */
    public long totalNanos() {
        return nanos.get();
    }

    /** Durable delivery: a failed event was scheduled for another attempt. */
    void countRetryScheduled() {
        retried.incrementAndGet();
    }

    /** Durable delivery: an event was dead-lettered after its last attempt. */
    void countDeadLettered() {
        deadLettered.incrementAndGet();
    }

    public long retriedCount() {
        return retried.get();
    }

    public long deadLetteredCount() {
        return deadLettered.get();
    }

    public long totalMillis() {
        return nanos.get() / 1_000_000;
    }

    public String describe() {
        return "use=" + use + " (" + origin + "), delivery=" + delivery.value() + ", actions="
                + config.actions().stream().map(Action::value).sorted().toList()
                + ", resources=" + (config.resources().isEmpty() ? "all" : config.resources())
                + (config.scope().buckets().isEmpty() ? "" : ", buckets=" + config.scope().buckets())
                + (config.scope().collections().isEmpty() ? "" : ", collections=" + config.scope().collections());
    }
}
