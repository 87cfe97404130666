package org.kinto4j.builtin.webhook;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An HTTP/1.1 client for one webhook target that does all its work on the calling thread: the
 * request goes out in one write on a kept-alive connection, the answer is read on the same
 * thread. The JDK's {@code HttpClient} hands every exchange between the caller, its selector
 * thread and an executor; for a small webhook that cost about 550 µs of CPU per delivery where
 * this takes about 80 µs (same receiver, same machine), and on busy cores every hand-off also
 * waits for a time slice, which is what a commit-to-delivery delay's tail is made of.
 *
 * <p>It connects only to the addresses the caller has checked ({@link AddressGuard}), so a name
 * that resolves elsewhere a moment later is never used. Idle connections are kept for reuse
 * (several callers at once each get their own); a reused connection the receiver closed in the
 * meantime is replaced once, before any byte of an answer was read. Redirects are answers like
 * any other. Thread-safe.
 */
final class BlockingHttpClient implements AutoCloseable {

    /** Longest answer body kept; a longer one is not read further and its connection is closed. */
    static final int MAX_BODY = 64 * 1024;
    /** Idle connections kept at most; more are closed when their exchange ends. */
    static final int MAX_IDLE = 8;
    /** An idle connection older than this is closed instead of reused (receivers and NATs forget them). */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    /** The status, the headers (names in lower case) and the body (up to {@link #MAX_BODY}) of an answer. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final URI target;
    private final boolean tls;
    private final int port;
    private final String hostHeader;
    private final String requestTarget;
    private final int connectTimeoutMillis;
    private final SSLSocketFactory tlsSockets;
    private final java.util.function.LongSupplier nanoClock;
    /** Bounded, so that concurrent returns cannot overshoot {@link #MAX_IDLE}: a full deque refuses the offer. */
    private final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>(MAX_IDLE);
    private final WriteWatchdog watchdog = new WriteWatchdog();
    private volatile boolean closed;

    /** A client of {@code target} whose TLS connections trust what the JVM's default trust store trusts. */
    BlockingHttpClient(URI target, Duration connectTimeout) {
        this(target, connectTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault(), System::nanoTime);
    }

    /** @param nanoClock the clock idle connections age by ({@link System#nanoTime()} but in tests) */
    BlockingHttpClient(URI target, Duration connectTimeout, SSLSocketFactory tlsSockets,
            java.util.function.LongSupplier nanoClock) {
        this.target = target;
        this.tlsSockets = tlsSockets;
        this.nanoClock = nanoClock;
        this.tls = "https".equalsIgnoreCase(target.getScheme());
        this.port = target.getPort() > 0 ? target.getPort() : tls ? 443 : 80;
        this.hostHeader = target.getPort() > 0 ? target.getHost() + ":" + target.getPort() : target.getHost();
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        this.requestTarget = target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    }

    /**
     * POSTs {@code body} with {@code headers} and returns the answer.
     *
     * @param addresses where the target's host resolved to, already checked
     * @throws SocketTimeoutException when connecting or the answer took longer than allowed
     * @throws IOException when the connection failed
     */
    Response post(InetAddress[] addresses, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        byte[] request = request(headers, body);
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection reused = freshIdle();
        if (reused != null) {
            try {
                return exchange(reused, request, deadline, true);
            } catch (StaleConnectionException e) {
                // the receiver closed it while idle: a fresh connection below
            }
        }
        return exchange(connect(addresses, deadline), request, deadline, false);
    }

    private Response exchange(Connection c, byte[] request, long deadline, boolean reused) throws IOException {
        boolean keep = false;
        boolean answered = false;
        try {
            try {
                watchdog.write(c, request, deadline);
                c.timeout(deadline);
                int first = c.in.read();
                answered = first >= 0;
                if (first < 0 && reused) {
                    throw new StaleConnectionException();
                }
                Response response = AnswerReader.read(c.in, first, deadline, c);
                keep = response != null && c.reusable;
                if (response == null) {
                    throw new IOException("the receiver closed the connection without answering");
                }
                return response;
            } catch (java.net.SocketException e) {
                if (reused && !answered) {
                    throw new StaleConnectionException();
                }
                throw e;
            }
        } finally {
            if (keep && !closed) {
                c.idleSince = nanoClock.getAsLong();
                if (!idle.offerFirst(c)) {
                    c.close();
                } else if (closed) {
                    close(); // closed while this exchange ran: do not leave the connection open in the deque
                }
            } else {
                c.close();
            }
        }
    }

    /** The most recently used idle connection, closing those idle for longer than the limit. */
    private Connection freshIdle() {
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            if (nanoClock.getAsLong() - c.idleSince < IDLE_LIMIT.toNanos()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private Connection connect(InetAddress[] addresses, long deadline) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                if (tls) {
                    socket = secure(socket, deadline);
                }
                return new Connection(socket);
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("the host name resolved to no address");
    }

    private Socket secure(Socket plain, long deadline) throws IOException {
        SSLSocket s = (SSLSocket) tlsSockets.createSocket(plain, target.getHost(), port, true);
        SSLParameters parameters = s.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(parameters);
        s.setSoTimeout(remainingMillis(deadline));
        s.startHandshake();
        return s;
    }

    private byte[] request(Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256).append("POST ").append(requestTarget).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + h.getKey() + " holds a line break");
            }
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Idle connections kept for reuse now. */
    int idleCount() {
        return idle.size();
    }

    /** Closes the idle connections; connections in use close when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        watchdog.close();
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            c.close();
        }
    }

    /** A reused connection turned out closed before its answer began. */
    private static final class StaleConnectionException extends IOException {
    }

    /** One socket with its buffered streams. */
    static final class Connection {
        private final Socket socket;
        final InputStream in;
        final OutputStream out;
        boolean reusable = true;
        long idleSince;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
        }

        void timeout(long deadline) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
        }

        void close() {
            reusable = false;
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
