package org.kinto4j.builtin.webhook;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on a real socket (plain or TLS, whatever {@code ServerSocket} it is given)
 * that records every request and answers each with the next raw answer of its script (204 when
 * the script is empty). {@link #SILENCE} answers nothing; an answer ending in {@link #THEN_CLOSE}
 * closes the connection after it is written. {@link #holdAnswersUntilRequests} makes answers wait
 * until a number of requests are in, so that many connections are open at once.
 */
final class ScriptedHttpServer implements AutoCloseable {

    static final String NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n";
    static final String SILENCE = "<silence>";
    static final String THEN_CLOSE = "<close>";

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Deque<String> script = new ArrayDeque<>();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private volatile java.util.concurrent.CountDownLatch gate;

    ScriptedHttpServer(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "test-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Every request as received: head and body. */
    List<String> requests() {
        return requests;
    }

    void answers(String... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
    }

    /** Holds every answer until {@code requests} requests (counted from now) have arrived. */
    void holdAnswersUntilRequests(int requests) {
        gate = new java.util.concurrent.CountDownLatch(requests);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "test-http-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String request = readRequest(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                String answer;
                synchronized (script) {
                    answer = script.isEmpty() ? NO_CONTENT : script.poll();
                }
                if (answer.equals(SILENCE)) {
                    closed.await();
                    return;
                }
                java.util.concurrent.CountDownLatch waitFor = gate;
                if (waitFor != null) {
                    waitFor.countDown();
                    waitFor.await(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                boolean close = answer.endsWith(THEN_CLOSE);
                out.write(answer.replace(THEN_CLOSE, "").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                int at = text.indexOf("Content-Length: ");
                int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)));
                return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
