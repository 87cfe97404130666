package org.kinto4j.examples.worker;

import java.time.Duration;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;

/**
 * {@code java -jar worker.jar [--url redis://127.0.0.1:6379/0] [--list kinto.core.events]}:
 * Kinto's tutorial Python worker in Java. Prints every event pushed by the server's
 * {@code redis} listener on its own line on standard output; status and errors go to standard
 * error. Exit status: 0 after {@code --help}, 1 when Redis fails, 2 for a bad command line;
 * stopped by Ctrl-C or SIGTERM it exits as any JVM does (130 or 143) once the loop has ended.
 */
public final class WorkerMain {

    static final int EXIT_REDIS_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        WorkerOptions options;
        try {
            options = WorkerOptions.parse(args);
        } catch (WorkerOptions.UsageException e) {
            System.err.println("worker: " + e.getMessage());
            System.err.println();
            System.err.print(WorkerOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(WorkerOptions.USAGE);
            return;
        }

        EventQueueWorker worker = new EventQueueWorker(options.redisUri(), options.listName(), System.out,
                EventQueueWorker.DEFAULT_POLL_TIMEOUT);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndWait(worker), "worker-shutdown"));
        try {
            worker.run(() -> System.err.println("worker: connected to " + describe(options.redisUri())
                    + ", waiting for events on list '" + options.listName() + "' (Ctrl-C to stop)"));
        } catch (RedisException e) {
            System.err.println("worker: Redis at " + describe(options.redisUri()) + " failed: " + e.getMessage()
                    + ". Is redis-server running there? Set another server with --url.");
            System.exit(EXIT_REDIS_FAILED);
        }
    }

    private static void stopAndWait(EventQueueWorker worker) {
        worker.stop();
        try {
            worker.awaitStopped(worker.pollTimeout().plus(Duration.ofSeconds(3)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code redis://host:port/db}, without the password the URL may carry. */
    static String describe(RedisURI uri) {
        return "redis://" + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }
}
