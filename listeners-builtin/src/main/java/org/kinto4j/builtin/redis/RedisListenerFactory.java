package org.kinto4j.builtin.redis;

import io.lettuce.core.RedisException;
import java.util.Set;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code redis} listener: Kinto's historical Redis listener (kinto-redis), which
 * pushes every event's payload JSON onto a Redis list.
 *
 * <pre>{@code
 * event_listeners {
 *   queue {
 *     use = redis
 *     url = "redis://:password@127.0.0.1:6379/0"   # default redis://localhost:6379/0
 *     pool_size = 5                                # default 25
 *     listname = eventqueue                        # default kinto.core.events
 *     timeout = 5s                                 # kinto4j: how long one push may take
 *     connect_timeout = 5s                         # kinto4j: how long connecting may take
 *   }
 * }
 * }</pre>
 *
 * <p>Differences from Kinto, all deliberate: events are pushed with {@code RPUSH} (Kinto used
 * {@code LPUSH}), so a worker's {@code BLPOP} reads the oldest event first; delivery defaults to
 * {@code durable}, so a Redis outage delays events instead of losing them; and a failed push
 * throws instead of being logged and forgotten. Kinto's {@code pool_timeout} is accepted and has
 * no effect (connections are shared, never waited for).
 *
 * <p>The whole {@code url} is declared secret, since it carries the password; this listener's
 * own messages print it with the password masked.
 */
public final class RedisListenerFactory implements ListenerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RedisListenerFactory.class);

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("url");
    }

    @Override
    public Delivery defaultDelivery() {
        return Delivery.DURABLE;
    }

    /**
     * Validates the settings and prepares the connections. Fails on malformed settings; does not
     * fail when Redis is unreachable (that is logged, and each push fails until it is back).
     *
     * @throws org.kinto4j.listener.SettingsException for a malformed or invalid setting
     */
    @Override
    public Listener create(ListenerContext context) {
        String instance = context.name();
        RedisListenerSettings settings = RedisListenerSettings.read(instance, context.settings());
        acceptKintoPoolTimeout(instance, context.settings());
        RoundRobinConnections connections = new RoundRobinConnections(settings);
        LOG.info("redis listener '{}' pushes onto list '{}' at {} (pool_size {}, timeout {})",
                instance, settings.listName(), settings.url().masked(), settings.poolSize(),
                RedisListenerSettings.format(settings.timeout()));
        checkReachable(instance, settings, connections);
        return new RedisListener(instance, settings, connections);
    }

    private static void acceptKintoPoolTimeout(String instance, Settings settings) {
        if (settings.has("pool_timeout")) {
            settings.string("pool_timeout");
            LOG.info("event_listeners.{}.pool_timeout has no effect in kinto4j: redis connections"
                    + " are shared, never waited for; use timeout to bound a push", instance);
        }
    }

    private static void checkReachable(
            String instance, RedisListenerSettings settings, RoundRobinConnections connections) {
        try {
            connections.next();
        } catch (RedisException e) {
            LOG.warn("redis listener '{}': Redis at {} is not reachable now ({}); pushes fail until"
                    + " it is (durable delivery retries them)", instance, settings.url().masked(),
                    FailureReason.of(e, settings.url()));
        }
    }
}
