package org.kinto4j.examples.email;

/**
 * Runs Jakarta Mail code with the plugin's own classloader as the thread's context classloader.
 *
 * <p>Jakarta Mail finds its SMTP provider and stream provider through the context classloader.
 * kinto4j already switches it to the plugin's loader around every call into plugin code; doing
 * it here too keeps the bundled Jakarta Mail working in any host (tests, other servers).
 */
final class BundledMailClassLoader {

    /** Code that may throw {@code E}. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private BundledMailClassLoader() {
    }

    /** Runs {@code work} with this plugin's classloader as context classloader, then restores the caller's. */
    static <T, E extends Exception> T run(Work<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(BundledMailClassLoader.class.getClassLoader());
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
