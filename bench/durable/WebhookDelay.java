import java.io.BufferedInputStream;
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
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * writes a fixed answer, one read and one write per event. The JDK's HttpServer, used before,
 * took 37-55 µs of CPU per event on this machine class (bench/RESULTS.md), more than the server's
 * own delivery thread, and so measured the receiver as much as the listener.
 *
 * Usage: java bench/durable/WebhookDelay.java PORT STOP_FILE ARRIVALS_FILE
 */
public class WebhookDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");
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
            InputStream in = new BufferedInputStream(connection.getInputStream(), 64 * 1024);
            OutputStream out = connection.getOutputStream();
            while (true) {
                int length = headers(in);
                if (length < 0) {
                    return;
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                long now = System.currentTimeMillis();
                Matcher t = TIMESTAMP.matcher(body);
                synchronized (arrivals) {
                    while (t.find()) {
                        arrivals.write(t.group(1) + " " + now + "\n");
                    }
                }
                out.write(NO_CONTENT);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away, or the receiver is stopping
        }
    }

    /** Reads a request's head; returns its Content-Length (0 without one), -1 at the end of the stream. */
    private static int headers(InputStream in) throws IOException {
        int length = 0;
        boolean first = true;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            if (c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
                continue;
            }
            if (line.length() == 0) {
                if (first) {
                    continue;
                }
                return length;
            }
            first = false;
            String header = line.toString().toLowerCase(Locale.ROOT);
            if (header.startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).strip());
            }
            line.setLength(0);
        }
    }
}
