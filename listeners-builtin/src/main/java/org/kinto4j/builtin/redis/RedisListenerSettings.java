package org.kinto4j.builtin.redis;

import java.time.Duration;
import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/**
 * The validated settings of one {@code redis} listener instance.
 *
 * @param url            where Redis is ({@code url}, Kinto's name)
 * @param poolSize       how many connections the instance may open ({@code pool_size}, Kinto's name)
 * @param listName       the Redis list events are pushed onto ({@code listname}, Kinto's name)
 * @param timeout        how long one push may take before it fails ({@code timeout})
 * @param connectTimeout how long opening a connection may take ({@code connect_timeout})
 */
record RedisListenerSettings(
        RedisUrl url, int poolSize, String listName, Duration timeout, Duration connectTimeout) {

    static final String DEFAULT_URL = "redis://localhost:6379/0";
    static final int DEFAULT_POOL_SIZE = 25;
    static final String DEFAULT_LIST_NAME = "kinto.core.events";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Reads and validates the instance's settings.
     *
     * @param instance the instance name, for the full keys in error messages
     * @throws SettingsException naming {@code event_listeners.<instance>.<key>}, the value (its
     *                           password masked) and what is valid
     */
    static RedisListenerSettings read(String instance, Settings settings) {
        Keys keys = new Keys(instance);
        return new RedisListenerSettings(
                url(keys, settings.string("url", DEFAULT_URL)),
                poolSize(keys, settings.integer("pool_size", DEFAULT_POOL_SIZE)),
                listName(keys, settings.string("listname", DEFAULT_LIST_NAME)),
                positive(keys, "timeout", settings.duration("timeout", DEFAULT_TIMEOUT)),
                positive(keys, "connect_timeout",
                        settings.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT)));
    }

    /** A duration as operators write it: {@code 5s}, {@code 300ms}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static RedisUrl url(Keys keys, String value) {
        try {
            return RedisUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw keys.invalid("url", "'" + RedisUrl.mask(value) + "' is not a Redis URL: "
                    + e.getMessage() + ". Expected " + RedisUrl.EXPECTED_FORM
                    + ", for example " + DEFAULT_URL + " (rediss:// for TLS).");
        }
    }

    private static int poolSize(Keys keys, int value) {
        if (value < 1) {
            throw keys.invalid("pool_size", value + " is not a valid pool size: expected the number"
                    + " of connections, at least 1 (default " + DEFAULT_POOL_SIZE + ").");
        }
        return value;
    }

    private static String listName(Keys keys, String value) {
        if (value.isBlank()) {
            throw keys.invalid("listname", "the list name is empty: expected the Redis key to push"
                    + " events onto (default " + DEFAULT_LIST_NAME + ").");
        }
        return value;
    }

    private static Duration positive(Keys keys, String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw keys.invalid(key, format(value) + " is not a valid " + key + ": expected a positive"
                    + " duration such as 500ms or 5s.");
        }
        return value;
    }

    /** Builds full keys ({@code event_listeners.queue.url}) and the exceptions naming them. */
    private record Keys(String instance) {

        String full(String key) {
            return "event_listeners." + instance + "." + key;
        }

        SettingsException invalid(String key, String problem) {
            return new SettingsException(full(key), full(key) + ": " + problem);
        }
    }
}
