import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Usage: java bench/durable/WebhookDelay.java PORT STOP_FILE ARRIVALS_FILE
 */
public class WebhookDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path stop = Path.of(args[1]);
        BufferedWriter arrivals = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            Matcher t = TIMESTAMP.matcher(body);
            synchronized (arrivals) {
                while (t.find()) {
                    arrivals.write(t.group(1) + " " + now + "\n");
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(stop)) {
            Thread.sleep(100);
        }
        server.stop(0);
        synchronized (arrivals) {
            arrivals.close();
        }
    }
}
