package org.kinto4j.builtin.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed number ({@code pool_size}) of lettuce connections, each opened on first use and then
 * handed out in turn.
 *
 * <p>lettuce connections are thread-safe and pipeline concurrent commands, so a connection is
 * shared rather than borrowed: there is no waiting for a free connection (Kinto's
 * {@code pool_timeout} has nothing to wait for). Opening lazily means a Redis that is down when
 * the server starts only fails the pushes, never the start.
 *
 * <p>The client is configured so that a Redis outage costs neither memory nor duplicates:
 * <ul>
 *   <li>{@code REJECT_COMMANDS} while disconnected, instead of lettuce's default unbounded
 *       buffer, so a push fails at once and durable delivery retries it later;</li>
 *   <li>no replay after a reconnect of commands that were in flight when the connection broke
 *       (their callers have already been told they failed and will retry);</li>
 *   <li>every command times out after {@code timeout} (lettuce's async commands otherwise never
 *       do), connecting after {@code connect_timeout};</li>
 *   <li>automatic reconnection, retried at most every {@value #MAX_RECONNECT_DELAY_MS} ms.</li>
 * </ul>
 */
final class RoundRobinConnections implements AutoCloseable {

    static final long MAX_RECONNECT_DELAY_MS = 2_000;

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final Slot[] slots;
    private final AtomicInteger turn = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    RoundRobinConnections(RedisListenerSettings settings) {
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10),
                        Duration.ofMillis(MAX_RECONNECT_DELAY_MS), 2, TimeUnit.MILLISECONDS))
                .build();
        this.uri = settings.url().toRedisUri(settings.timeout());
        this.client = RedisClient.create(resources, uri);
        this.client.setOptions(clientOptions(settings));
        this.slots = new Slot[settings.poolSize()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    /**
     * The next connection in turn, opened now if it never was.
     *
     * @throws io.lettuce.core.RedisConnectionException when it cannot be opened
     * @throws IllegalStateException after {@link #close()}
     */
    StatefulRedisConnection<String, String> next() {
        return slots[Math.floorMod(turn.getAndIncrement(), slots.length)].connection();
    }

    /** Closes the open connections and shuts the client and its threads down. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Slot slot : slots) {
            slot.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static ClientOptions clientOptions(RedisListenerSettings settings) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(settings.timeout()).build())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.connectTimeout())
                        .keepAlive(true)
                        .build())
                .build();
    }

    /** One connection, opened on first use. */
    private final class Slot {

        private StatefulRedisConnection<String, String> connection;
        private boolean closed;

        synchronized StatefulRedisConnection<String, String> connection() {
            if (closed) {
                throw new IllegalStateException("the redis listener is closed");
            }
            if (connection == null) {
                connection = client.connect(uri);
            }
            return connection;
        }

        synchronized void close() {
            closed = true;
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }
}
