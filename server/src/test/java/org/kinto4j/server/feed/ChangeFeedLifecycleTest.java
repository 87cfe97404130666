package org.kinto4j.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.TestServer;

/** A client too slow for the feed is disconnected and resumes with Last-Event-ID; shutdown ends streams. */
class ChangeFeedLifecycleTest {

    private static final String PATH = "/v1/buckets/b/collections/c/changes";

    @Test
    void aClientThatStopsReadingIsDisconnectedAndResumesWithoutGapOrDuplicate() throws Exception {
        try (TestServer server = TestServer.start("changes.max_pending_bytes = 65536\n")) {
            server.put("/v1/buckets/b", "alice", null);
            server.put("/v1/buckets/b/collections/c", "alice", null);
            String padding = "x".repeat(20_000);
            List<Long> written = new ArrayList<>();
            Set<Long> received = new LinkedHashSet<>();
            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + TestServer.basic("alice")
                        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(in.readLine()).contains("200");
                // the client reads nothing more while 4 MB of changes are written
                for (int i = 0; i < 200; i++) {
                    written.add(server.put("/v1/buckets/b/collections/c/records/r" + i, "alice",
                            "{\"data\":{\"p\":\"" + padding + "\"}}").json().path("data").path("last_modified").asLong());
                }
                socket.setSoTimeout(15_000);
                String line;
                try {
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("id: ")) {
                            received.add(Long.parseLong(line.substring(4).trim()));
                        }
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the server kept the stream of a client too slow open", e);
                }
            }
            System.out.println("slow client: " + received.size() + " of " + written.size() + " events before the disconnection");
            assertThat(received.size()).as("events before the disconnection").isLessThan(written.size());
            long last = received.isEmpty() ? 0 : received.stream().reduce(Long::max).orElse(0L);
            List<Long> resumed = new ArrayList<>();
            try (SseStream s = SseStream.open(server, PATH, "alice", "Last-Event-ID", Long.toString(last))) {
                while (resumed.isEmpty() || resumed.get(resumed.size() - 1) < written.get(written.size() - 1)) {
                    resumed.add(s.next().id());
                }
            }
            List<Long> all = new ArrayList<>(received);
            all.addAll(resumed);
            assertThat(all).as("every change once, in order").containsExactlyElementsOf(written);
        }
    }

    @Test
    void shutdownEndsOpenStreams() throws Exception {
        TestServer server = TestServer.start();
        server.put("/v1/buckets/b", "alice", null);
        server.put("/v1/buckets/b/collections/c", "alice", null);
        try (SseStream s = SseStream.open(server, PATH, "alice")) {
            assertThat(s.status).isEqualTo(200);
            server.close();
            assertThat(s.awaitEnd(Duration.ofSeconds(8))).as("stream ended by the shutdown").isTrue();
        }
    }
}
