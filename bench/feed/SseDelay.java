import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Commit-to-delivery delay of the SSE change feed: one client follows a collection's
 * /changes stream while record POSTs are sent at a fixed rate (8 sender threads, each request
 * started at its scheduled time); per event, arrival time minus the record's last_modified
 * (taken just before its commit), for the events of the POSTs of the measured window. For
 * reference it also reports the POSTs' own latency and the arrival of each event relative to
 * its POST's response (negative: the event arrived first).
 * Prints: SSE_DELAY_RESULT posts=N events=N missing=N duplicates=N rate=R p50_ms=X p99_ms=Y max_ms=Z
 * post_latency_p50_ms=.. post_latency_p99_ms=.. after_response_p50_ms=.. after_response_p99_ms=..
 *
 * First it sends GETs of the collection's records at the same rate for 3 s (no event), so that
 * its own HTTP stack is compiled before the measured POSTs: the delays are the server's, not
 * this JVM's start-up on the same cores.
 *
 * Usage: java bench/feed/SseDelay.java BASE_URL AUTHORIZATION RATE_PER_SECOND SECONDS
 */
public class SseDelay {

    private static final java.util.regex.Pattern LAST_MODIFIED = java.util.regex.Pattern.compile("\"last_modified\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String auth = args[1];
        double rate = Double.parseDouble(args[2]);
        int seconds = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String collection = base + "/v1/buckets/bench/collections/feed";

        warmUp(client, collection + "/records?_limit=1", auth, rate, 3);
        ConcurrentHashMap<Long, Long> delays = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, Long> arrivals = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, Long> responses = new ConcurrentHashMap<>();
        List<Long> postLatencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong duplicates = new AtomicLong();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(URI.create(collection + "/changes"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("stream answered " + stream.statusCode());
        }
        Thread reader = new Thread(() -> stream.body().forEach(line -> {
            if (line.startsWith("id: ")) {
                long now = System.currentTimeMillis();
                long id = Long.parseLong(line.substring(4).trim());
                arrivals.putIfAbsent(id, now);
                if (delays.putIfAbsent(id, now - id) != null) {
                    duplicates.incrementAndGet();
                }
            }
        }), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        Set<Long> posted = ConcurrentHashMap.newKeySet();
        long total = Math.round(rate * seconds);
        long startNanos = System.nanoTime() + 200_000_000L;
        AtomicLong next = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        byte[] body = "{\"data\":{\"title\":\"bench\",\"done\":false}}".getBytes();
        for (int t = 0; t < 8; t++) {
            senders.execute(() -> {
                long i;
                while ((i = next.getAndIncrement()) < total) {
                    long due = startNanos + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    try {
                        long sent = System.currentTimeMillis();
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(collection + "/records"))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        java.util.regex.Matcher m = LAST_MODIFIED.matcher(r.body());
                        if (r.statusCode() == 201 && m.find()) {
                            long received = System.currentTimeMillis();
                            posted.add(Long.parseLong(m.group(1)));
                            responses.put(Long.parseLong(m.group(1)), received);
                            postLatencies.add(received - sent);
                        }
                    } catch (Exception e) {
                        // counted as missing below
                    }
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !delays.keySet().containsAll(posted)) {
            Thread.sleep(50);
        }
        List<Long> measured = new ArrayList<>();
        Set<Long> missing = new HashSet<>(posted);
        for (Long id : posted) {
            Long d = delays.get(id);
            if (d != null) {
                measured.add(d);
                missing.remove(id);
            }
        }
        Collections.sort(measured);
        List<Long> afterResponse = new ArrayList<>();
        for (Long id : posted) {
            if (arrivals.containsKey(id)) {
                afterResponse.add(arrivals.get(id) - responses.get(id));
            }
        }
        Collections.sort(afterResponse);
        List<Long> latencies = new ArrayList<>(postLatencies);
        Collections.sort(latencies);
        System.out.printf("SSE_DELAY_RESULT posts=%d events=%d missing=%d duplicates=%d rate=%.0f p50_ms=%d p99_ms=%d "
                + "max_ms=%d post_latency_p50_ms=%d post_latency_p99_ms=%d after_response_p50_ms=%d "
                + "after_response_p99_ms=%d%n",
                posted.size(), measured.size(), missing.size(), duplicates.get(), posted.size() / elapsed,
                pct(measured, 50), pct(measured, 99), measured.isEmpty() ? -1 : measured.get(measured.size() - 1),
                pct(latencies, 50), pct(latencies, 99), pct(afterResponse, 50), pct(afterResponse, 99));
        System.exit(0);
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** GETs at {@code rate} per second for {@code seconds}, answers ignored. */
    private static void warmUp(HttpClient client, String url, String auth, double rate, int seconds)
            throws InterruptedException {
        long total = Math.round(rate * seconds);
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        HttpRequest get = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build();
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                long i;
                while ((i = next.getAndIncrement()) < total) {
                    long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    try {
                        client.send(get, HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        // a warm-up request; nothing is measured
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
    }
}
