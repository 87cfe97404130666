import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load: POSTs a record at a fixed rate (not "as fast as answers come back", as wrk
 * does), so the commit-to-delivery delay is measured at a chosen fraction of the saturating
 * rate. At most MAX_IN_FLIGHT requests wait at once; a tick that finds none free is counted as
 * skipped. Prints: PACED_RESULT target_rps=R sent=N ok=N skipped=N achieved_rps=X
 *
 * First, for WARMUP_SECONDS (default 3), the same rate of GETs of the list (which make no event):
 * this client's HTTP stack is compiled and warm before the first measured POST, so the delays
 * measured are the server's, not this JVM's start-up on the same cores.
 *
 * With the environment variable PACED_ACKS set to a file, it also writes there, for every
 * record created, its last_modified and the time its 201 arrived (ms since the epoch), one
 * "last_modified arrival" line each: with a consumer's arrival times (DELAY_ARRIVALS of
 * WebhookDelay and RedisDelay), a delay splits into the write's own part and what follows its
 * answer.
 *
 * Usage: java bench/durable/PacedPosts.java URL AUTHORIZATION RATE SECONDS [WARMUP_SECONDS]
 */
public class PacedPosts {

    private static final int MAX_IN_FLIGHT = 32;
    private static final java.util.regex.Pattern LAST_MODIFIED = java.util.regex.Pattern.compile("\"last_modified\":(\\d+)");
    private static final ConcurrentLinkedQueue<String> ACKS = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String auth = args[1];
        double rate = Double.parseDouble(args[2]);
        long seconds = Long.parseLong(args[3]);
        long warmup = args.length > 4 ? Long.parseLong(args[4]) : 3;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(args[0] + "?_limit=1")).header("Authorization", auth)
                .timeout(Duration.ofSeconds(10)).GET().build();
        pace(client, read, rate, warmup, 200, new AtomicLong(), new AtomicLong(), new AtomicLong());
        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        HttpRequest request = HttpRequest.newBuilder(url).header("Authorization", auth)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"title\":\"paced\"}}")).build();
        long start = System.nanoTime();
        pace(client, request, rate, seconds, 201, sent, ok, skipped);
        double elapsed = (System.nanoTime() - start) / 1e9;
        String acks = System.getenv("PACED_ACKS");
        if (acks != null && !acks.isEmpty()) {
            java.nio.file.Files.write(java.nio.file.Path.of(acks), ACKS);
        }
        System.out.printf("PACED_RESULT target_rps=%.0f sent=%d ok=%d skipped=%d achieved_rps=%.0f%n", rate, sent.get(),
                ok.get(), skipped.get(), ok.get() / elapsed);
        System.exit(0);
    }

    /** Sends {@code request} at {@code rate} per second for {@code seconds}; returns once every answer came. */
    private static void pace(HttpClient client, HttpRequest request, double rate, long seconds, int expected,
            AtomicLong sent, AtomicLong ok, AtomicLong skipped) throws InterruptedException {
        if (seconds <= 0) {
            return;
        }
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        long period = Math.max(1, (long) (1_000_000_000L / rate));
        ticks.scheduleAtFixedRate(() -> {
            if (!inFlight.tryAcquire()) {
                skipped.incrementAndGet();
                return;
            }
            sent.incrementAndGet();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                long now = System.currentTimeMillis();
                if (e == null && r.statusCode() == expected) {
                    ok.incrementAndGet();
                    java.util.regex.Matcher m = LAST_MODIFIED.matcher(r.body());
                    if (expected == 201 && m.find()) {
                        ACKS.add(m.group(1) + " " + now);
                    }
                }
                inFlight.release();
            });
        }, 0, period, TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000);
        ticks.shutdownNow();
        inFlight.acquire(MAX_IN_FLIGHT);
    }
}
