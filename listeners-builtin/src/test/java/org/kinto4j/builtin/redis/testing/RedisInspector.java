package org.kinto4j.builtin.redis.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;

/** A plain lettuce client for tests to look at (and clean up) what the listener pushed. */
public final class RedisInspector implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public RedisInspector(String url) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(10));
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** The whole list, head (oldest with RPUSH) first. */
    public List<String> list(String key) {
        return commands().lrange(key, 0, -1);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
