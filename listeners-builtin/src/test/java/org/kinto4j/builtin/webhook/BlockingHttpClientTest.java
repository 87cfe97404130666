package org.kinto4j.builtin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook's HTTP/1.1 client against a real socket server that answers from a script. */
class BlockingHttpClientTest {

    private static final String NO_CONTENT = ScriptedHttpServer.NO_CONTENT;
    private static final String SILENCE = ScriptedHttpServer.SILENCE;
    private static final String THEN_CLOSE = ScriptedHttpServer.THEN_CLOSE;

    private ScriptedHttpServer server;
    private BlockingHttpClient client;
    private final InetAddress[] loopback = {InetAddress.getLoopbackAddress()};

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        client = new BlockingHttpClient(URI.create("http://127.0.0.1:" + server.port() + "/hook?x=1"),
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    @Test
    void requestsShareOneKeptAliveConnectionAndCarryTheirHeadersAndBody() throws IOException {
        server.answers(NO_CONTENT, NO_CONTENT, NO_CONTENT);
        for (int i = 0; i < 3; i++) {
            assertThat(post("{\"n\":" + i + "}").status()).isEqualTo(204);
        }
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests().get(2)).startsWith("POST /hook?x=1 HTTP/1.1\r\n")
                .contains("Host: 127.0.0.1:" + server.port() + "\r\n", "webhook-id: msg_2\r\n",
                        "Content-Length: 7\r\n")
                .endsWith("\r\n\r\n{\"n\":2}");
    }

    @Test
    void aChunkedAnswerIsReadWholeAndTheConnectionReused() throws IOException {
        server.answers("HTTP/1.1 410 Gone\r\nTransfer-Encoding: chunked\r\nRetry-After: 7\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n", NO_CONTENT);
        BlockingHttpClient.Response gone = post("{}");
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.body()).isEqualTo("hello, world");
        assertThat(gone.header("retry-after")).isEqualTo("7");
        assertThat(post("{}").status()).isEqualTo(204);
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void interimAnswersAreSkipped() throws IOException {
        server.answers("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        BlockingHttpClient.Response ok = post("{}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
    }

    @Test
    void connectionCloseOrABodyToTheEndOfTheConnectionIsNotReused() throws IOException {
        server.answers("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n" + THEN_CLOSE,
                "HTTP/1.1 500 Oops\r\n\r\nbroken" + THEN_CLOSE, NO_CONTENT);
        assertThat(post("{}").status()).isEqualTo(200);
        BlockingHttpClient.Response oops = post("{}");
        assertThat(oops.status()).isEqualTo(500);
        assertThat(oops.body()).isEqualTo("broken");
        assertThat(post("{}").status()).isEqualTo(204);
        assertThat(server.connections()).isEqualTo(3);
    }

    @Test
    void anIdleConnectionTheReceiverClosedIsReplacedWithoutAFailure() throws IOException {
        server.answers(NO_CONTENT + THEN_CLOSE, NO_CONTENT);
        assertThat(post("{\"first\":1}").status()).isEqualTo(204);
        assertThat(post("{\"second\":2}").status()).isEqualTo(204);
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1)).endsWith("{\"second\":2}");
    }

    @Test
    void aReceiverThatDoesNotAnswerTimesOut() {
        server.answers(SILENCE);
        assertThatThrownBy(() -> client.post(loopback, Map.of("webhook-id", "msg_0"), "{}".getBytes(StandardCharsets.UTF_8),
                Duration.ofMillis(300))).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aLongAnswerIsCutAndItsConnectionDropped() throws IOException {
        String big = "x".repeat(BlockingHttpClient.MAX_BODY + 10);
        server.answers("HTTP/1.1 400 Bad\r\nContent-Length: " + big.length() + "\r\n\r\n" + big, NO_CONTENT);
        BlockingHttpClient.Response bad = post("{}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).hasSize(BlockingHttpClient.MAX_BODY);
        assertThat(post("{}").status()).isEqualTo(204);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void aConnectionIdleLongerThanTheLimitIsNotReused() throws IOException {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        try (BlockingHttpClient aging = new BlockingHttpClient(URI.create("http://127.0.0.1:" + server.port() + "/hook"),
                Duration.ofSeconds(5), (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault(),
                nanos::get)) {
            Map<String, String> headers = Map.of("webhook-id", "msg_0");
            assertThat(aging.post(loopback, headers, new byte[0], Duration.ofSeconds(5)).status()).isEqualTo(204);
            nanos.addAndGet(BlockingHttpClient.IDLE_LIMIT.toNanos() - 1);
            assertThat(aging.post(loopback, headers, new byte[0], Duration.ofSeconds(5)).status()).isEqualTo(204);
            assertThat(server.connections()).isEqualTo(1);
            nanos.addAndGet(BlockingHttpClient.IDLE_LIMIT.toNanos());
            assertThat(aging.post(loopback, headers, new byte[0], Duration.ofSeconds(5)).status()).isEqualTo(204);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void concurrentCallersEachGetAConnectionAndAtMostMaxIdleAreKept() throws Exception {
        int callers = BlockingHttpClient.MAX_IDLE + 4;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(callers);
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(callers);
        server.holdAnswersUntilRequests(callers);
        for (int i = 0; i < callers; i++) {
            new Thread(() -> {
                try {
                    together.await();
                    if (post("{}").status() == 204) {
                        answered.countDown();
                    }
                } catch (Exception e) {
                    // counted as not answered
                }
            }).start();
        }
        assertThat(answered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(server.connections()).isEqualTo(callers);
        assertThat(client.idleCount()).isEqualTo(BlockingHttpClient.MAX_IDLE);
        for (int i = 0; i < callers; i++) {
            assertThat(post("{}").status()).isEqualTo(204); // one at a time: served by a kept one
        }
        assertThat(server.connections()).isEqualTo(callers);
    }

    @Test
    void itConnectsToTheAddressesGivenWithoutResolvingTheHostAgain() throws IOException {
        try (BlockingHttpClient named = new BlockingHttpClient(
                URI.create("http://receiver.invalid:" + server.port() + "/hook"), Duration.ofSeconds(5))) {
            assertThat(named.post(loopback, Map.of("webhook-id", "msg_0"), new byte[0], Duration.ofSeconds(5)).status())
                    .isEqualTo(204);
        }
        assertThat(server.requests().get(0)).contains("Host: receiver.invalid:" + server.port() + "\r\n");
    }

    @Test
    @org.junit.jupiter.api.Timeout(20) // without the watchdog the write blocks for ever: fail instead of hanging
    void aLargeRequestToAReceiverThatStopsReadingTimesOut() throws Exception {
        try (ServerSocket deaf = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            deaf.setReceiveBufferSize(4096);
            try (BlockingHttpClient toDeaf = new BlockingHttpClient(
                    URI.create("http://127.0.0.1:" + deaf.getLocalPort() + "/hook"), Duration.ofSeconds(5))) {
                byte[] body = new byte[32 * 1024 * 1024]; // far beyond both sockets' buffers
                assertThatThrownBy(() -> toDeaf.post(loopback, Map.of("webhook-id", "msg_0"), body, Duration.ofMillis(500)))
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("did not read the request in time");
            }
        }
    }

    @Test
    void headerValuesWithLineBreaksAreRefused() {
        assertThatThrownBy(() -> client.post(loopback, Map.of("webhook-id", "a\r\nX-Injected: 1"), new byte[0],
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private BlockingHttpClient.Response post(String body) throws IOException {
        return client.post(loopback, Map.of("webhook-id", "msg_" + server.requests().size()),
                body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
    }
}
