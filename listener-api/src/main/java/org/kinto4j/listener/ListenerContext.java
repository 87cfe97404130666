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

    /**
     * Serves the objects this instance stores through {@link ListenerStorage} under the resource
     * name {@link ExposedResource#name()} and the parent id {@code /buckets/{bid}} as a read-only
     * list at {@code /v1/buckets/{bid}/{name}} (GET, HEAD, DELETE with Kinto's filters, sorting,
     * pagination and {@code Next-Page}), and announces the resource's capability in
     * {@code GET /v1/}.
     *
     * <p><b>Who sees what.</b> The bucket's {@code read} and {@code write} principals see every
     * object; anybody else sees only the objects whose own ACL ({@link
     * ListenerStorage#setPermissions}) grants them {@code read}. {@code DELETE} needs the
     * bucket's {@code write} permission and deletes the matching objects. The objects (and their
     * ACLs) are removed together with their bucket.
     *
     * <p><b>Threading and lifecycle.</b> Call it during {@link ListenerFactory#create}; later
     * calls throw {@link IllegalStateException}. Requests are served from the moment the HTTP
     * port opens until shutdown, concurrently on request threads, straight from storage: the
     * server never calls the listener to answer them. Two instances exposing the same name stop
     * the start.
     *
     * <p>A newer addition: servers that predate it throw {@link UnsupportedOperationException}.
     */
    default void exposeUnderBuckets(ExposedResource resource) {
        throw new UnsupportedOperationException("this kinto4j server cannot expose listener objects over HTTP");
    }
}
