import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Follows one /changes stream for the SSE feed bench. Prints READY once the stream answered 200;
 * records a "last_modified arrival" line (ms since the epoch) per event in ARRIVALS; when the file
 * STOP appears, flushes it and exits. The POSTs are sent by wrk (bench/lua/paced.lua), which
 * records when each 201 arrived; bench/delay_report.py joins the two files, so the warm-up's
 * events are recorded but not counted. The follower is open and recording during the server's
 * warm-up, so its own line parsing is compiled before the measured window and takes no new branch
 * when it opens.
 *
 * Usage: java bench/feed/SseDelay.java STREAM_URL AUTHORIZATION STOP_FILE ARRIVALS_FILE
 */
public class SseDelay {

    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[2]);
        BufferedWriter arrivals = Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(URI.create(args[0]))
                .header("Authorization", args[1]).build(), HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("the stream answered " + stream.statusCode());
        }
        Thread reader = new Thread(() -> stream.body().forEach(line -> {
            if (line.startsWith("id: ")) {
                long now = System.currentTimeMillis();
                synchronized (arrivals) {
                    write(arrivals, line.substring(4).trim() + " " + now + "\n");
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
            arrivals.close();
        }
        System.exit(0);
    }

    private static void write(BufferedWriter out, String line) {
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
