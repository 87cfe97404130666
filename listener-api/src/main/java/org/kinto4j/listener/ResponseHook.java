package org.kinto4j.listener;

/**
 * Runs for every HTTP response, registered with {@link ListenerContext#onResponse}.
 *
 * <p>Called on the request thread after the request's transaction has committed or rolled back
 * and before the response is written; concurrently for concurrent requests, so implementations
 * must be thread-safe. Exceptions are logged with the instance name and otherwise ignored.
 */
@FunctionalInterface
public interface ResponseHook {

    /** Inspects or decorates one response. */
    void onResponse(ResponseContext response) throws Exception;
}
