package org.kinto4j.listener;

/**
 * Receives the events of one configured instance.
 *
 * <p><b>Threading.</b> In the {@code in_transaction} and {@code after_commit} delivery modes
 * {@link #onEvent} is called concurrently from request threads: implementations must be
 * thread-safe. In {@code durable} mode a single dispatcher thread calls it, one event at a time.
 *
 * <p><b>Filtering.</b> The server applies the instance's {@code actions} and {@code resources}
 * filters before calling: a listener only sees events it was configured for. {@code read}
 * events are delivered only when {@code actions} includes {@code read}.
 *
 * <p><b>Exceptions.</b> What a thrown exception does depends on the delivery mode:
 * {@code in_transaction} rolls the whole request back (the client gets a Kinto-format 500 and
 * nothing of the request is stored); {@code after_commit} logs it with the instance name and
 * event id and leaves the response untouched; {@code durable} retries with exponential backoff
 * and, after {@code retry.max_attempts}, dead-letters the event (kept, visible to operators,
 * re-queueable). Two exception types steer durable delivery further:
 * {@link RetryAfterException} (the target asked to be called again later: the next attempt waits
 * at least that long) and {@link DisableInstanceException} (the target wants no more events: the
 * instance is disabled, persistently, until an operator re-enables it).
 *
 * <p><b>Lifecycle.</b> Created by {@link ListenerFactory#create}; {@link #close()} is called
 * once at shutdown after the last event was delivered.
 */
@FunctionalInterface
public interface Listener extends AutoCloseable {

    /**
     * Handles one (possibly merged) event.
     *
     * @param event the event; immutable, safe to keep
     * @throws Exception to signal failure (see the class documentation for what follows)
     */
    void onEvent(ResourceEvent event) throws Exception;

    /**
     * Handles several consecutive events at once, oldest first. Only {@code durable} delivery
     * calls it, and only when the listener overrides it: the dispatcher then hands over the
     * events that are due together (one Redis command, one HTTP call for many events). Either
     * every event is handled or an exception is thrown; after an exception the dispatcher
     * retries the same events one by one through {@link #onEvent}, so a consumer may see an
     * event again (deduplicate on {@link ResourceEvent#id()}). The default handles them one by
     * one.
     *
     * @param events at least one event, in commit order
     */
    default void onEvents(java.util.List<ResourceEvent> events) throws Exception {
        for (ResourceEvent event : events) {
            onEvent(event);
        }
    }

    /** Releases resources (connections, threads). Called once, at shutdown. */
    @Override
    default void close() throws Exception {
    }
}
