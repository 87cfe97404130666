package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisCommandTimeoutException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.builtin.redis.testing.RedisInspector;
import org.kinto4j.builtin.redis.testing.RedisServerProcess;
import org.kinto4j.builtin.redis.testing.RedisTestEnvironment;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.testkit.TestEvent;
import org.kinto4j.testkit.TestListenerContext;

/**
 * Stops and restarts a private {@code redis-server} (from {@code PATH}) under a listener: a push
 * fails while Redis is away, nothing is buffered for later, and pushes work again once it is back.
 */
class RedisListenerOutageTest {

    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final String LIST = "events";

    private Path redisServer;

    @BeforeEach
    void findRedisServer() {
        redisServer = RedisTestEnvironment.current().redisServerBinary();
    }

    private static RedisListener listener(String url, String timeout) throws Exception {
        return (RedisListener) new RedisListenerFactory().create(TestListenerContext.named("queue").settings(Map.of(
                "url", url, "listname", LIST, "pool_size", 2, "timeout", timeout, "connect_timeout", "2s")));
    }

    @Test
    void pushFailsNamingInstanceAndUrlWhileRedisIsStoppedAndWorksAgainAfterRestart() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.onFreePort(redisServer).start();
                RedisListener listener = listener(server.url(), "5s")) {
            ResourceEvent before = recordCreated("before");
            listener.onEvent(before);

            server.stop();
            assertThatThrownBy(() -> listener.onEvent(recordCreated("during")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .hasMessageStartingWith("redis listener 'queue' could not push event ")
                    .hasMessageContaining("onto list 'events' at " + server.url());

            server.start();
            ResourceEvent after = recordCreated("after");
            await("the listener to reconnect").atMost(RECOVERY).ignoreExceptions()
                    .untilAsserted(() -> listener.onEvent(after));
            try (RedisInspector redis = new RedisInspector(server.url())) {
                assertThat(redis.list(LIST)).containsExactly(RedisMessage.of(after));
            }
        }
    }

    @Test
    void pushesRefusedDuringAnOutageAreNotBufferedAndReplayedAfterReconnect() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.onFreePort(redisServer).start();
                RedisListener listener = listener(server.url(), "5s")) {
            listener.onEvent(recordCreated("warm-up"));
            server.stop();

            for (int i = 0; i < 20; i++) {
                ResourceEvent refused = recordCreated("refused-" + i);
                assertThatThrownBy(() -> listener.onEvent(refused))
                        .isInstanceOf(RedisDeliveryException.class)
                        .cause().isNotInstanceOf(RedisCommandTimeoutException.class);
            }

            server.start();
            List<String> delivered = new ArrayList<>();
            await("the listener to reconnect").atMost(RECOVERY).ignoreExceptions().untilAsserted(() -> {
                ResourceEvent probe = recordCreated("probe");
                listener.onEvent(probe);
                delivered.add(RedisMessage.of(probe));
            });
            for (int i = 0; i < 4; i++) { // every pooled connection, not just the first to recover
                ResourceEvent event = recordCreated("after-" + i);
                listener.onEvent(event);
                delivered.add(RedisMessage.of(event));
            }
            try (RedisInspector redis = new RedisInspector(server.url())) {
                assertThat(redis.list(LIST)).containsExactlyElementsOf(delivered);
            }
        }
    }

    @Test
    void listenerCreatedWhileRedisIsDownDeliversOnceRedisStarts() throws Exception {
        RedisServerProcess server = RedisServerProcess.onFreePort(redisServer);
        try (server; RedisListener listener = listener(server.url(), "5s")) {
            assertThatThrownBy(() -> listener.onEvent(recordCreated("early")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .hasMessageContaining("Connection refused");

            server.start();
            ResourceEvent event = recordCreated("late");
            listener.onEvent(event);

            try (RedisInspector redis = new RedisInspector(server.url())) {
                assertThat(redis.list(LIST)).containsExactly(RedisMessage.of(event));
            }
        }
    }

    @Test
    void pushTimesOutWhenRedisDoesNotAnswer() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.onFreePort(redisServer).start();
                RedisInspector redis = new RedisInspector(server.url());
                RedisListener listener = listener(server.url(), "300ms")) {
            listener.onEvent(recordCreated("r1"));
            listener.onEvent(recordCreated("r2")); // both pooled connections open

            redis.commands().clientPause(1_500); // answers nobody for 1.5 s, then carries on

            assertThatThrownBy(() -> listener.onEvent(recordCreated("paused")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .hasCauseInstanceOf(RedisCommandTimeoutException.class)
                    .hasMessageContaining("Redis did not answer within timeout = 300ms");
        }
    }

    @Test
    void passwordFromTheUrlIsUsedAndNeverAppearsInFailures() throws Exception {
        String password = "hunter2-" + System.nanoTime();
        try (RedisServerProcess server = RedisServerProcess.onFreePortWithPassword(redisServer, password).start();
                RedisListener listener = listener(server.url(), "5s");
                RedisListener wrongPassword = listener(server.url().replace(password, "wrong-" + password), "5s")) {
            listener.onEvent(recordCreated("authenticated"));

            assertThatThrownBy(() -> wrongPassword.onEvent(recordCreated("refused")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .satisfies(e -> assertThat(everythingPrintedAbout(e)).doesNotContain(password))
                    .hasMessageContaining("redis://:***@127.0.0.1:" + server.port() + "/0");

            server.stop();
            assertThatThrownBy(() -> listener.onEvent(recordCreated("down")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .satisfies(e -> assertThat(everythingPrintedAbout(e)).doesNotContain(password))
                    .hasMessageContaining("redis://:***@127.0.0.1:" + server.port() + "/0");
        }
    }

    /** The message and stack trace of the whole cause chain, as a log line would show them. */
    private static String everythingPrintedAbout(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** A record creation in /buckets/b1/collections/c1, as Kinto reports it. */
    private static ResourceEvent recordCreated(String recordId) {
        return TestEvent.created("record").user("basicauth:0123abcd").object(Map.of("id", recordId)).build();
    }
}
