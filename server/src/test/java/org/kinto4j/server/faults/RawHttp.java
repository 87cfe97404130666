package org.kinto4j.server.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client over one keep-alive socket: sends the exact bytes it is
 * given (bad request lines, invalid headers, lying Content-Lengths) and reads one response.
 * Reconnects when the server closed the connection. Not thread-safe: one per thread.
 */
final class RawHttp implements AutoCloseable {

    /** One response: status, headers (lower-case names), body bytes. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttp(int port) {
        this.port = port;
    }

    /**
     * Sends {@code request} (a whole HTTP message) and reads the response. {@code head}: the
     * response has no body whatever its headers say.
     */
    Response send(byte[] request, boolean head) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean fresh = socket == null;
            if (fresh) {
                connect();
            }
            try {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException writeFailed) {
                    // The server may answer early (413) and close while the body is still being
                    // sent: its response is then already in our receive buffer.
                    Response early = readQuietly(head);
                    if (early != null) {
                        close();
                        return early;
                    }
                    throw writeFailed;
                }
                Response r = read(head);
                if (r != null) {
                    String connection = r.header("connection");
                    if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
                        close();
                    }
                    return r;
                }
            } catch (IOException e) {
                close();
                if (fresh || attempt > 0) {
                    throw e;
                }
                continue; // the server closed an idle keep-alive connection: retry once on a new one
            }
            close();
            if (fresh || attempt > 0) {
                throw new IOException("connection closed without a response");
            }
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    private Response readQuietly(boolean head) {
        try {
            return read(head);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Null when the connection was closed before a status line. */
    private Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            return null;
        }
        while (statusLine.startsWith("HTTP/1.1 100") || statusLine.isEmpty()) {
            if (statusLine.startsWith("HTTP/1.1 100")) {
                while (!line().isEmpty()) {
                    // skip the interim response's headers
                }
            }
            statusLine = line();
            if (statusLine == null) {
                return null;
            }
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = chunked();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
            close();
        }
        return new Response(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (size == null) {
                throw new IOException("truncated chunked body");
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = line();
                    if (trailer == null || trailer.isEmpty()) {
                        return buf.toByteArray();
                    }
                }
            }
            buf.write(in.readNBytes(n));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
