import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * Usage: java bench/durable/PacedPosts.java URL AUTHORIZATION RATE SECONDS
 */
public class PacedPosts {

    private static final int MAX_IN_FLIGHT = 32;

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String auth = args[1];
        double rate = Double.parseDouble(args[2]);
        long seconds = Long.parseLong(args[3]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        HttpRequest request = HttpRequest.newBuilder(url).header("Authorization", auth)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"title\":\"paced\"}}")).build();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        long period = Math.max(1, (long) (1_000_000_000L / rate));
        long start = System.nanoTime();
        ticks.scheduleAtFixedRate(() -> {
            if (!inFlight.tryAcquire()) {
                skipped.incrementAndGet();
                return;
            }
            sent.incrementAndGet();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (e == null && r.statusCode() == 201) {
                    ok.incrementAndGet();
                }
                inFlight.release();
            });
        }, 0, period, TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000);
        ticks.shutdownNow();
        inFlight.acquire(MAX_IN_FLIGHT);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("PACED_RESULT target_rps=%.0f sent=%d ok=%d skipped=%d achieved_rps=%.0f%n", rate, sent.get(),
                ok.get(), skipped.get(), ok.get() / elapsed);
        System.exit(0);
    }
}
