package org.kinto4j.examples.worker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The tutorial's worker: pops events from a Redis list with {@code BLPOP}, oldest first (the
 * server's {@code redis} listener pushes with {@code RPUSH}), and prints each message on its own
 * line.
 *
 * <p>{@link #run(Runnable)} blocks until {@link #stop()} is called from another thread; each
 * {@code BLPOP} waits at most {@code pollTimeout}, so a stop takes effect within that time.
 */
final class EventQueueWorker {

    /** How long one BLPOP waits: short enough for Ctrl-C to exit promptly. */
    static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(2);

    private final RedisURI redisUri;
    private final String listName;
    private final PrintStream out;
    private final Duration pollTimeout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    EventQueueWorker(RedisURI redisUri, String listName, PrintStream out, Duration pollTimeout) {
        if (pollTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("pollTimeout must be at least one second (BLPOP counts in seconds): " + pollTimeout);
        }
        this.redisUri = redisUri;
        this.listName = listName;
        this.out = out;
        this.pollTimeout = pollTimeout;
    }

    /**
     * Connects, calls {@code whenConnected}, then prints messages until stopped.
     *
     * @throws io.lettuce.core.RedisException when Redis cannot be reached or a command fails
     */
    void run(Runnable whenConnected) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            whenConnected.run();
            while (running) {
                KeyValue<String, String> popped = redis.blpop(pollTimeout.toSeconds(), listName);
                if (popped != null && popped.hasValue()) {
                    out.println(popped.getValue());
                    out.flush();
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ZERO);
            stopped.countDown();
        }
    }

    /** Asks {@link #run(Runnable)} to return after the current BLPOP. */
    void stop() {
        running = false;
    }

    /** Waits until {@link #run(Runnable)} has returned and the connection is closed. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How long a {@link #stop()} may take to be noticed. */
    Duration pollTimeout() {
        return pollTimeout;
    }
}
