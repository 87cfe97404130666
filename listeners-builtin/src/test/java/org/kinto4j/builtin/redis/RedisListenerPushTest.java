package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.builtin.redis.testing.RedisInspector;
import org.kinto4j.builtin.redis.testing.RedisTestEnvironment;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.testkit.TestEvent;
import org.kinto4j.testkit.TestListenerContext;

/** Pushes to the shared test Redis named by {@code KINTO4J_TEST_REDIS_URL}, each test on its own list. */
class RedisListenerPushTest {

    private String url;
    private String listName;
    private RedisInspector redis;

    @BeforeEach
    void connect() {
        url = RedisTestEnvironment.current().redisUrl();
        listName = "kinto4j-test-" + UUID.randomUUID();
        redis = new RedisInspector(url);
    }

    @AfterEach
    void cleanUp() {
        if (redis != null) {
            redis.commands().del(listName);
            redis.close();
        }
    }

    private RedisListener listener(int poolSize) throws Exception {
        return (RedisListener) new RedisListenerFactory().create(TestListenerContext.named("queue").settings(
                Map.of("url", url, "listname", listName, "pool_size", poolSize)));
    }

    @Test
    void pushesExactlyTheEventJson() throws Exception {
        ResourceEvent event = recordCreated("r1");

        try (RedisListener listener = listener(1)) {
            listener.onEvent(event);
        }

        assertThat(redis.list(listName)).containsExactly(RedisMessage.of(event));
    }

    @Test
    void aBatchIsOneRpushOfEveryMessageInOrder() throws Exception {
        List<org.kinto4j.listener.ResourceEvent> batch = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ResourceEvent event = recordCreated("b" + i);
            batch.add(event);
            expected.add(RedisMessage.of(event));
        }
        try (RedisListener listener = listener(1)) {
            listener.onEvents(batch);
        }
        assertThat(redis.list(listName)).containsExactlyElementsOf(expected);
    }

    @Test
    void pushesInOrderWithRpushSoBlpopReadsTheOldestFirst() throws Exception {
        List<String> sent = new ArrayList<>();
        try (RedisListener listener = listener(3)) {
            for (int i = 0; i < 100; i++) {
                ResourceEvent event = recordCreated("r" + i);
                listener.onEvent(event);
                sent.add(RedisMessage.of(event));
            }
        }

        List<String> popped = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            KeyValue<String, String> item = redis.commands().blpop(1, listName);
            popped.add(item.getValue());
        }
        assertThat(popped).containsExactlyElementsOf(sent);
    }

    @Test
    void pushOntoAKeyThatIsNotAListFailsSayingSo() throws Exception {
        redis.commands().set(listName, "not a list");

        try (RedisListener listener = listener(1)) {
            assertThatThrownBy(() -> listener.onEvent(recordCreated("r1")))
                    .isInstanceOf(RedisDeliveryException.class)
                    .hasMessageContaining("WRONGTYPE")
                    .hasMessageContaining("The key '" + listName + "' holds something other than a list");
        }
    }

    @Test
    void concurrentPushesFromManyThreadsAllArrive() throws Exception {
        List<String> sent = new ArrayList<>();
        List<Callable<Void>> pushes = new ArrayList<>();
        try (RedisListener listener = listener(4)) {
            for (int i = 0; i < 200; i++) {
                ResourceEvent event = recordCreated("r" + i);
                sent.add(RedisMessage.of(event));
                pushes.add(() -> {
                    listener.onEvent(event);
                    return null;
                });
            }
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                for (Future<Void> push : threads.invokeAll(pushes)) {
                    push.get(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
        }

        assertThat(redis.list(listName)).containsExactlyInAnyOrderElementsOf(sent);
    }

    /** A record creation in /buckets/b1/collections/c1, as Kinto reports it. */
    private static ResourceEvent recordCreated(String recordId) {
        return TestEvent.created("record").user("basicauth:0123abcd").object(Map.of("id", recordId)).build();
    }
}
