package org.kinto4j.builtin.redis;

/**
 * A {@code redis} listener could not push an event: Redis was unreachable, too slow or refused
 * the command. The message names the instance, the event, the list and the Redis URL (password
 * masked) and says why; in {@code durable} delivery the event is retried.
 */
public class RedisDeliveryException extends Exception {

    RedisDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
