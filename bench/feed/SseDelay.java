import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Follows one /changes stream for the SSE feed bench. Prints READY once the stream answered 200;
 * while the file MEASURE exists, records a "last_modified arrival" line (ms since the epoch) per
 * event; when the file STOP appears, writes them to ARRIVALS and exits. The POSTs are sent by
 * wrk (bench/lua/paced.lua), which records when each 201 arrived; bench/delay_report.py joins
 * the two files. The follower is open during the server's warm-up, so its own line parsing is
 * compiled before the measured window.
 *
 * Usage: java bench/feed/SseDelay.java STREAM_URL AUTHORIZATION MEASURE_FILE STOP_FILE ARRIVALS_FILE
 */
public class SseDelay {

    public static void main(String[] args) throws Exception {
        Path measure = Path.of(args[2]);
        Path stop = Path.of(args[3]);
        Path arrivalsFile = Path.of(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(URI.create(args[0]))
                .header("Authorization", args[1]).build(), HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("the stream answered " + stream.statusCode());
        }
        List<String> arrivals = new ArrayList<>();
        Thread reader = new Thread(() -> stream.body().forEach(line -> {
            if (line.startsWith("id: ")) {
                long now = System.currentTimeMillis();
                if (Files.exists(measure)) {
                    synchronized (arrivals) {
                        arrivals.add(line.substring(4).trim() + " " + now);
                    }
                }
            }
        }), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        System.out.println("READY");
        System.out.flush();
        while (!Files.exists(stop)) {
            Thread.sleep(100);
        }
        synchronized (arrivals) {
            Files.write(arrivalsFile, arrivals);
        }
        System.exit(0);
    }
}
