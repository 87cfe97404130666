import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver for the bench: answers 204 to every POST and, while MEASURE exists as a
 * file, records per event a "timestamp arrival" line (the event's timestamp, i.e. the record's
 * last_modified, and the arrival time, ms since the epoch; a batch is an array of events);
 * bench/delay_report.py joins them with the paced client's answers. Prints READY once
 * listening; when the file STOP appears, writes the lines to ARRIVALS_FILE and exits.
 *
 * Usage: java bench/durable/WebhookDelay.java PORT MEASURE_FILE STOP_FILE ARRIVALS_FILE
 */
public class WebhookDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path measure = Path.of(args[1]);
        Path stop = Path.of(args[2]);
        List<String> arrivals = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            if (Files.exists(measure)) {
                Matcher t = TIMESTAMP.matcher(body);
                synchronized (arrivals) {
                    while (t.find()) {
                        arrivals.add(t.group(1) + " " + now);
                    }
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
            Files.write(Path.of(args[3]), arrivals);
        }
    }
}
