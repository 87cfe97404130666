package org.kinto4j.server.events;

/**
 * An {@link Error} thrown by plugin code, contained at the plugin boundary so that it fails
 * only the delivery that raised it (the request is rolled back and answered 500, or the durable
 * event is retried) instead of ending a server thread.
 *
 * <p>Policy: every {@code Throwable} a plugin throws is contained, {@link OutOfMemoryError}
 * included. An OutOfMemoryError raised on a thread running plugin code is almost always that
 * plugin's own allocation (a huge array, an unbounded buffer): once the call unwinds, the
 * garbage is collectable and the server can go on, whereas letting it end the dispatcher thread
 * would stop the instance's delivery silently. A heap really exhausted by the server itself is
 * the operator's call: {@code -XX:+ExitOnOutOfMemoryError} (or the container's OOM killer)
 * stops the JVM before any catch block runs.
 */
public final class PluginError extends RuntimeException {

    private PluginError(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps what listener {@code instance} threw, with a hint for a missing dependency. */
    static PluginError contain(String instance, Throwable error) {
        return new PluginError("listener '" + instance + "' threw " + error + hint(error), error);
    }

    static String hint(Throwable error) {
        if (error instanceof NoClassDefFoundError || error instanceof ClassNotFoundException
                || error instanceof LinkageError) {
            return " (a class the plugin needs is missing or incompatible: bundle the dependency in the plugin's "
                    + "jar or put its jars in the plugin's folder under plugins/)";
        }
        return "";
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
