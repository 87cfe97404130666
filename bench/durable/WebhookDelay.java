import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A webhook receiver for the bench: answers 204 to every POST and records per event a "timestamp
 * arrival" line (the event's timestamp, i.e. the record's last_modified, and the arrival time, ms
 * since the epoch; a batch is an array of events) in ARRIVALS_FILE; bench/delay_report.py joins
 * them with the paced client's answers, so the warm-up's events are recorded but not counted.
 * It records from the first event on, not from the measured window's start: a branch first taken
 * then would be compiled code thrown away in the window (bench/RESULTS.md). Prints READY once
 * listening; when the file STOP appears, flushes the file and exits.
 *
 * <p>It shares the server's cores, so it is as cheap as a receiver can be: a thread per
 * connection reads HTTP/1.1 requests with a Content-Length body on a kept-alive connection and
 * writes a fixed answer, one read and one write per event, parsing bytes in its own buffer. The
 * JDK's HttpServer, used first, took 37-55 µs of CPU per event on this machine class, and a
 * reader of header lines with a regular expression 58-84 µs on a slow day where this takes 34-38
 * (bench/RESULTS.md): a costly receiver measures itself as much as the listener.
 *
 * Usage: java bench/durable/WebhookDelay.java PORT STOP_FILE ARRIVALS_FILE
 */
public class WebhookDelay {

    private static final byte[] NO_CONTENT = "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path stop = Path.of(args[1]);
        BufferedWriter arrivals = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8);
        ServerSocket server = new ServerSocket(port, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    Thread reader = new Thread(() -> serve(connection, arrivals));
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(stop)) {
            Thread.sleep(100);
        }
        server.close();
        synchronized (arrivals) {
            arrivals.close();
        }
    }

    /** Answers the connection's requests until the client closes it. */
    private static void serve(Socket connection, BufferedWriter arrivals) {
        try (connection) {
            connection.setTcpNoDelay(true);
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            Requests requests = new Requests(in);
            StringBuilder lines = new StringBuilder(256);
            while (requests.next()) {
                long now = System.currentTimeMillis();
                requests.timestamps(lines, now);
                synchronized (arrivals) {
                    arrivals.append(lines);
                }
                lines.setLength(0);
                out.write(NO_CONTENT);
            }
        } catch (IOException e) {
            // the client went away, or the receiver is stopping
        }
    }

    /**
     * HTTP/1.1 requests read from one connection into one buffer, by bytes: no per-byte
     * synchronised read, no string per header line, no regular expression (the receiver's CPU per
     * event is counted against the server's cores).
     */
    private static final class Requests {
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TIMESTAMP = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
        private final InputStream in;
        private byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;
        private int bodyStart;
        private int bodyEnd;

        Requests(InputStream in) {
            this.in = in;
        }

        /** Reads the next request whole; false at the end of the stream. */
        boolean next() throws IOException {
            start = bodyEnd;
            int headEnd;
            while ((headEnd = indexOf(start, end, "\r\n\r\n")) < 0) {
                if (!fill()) {
                    return false;
                }
            }
            int length = contentLength(start, headEnd);
            bodyStart = headEnd + 4;
            while (end - bodyStart < length) {
                if (!fill()) {
                    return false;
                }
            }
            bodyEnd = bodyStart + length;
            return true;
        }

        /** Appends "timestamp arrival" per event of the body. */
        void timestamps(StringBuilder lines, long now) {
            int at = bodyStart;
            while ((at = indexOf(at, bodyEnd, TIMESTAMP)) >= 0) {
                at += TIMESTAMP.length;
                long t = 0;
                while (at < bodyEnd && buf[at] >= '0' && buf[at] <= '9') {
                    t = t * 10 + (buf[at++] - '0');
                }
                lines.append(t).append(' ').append(now).append('\n');
            }
        }

        /** Moves the unread bytes to the buffer's start (growing it when full), then reads more. */
        private boolean fill() throws IOException {
            int shift = start;
            if (shift > 0) {
                System.arraycopy(buf, shift, buf, 0, end - shift);
                end -= shift;
                start = 0;
                bodyStart -= shift;
                bodyEnd = Math.max(0, bodyEnd - shift);
            }
            if (end == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
            return true;
        }

        private int contentLength(int from, int to) {
            int at = indexOfIgnoreCase(from, to, CONTENT_LENGTH);
            if (at < 0) {
                return 0;
            }
            at += CONTENT_LENGTH.length;
            while (buf[at] == ' ') {
                at++;
            }
            int n = 0;
            while (buf[at] >= '0' && buf[at] <= '9') {
                n = n * 10 + (buf[at++] - '0');
            }
            return n;
        }

        private int indexOf(int from, int to, String ascii) {
            return indexOf(from, to, ascii.getBytes(StandardCharsets.US_ASCII));
        }

        private int indexOf(int from, int to, byte[] what) {
            outer:
            for (int i = from; i <= to - what.length; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (buf[i + j] != what[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private int indexOfIgnoreCase(int from, int to, byte[] lowerCase) {
            outer:
            for (int i = from; i <= to - lowerCase.length; i++) {
                for (int j = 0; j < lowerCase.length; j++) {
                    int c = buf[i + j];
                    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lowerCase[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
