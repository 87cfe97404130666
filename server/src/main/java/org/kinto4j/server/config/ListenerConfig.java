package org.kinto4j.server.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;

/**
 * One {@code event_listeners.NAME} block, the server-owned keys already validated.
 *
 * @param delivery {@code null} when not configured: the factory's default applies
 * @param resources empty means every resource
 * @param ownSettings the rest of the block, for the listener's {@code Settings}
 * @param scope the buckets and collections the instance hears about
 * @param replayFrom {@code replay_from}: replay what exists since this timestamp (0: everything)
 *     before live events, once; {@code null} when not configured
 */
public record ListenerConfig(
        String name,
        String use,
        Set<Action> actions,
        Set<String> resources,
        Delivery delivery,
        RetryPolicy retry,
        Config ownSettings,
        ListenerScope scope,
        Long replayFrom) {

    /** Server-owned keys of a listener block; everything else belongs to the listener. */
    public static final Set<String> SERVER_KEYS = Set.of("use", "actions", "resources", "delivery", "retry",
            "buckets", "collections", "replay_from");

    /** An instance of every bucket and collection, without replay. */
    public ListenerConfig(String name, String use, Set<Action> actions, Set<String> resources, Delivery delivery,
            RetryPolicy retry, Config ownSettings) {
        this(name, use, actions, resources, delivery, retry, ownSettings, ListenerScope.ALL, null);
    }

    public String keyPrefix() {
        return "event_listeners." + name;
    }

    /** Exponential backoff of durable delivery. */
    public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

        /** The delay before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
        public Duration delayAfter(int attempt) {
            long base = initialDelay.toMillis();
            long delay = base << Math.min(Math.max(attempt - 1, 0), 30);
            if (delay <= 0 || delay > maxDelay.toMillis()) {
                delay = maxDelay.toMillis();
            }
            return Duration.ofMillis(delay);
        }
    }
}
