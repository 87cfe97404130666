package org.kinto4j.listener;

/**
 * Entry point of a listener plugin, found with {@link java.util.ServiceLoader}: list the
 * implementation's class name in {@code META-INF/services/org.kinto4j.listener.ListenerFactory}.
 *
 * <p>Implementations need a public no-argument constructor. The server creates one factory
 * object per plugin and calls {@link #create} once per configured instance that names it, on
 * the main thread at start-up, before the HTTP port opens.
 */
public interface ListenerFactory {

    /**
     * The name operators write in {@code use = ...}. Must be unique among installed plugins and
     * built-in listeners: two factories with the same name stop the start. Lower case with dashes
     * is the convention ({@code redis}, {@code send-email}).
     */
    String name();

    /**
     * Creates one listener instance.
     *
     * <p>Read the instance's settings from {@link ListenerContext#settings()} here and fail fast:
     * an exception stops the server's start with a message that names the instance and carries
     * the exception's message. Settings the listener never reads are reported at start-up as
     * probably misspelled.
     *
     * @param context the instance's name, settings and hooks
     * @return the listener; never {@code null}
     * @throws Exception when the configuration is invalid or a resource cannot be set up
     */
    Listener create(ListenerContext context) throws Exception;

    /**
     * Setting keys (relative to the instance's block, for example {@code password}) whose values
     * are secrets: they are masked in every log line and in the operations endpoint.
     * The default declares none.
     */
    default java.util.Set<String> secretSettings() {
        return java.util.Set.of();
    }

    /**
     * The delivery mode used when the operator does not set {@code delivery}. The default is
     * {@link Delivery#IN_TRANSACTION}, Kinto's semantics; a listener that talks to an external
     * system (a queue, a webhook) should return {@link Delivery#DURABLE}.
     */
    default Delivery defaultDelivery() {
        return Delivery.IN_TRANSACTION;
    }
}
