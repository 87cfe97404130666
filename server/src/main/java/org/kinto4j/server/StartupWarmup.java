package org.kinto4j.server;

import io.javalin.Javalin;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Runs libraries' one-time initialisation on the second core while the main thread reads the
 * configuration and opens the database, so that the main thread finds it done. First Jdbi's
 * flight-recorder event registration (0.2-0.5 s of CPU, on the first SQL statement otherwise;
 * nothing under {@code bin/kinto4j}, which tells the JVM the recorder is unavailable), then,
 * once logging is configured (SLF4J must not be initialised from two threads at once), Javalin,
 * Jetty and Jackson: an app is built and discarded, never started. Nothing it creates is kept or
 * shared; a failure only means the main thread does that work itself.
 */
final class StartupWarmup {

    private final CountDownLatch loggingReady = new CountDownLatch(1);

    private StartupWarmup() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    static StartupWarmup inBackground() {
        StartupWarmup warmup = new StartupWarmup();
        Thread thread = new Thread(warmup::run, "kinto4j-warmup");
        thread.setDaemon(true);
        thread.start();
        return warmup;
    }

    /** Called by the main thread once logging is configured: the rest may log. */
    void loggingConfigured() {
        loggingReady.countDown();
    }

    private void run() {
        try {
            Class.forName("org.jdbi.v3.core.statement.internal.JfrSupport");
            loggingReady.await();
            Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.jetty.threadPool = new QueuedThreadPool(2, 1);
                config.routes.before(ctx -> { });
            });
            Class.forName("org.eclipse.jetty.http.MimeTypes");
            DateTimeFormatter.ofPattern("MMMM d, yyyy").format(LocalDate.now()); // Javalin formats its build date at start
            new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a\":[1,\"b\"]}");
        } catch (Exception | LinkageError ignored) {
            // only a head start: the main thread initialises whatever this did not
        }
    }
}
