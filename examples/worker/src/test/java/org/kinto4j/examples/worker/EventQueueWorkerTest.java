package org.kinto4j.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the worker's loop on a thread against the real Redis of {@code KINTO4J_TEST_REDIS_URL}. */
class EventQueueWorkerTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private RedisClient client;
    private StatefulRedisConnection<String, String> producer;
    private String listName;
    private String workerClientName;

    @BeforeEach
    void connectProducer() {
        client = RedisClient.create(RedisURI.create(TestRedis.url()));
        producer = client.connect();
        listName = TestRedis.uniqueListName();
        workerClientName = "worker-under-test-" + listName.substring(listName.length() - 8);
    }

    @AfterEach
    void cleanUp() {
        if (producer != null) {
            producer.sync().del(listName);
            producer.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @Test
    void printsEachMessageOnItsOwnLineInPushOrder() throws Exception {
        EventQueueWorker worker = startWorker();

        producer.sync().rpush(listName,
                "{\"action\":\"create\",\"resource_name\":\"bucket\",\"bucket_id\":\"b1\"}",
                "{\"action\":\"create\",\"resource_name\":\"bucket\",\"bucket_id\":\"b2\"}",
                "{\"action\":\"delete\",\"resource_name\":\"bucket\",\"bucket_id\":\"b1\"}");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printedLines()).containsExactly(
                "{\"action\":\"create\",\"resource_name\":\"bucket\",\"bucket_id\":\"b1\"}",
                "{\"action\":\"create\",\"resource_name\":\"bucket\",\"bucket_id\":\"b2\"}",
                "{\"action\":\"delete\",\"resource_name\":\"bucket\",\"bucket_id\":\"b1\"}"));
        assertThat(producer.sync().llen(listName)).as("every message was popped").isZero();
        stop(worker);
    }

    @Test
    void messagesPushedBeforeTheWorkerStartsAreNotLost() throws Exception {
        producer.sync().rpush(listName, "first", "second");

        EventQueueWorker worker = startWorker();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(printedLines()).containsExactly("first", "second"));
        stop(worker);
    }

    @Test
    void stopEndsTheLoopWhileItWaitsOnAnEmptyList() throws Exception {
        EventQueueWorker worker = startWorker();
        await().atMost(Duration.ofSeconds(10)).until(this::workerIsBlockedInBlpop);

        worker.stop();

        assertThat(worker.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertThat(printedLines()).isEmpty();
    }

    private EventQueueWorker startWorker() {
        RedisURI workerUri = RedisURI.create(TestRedis.url());
        workerUri.setClientName(workerClientName);
        EventQueueWorker worker = new EventQueueWorker(workerUri, listName,
                new PrintStream(printed, true, StandardCharsets.UTF_8), Duration.ofSeconds(1));
        Thread thread = new Thread(() -> worker.run(() -> { }), "worker-under-test");
        thread.setDaemon(true);
        thread.start();
        return worker;
    }

    private static void stop(EventQueueWorker worker) throws InterruptedException {
        worker.stop();
        assertThat(worker.awaitStopped(Duration.ofSeconds(10))).as("worker stopped").isTrue();
    }

    /** CLIENT LIST shows the worker's connection, by its client name, blocked in BLPOP. */
    private boolean workerIsBlockedInBlpop() {
        return producer.sync().clientList().lines()
                .anyMatch(client -> client.contains(" name=" + workerClientName + " ") && client.contains(" cmd=blpop"));
    }

    private List<String> printedLines() {
        String text = printed.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
