import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver for the bench: answers 204 to every POST and, while MEASURE exists as a
 * file, records arrival time minus the event's timestamp (the record's last_modified, taken just
 * before its commit): the commit-to-delivery delay. Prints READY once listening and, when the
 * file STOP appears, DELAY_RESULT count=N distinct_ids=N p50_ms=X p99_ms=Y max_ms=Z.
 *
 * With DELAY_ARRIVALS set to a file, it also writes there a "timestamp arrival" line (ms since
 * the epoch) per event measured.
 *
 * Usage: java bench/durable/WebhookDelay.java PORT MEASURE_FILE STOP_FILE
 */
public class WebhookDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");
    private static final Pattern ID = Pattern.compile("(?:^|\\[|,)\\{\"id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        java.nio.file.Path measure = java.nio.file.Path.of(args[1]);
        java.nio.file.Path stop = java.nio.file.Path.of(args[2]);
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        Set<String> ids = Collections.synchronizedSet(new HashSet<>());
        List<String> arrivals = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            if (java.nio.file.Files.exists(measure)) {
                Matcher t = TIMESTAMP.matcher(body);
                Matcher i = ID.matcher(body);
                while (t.find()) { // one per event: a batch is an array of events
                    delays.add(now - Long.parseLong(t.group(1)));
                    arrivals.add(t.group(1) + " " + now);
                }
                while (i.find()) {
                    ids.add(i.group(1));
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("READY");
        System.out.flush();
        while (!java.nio.file.Files.exists(stop)) {
            Thread.sleep(100);
        }
        server.stop(0);
        String arrivalsFile = System.getenv("DELAY_ARRIVALS");
        if (arrivalsFile != null && !arrivalsFile.isEmpty()) {
            synchronized (arrivals) {
                java.nio.file.Files.write(java.nio.file.Path.of(arrivalsFile), arrivals);
            }
        }
        List<Long> sorted;
        synchronized (delays) {
            sorted = new ArrayList<>(delays);
        }
        Collections.sort(sorted);
        System.out.printf("DELAY_RESULT count=%d distinct_ids=%d p50_ms=%d p99_ms=%d max_ms=%d%n", sorted.size(),
                ids.size(), percentile(sorted, 50), percentile(sorted, 99),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
