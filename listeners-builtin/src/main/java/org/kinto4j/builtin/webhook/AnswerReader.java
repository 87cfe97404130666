package org.kinto4j.builtin.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 answer for {@link BlockingHttpClient}: status line, headers, and a body
 * delimited by {@code Content-Length}, chunked transfer coding or the end of the connection.
 * Interim {@code 1xx} answers are skipped. It decides whether the connection can carry the next
 * request: not after {@code Connection: close}, an HTTP/1.0 answer, a body read to the end of
 * the connection, or a body longer than {@link BlockingHttpClient#MAX_BODY} (left unread).
 */
final class AnswerReader {

    /** Longest status line plus headers accepted (and chunk-size lines, counted with them). */
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final InputStream in;
    private final long deadline;
    private final BlockingHttpClient.Connection connection;
    private int headerBytes;

    private AnswerReader(InputStream in, long deadline, BlockingHttpClient.Connection connection) {
        this.in = in;
        this.deadline = deadline;
        this.connection = connection;
    }

    /** The answer whose first byte is {@code first}; {@code null} when the connection ended before one. */
    static BlockingHttpClient.Response read(InputStream in, int first, long deadline,
            BlockingHttpClient.Connection connection) throws IOException {
        if (first < 0) {
            return null;
        }
        AnswerReader reader = new AnswerReader(in, deadline, connection);
        String statusLine = (char) first + reader.line();
        while (true) {
            int status = status(statusLine);
            Map<String, String> headers = reader.headers();
            if (status >= 100 && status < 200 && status != 101) {
                statusLine = reader.line();
                continue;
            }
            boolean http10 = statusLine.startsWith("HTTP/1.0");
            String connectionHeader = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
            connection.reusable = !http10 && !connectionHeader.contains("close");
            String body = status == 204 || status == 304 ? "" : reader.body(headers);
            return new BlockingHttpClient.Response(status, headers, body);
        }
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new IOException("not an HTTP/1.1 answer: " + excerpt(line));
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + excerpt(line));
        }
    }

    private Map<String, String> headers() throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + excerpt(line));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return headers;
    }

    private String body(Map<String, String> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            for (long size = chunkSize(line()); size > 0; size = chunkSize(line())) {
                if (!copy(size, body)) {
                    return body.toString(StandardCharsets.UTF_8);
                }
                line(); // the CRLF after the chunk
            }
            headers(); // trailers, up to the empty line
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length").split(",")[0].trim());
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length: " + excerpt(headers.get("content-length")));
            }
            copy(length, body);
        } else {
            connection.reusable = false;
            copy(Long.MAX_VALUE, body);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** Copies up to {@code length} bytes (stops at the end of the stream); false when the body was cut. */
    private boolean copy(long length, ByteArrayOutputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            if (body.size() >= BlockingHttpClient.MAX_BODY) {
                connection.reusable = false;
                return false;
            }
            connection.timeout(deadline);
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, Math.min(left, BlockingHttpClient.MAX_BODY - body.size())));
            if (n < 0) {
                if (length != Long.MAX_VALUE) {
                    connection.reusable = false;
                }
                return true;
            }
            body.write(buffer, 0, n);
            left -= n;
        }
        return true;
    }

    private static long chunkSize(String line) throws IOException {
        String size = line.contains(";") ? line.substring(0, line.indexOf(';')) : line;
        try {
            return Long.parseLong(size.trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size: " + excerpt(line));
        }
    }

    /** One line without its CRLF (or LF), ISO-8859-1. */
    private String line() throws IOException {
        connection.timeout(deadline);
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended in the middle of the answer");
            }
            if (++headerBytes > MAX_HEAD_BYTES) {
                throw new IOException("the answer's head is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    private static String excerpt(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
