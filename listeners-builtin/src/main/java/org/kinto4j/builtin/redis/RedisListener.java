package org.kinto4j.builtin.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ResourceEvent;

/**
 * Pushes each event's {@link ResourceEvent#json() payload JSON}, plus the event {@code id} for
 * deduplication ({@link RedisMessage}), onto a Redis list with {@code RPUSH}, so a worker popping
 * with {@code BLPOP} reads the oldest event first.
 *
 * <p>{@link #onEvent} waits for Redis's reply and throws {@link RedisDeliveryException} when
 * the push did not happen (or may not have happened, after a timeout). Thread-safe.
 */
final class RedisListener implements Listener {

    private final String instance;
    private final RedisListenerSettings settings;
    private final RoundRobinConnections connections;

    RedisListener(String instance, RedisListenerSettings settings, RoundRobinConnections connections) {
        this.instance = instance;
        this.settings = settings;
        this.connections = connections;
    }

    @Override
    public void onEvent(ResourceEvent event) throws RedisDeliveryException {
        try {
            connections.next().sync().rpush(settings.listName(), RedisMessage.of(event));
        } catch (RedisException e) {
            throw new RedisDeliveryException(describeFailure(event, e), e);
        }
    }

    /** All the events in one {@code RPUSH}: one round trip, and Redis appends all or none. */
    @Override
    public void onEvents(java.util.List<ResourceEvent> events) throws RedisDeliveryException {
        String[] messages = new String[events.size()];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = RedisMessage.of(events.get(i));
        }
        try {
            connections.next().sync().rpush(settings.listName(), messages);
        } catch (RedisException e) {
            throw new RedisDeliveryException(describeFailure(events.get(0), e) + " (batch of " + messages.length
                    + " events)", e);
        }
    }

    @Override
    public void close() {
        connections.close();
    }

    private String describeFailure(ResourceEvent event, RedisException e) {
        return "redis listener '" + instance + "' could not push event " + event.id()
                + " onto list '" + settings.listName() + "' at " + settings.url().masked() + ": "
                + FailureReason.of(e, settings.url()) + hint(e);
    }

    private String hint(RedisException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return ". Redis did not answer within timeout = " + RedisListenerSettings.format(settings.timeout())
                    + "; the push may still happen later, so a retry can duplicate it";
        }
        if (e instanceof RedisCommandExecutionException && String.valueOf(e.getMessage()).startsWith("WRONGTYPE")) {
            return ". The key '" + settings.listName() + "' holds something other than a list:"
                    + " set another listname or delete that key";
        }
        return "";
    }
}
