package org.kinto4j.listener;

/**
 * What the server gives a factory when it creates one instance. Valid during
 * {@link ListenerFactory#create}; the hooks registered there stay active for the server's life.
 */
public interface ListenerContext {

    /** The instance name: the key under {@code event_listeners} (for example {@code tracker}). */
    String name();

    /**
     * The instance's own settings: its block under {@code event_listeners.NAME}, minus the keys
     * the server owns ({@code use}, {@code actions}, {@code resources}, {@code delivery},
     * {@code retry}), with {@code KINTO_EVENT_LISTENERS_NAME_KEY} environment overrides applied.
     */
    Settings settings();

    /**
     * Registers a hook that runs for every HTTP response the server sends (the Pyramid
     * {@code NewResponse} subscriber of Kinto's tracker tutorial). Hooks run on the request
     * thread after the request's transaction has ended, in registration order; they may add
     * headers and read storage. An exception in a hook is logged and ignored.
     */
    void onResponse(ResponseHook hook);

    /**
     * The delivery mode this instance will run with (the operator's {@code delivery}, else the
     * factory's {@link ListenerFactory#defaultDelivery()}), so a factory can refuse a mode it
     * does not support at start-up rather than on the first event.
     */
    default Delivery delivery() {
        return Delivery.IN_TRANSACTION;
    }
}
