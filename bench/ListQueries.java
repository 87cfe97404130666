import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The list scenarios of issue 9 against one running server (kinto4j or an upstream Kinto), at
 * several collection sizes, in one run (launched by bench/list-queries.sh). Each collection
 * {@code c<size>} of bucket BUCKET holds records {@code {n: k, g: k % 100, ki: k, gi: k % 100,
 * title}}; {@code ki} and {@code gi} are the fields the server was told to index
 * ({@code storage.indexes}), {@code n} and {@code g} the same values without an index. Every
 * scenario is timed sequentially on one connection, the sizes and scenarios interleaved round by
 * round so that machine noise hits them alike; the report gives medians, p90 and each median as
 * a ratio to the {@code _limit=10} page of the same size.
 *
 * <p>Usage: java bench/ListQueries.java BASE_URL BUCKET SIZES ROUNDS BATCH [--setup-only]. With
 * {@code --setup-only} it only creates the bucket and the collections (list-queries.sh then fills
 * them in SQL); otherwise a collection that does not hold SIZE records is filled through
 * {@code /v1/batch} first.
 */
public final class ListQueries {

    private static final Pattern LAST_MODIFIED = Pattern.compile("\"last_modified\":\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String bucket;
    private final String auth;

    private ListQueries(String base, String bucket, String user) {
        this.base = base;
        this.bucket = bucket;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":bench").getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java ListQueries.java BASE_URL BUCKET SIZES ROUNDS BATCH [--setup-only]");
            System.exit(2);
        }
        boolean setupOnly = args.length > 5 && args[5].equals("--setup-only");
        ListQueries bench = new ListQueries(args[0], args[1], "bench");
        int[] sizes = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        if (setupOnly) {
            bench.setup(sizes);
            return;
        }
        bench.run(sizes, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    }

    private record Scenario(String label, String method, String pathAndQuery, int expectedRecords) {
    }

    private List<Scenario> scenarios(int size) {
        String records = "/v1/buckets/" + bucket + "/collections/c" + size + "/records";
        int mid = size / 2;
        return List.of(
                new Scenario("_limit=10", "GET", records + "?_limit=10", 10),
                new Scenario("g=7&_limit=10 (1 % match)", "GET", records + "?g=7&_limit=10", 10),
                new Scenario("n=<mid> (one match)", "GET", records + "?n=" + mid, 1),
                new Scenario("_sort=-n&_limit=10", "GET", records + "?_sort=-n&_limit=10", 10),
                new Scenario("HEAD ?g=7 (count)", "HEAD", records + "?g=7", size / 100),
                new Scenario("gi=7&_limit=10 (declared index)", "GET", records + "?gi=7&_limit=10", 10),
                new Scenario("ki=<mid> (declared index)", "GET", records + "?ki=" + mid, 1),
                new Scenario("_sort=-ki&_limit=10 (declared index)", "GET", records + "?_sort=-ki&_limit=10", 10),
                new Scenario("HEAD ?gi=7 (declared index)", "HEAD", records + "?gi=7", size / 100),
                new Scenario("GET record", "GET", records + "/r" + mid, -1),
                new Scenario("POST record", "POST", "/v1/buckets/" + bucket + "/collections/posts/records", -1));
    }

    private void setup(int[] sizes) {
        send("PUT", "/v1/buckets/" + bucket, null, 201, 200);
        send("PUT", "/v1/buckets/" + bucket + "/collections/posts", null, 201, 200);
        for (int size : sizes) {
            send("PUT", "/v1/buckets/" + bucket + "/collections/c" + size, null, 201, 200);
        }
    }

    private void run(int[] sizes, int rounds, int batch) throws Exception {
        setup(sizes);
        for (int size : sizes) {
            String collection = "/v1/buckets/" + bucket + "/collections/c" + size;
            if (total(collection + "/records") != size) {
                long start = System.nanoTime();
                fill(collection, size, batch);
                System.out.printf(Locale.ROOT, "filled %,d records in %.1f s%n", size, (System.nanoTime() - start) / 1e9);
            }
        }
        List<String> labels = scenarios(sizes[0]).stream().map(Scenario::label).toList();
        Map<String, long[]> samples = new LinkedHashMap<>();
        for (int phase = 0; phase < 2; phase++) {
            boolean measure = phase == 1;
            int n = measure ? rounds : Math.max(5, rounds / 4);
            for (int round = 0; round < n; round++) {
                for (int size : sizes) {
                    List<Scenario> list = scenarios(size);
                    for (int q = 0; q < list.size(); q++) {
                        Scenario s = list.get(q);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = exchange(s.method(), s.pathAndQuery(),
                                s.method().equals("POST") ? "{\"data\":{\"n\":1}}" : null);
                        long elapsed = System.nanoTime() - t0;
                        if (round == 0 && !measure) {
                            check(s, r);
                        }
                        if (measure) {
                            samples.computeIfAbsent(size + "|" + q, k -> new long[rounds])[round] = elapsed;
                        }
                    }
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-40s %9s %10s %9s %12s%n", "scenario", "records", "median ms", "p90 ms", "x _limit=10");
        for (int size : sizes) {
            double reference = 0;
            for (int q = 0; q < labels.size(); q++) {
                long[] s = samples.get(size + "|" + q).clone();
                Arrays.sort(s);
                double median = s[s.length / 2] / 1e6;
                double p90 = s[(int) Math.min(s.length - 1, Math.round(s.length * 0.9))] / 1e6;
                if (q == 0) {
                    reference = median;
                }
                System.out.printf(Locale.ROOT, "%-40s %,9d %10.2f %9.2f %12.1f%n", labels.get(q), size, median, p90,
                        median / reference);
            }
            System.out.println();
        }
    }

    private void check(Scenario s, HttpResponse<String> r) {
        int expectedStatus = s.method().equals("POST") ? 201 : 200;
        if (r.statusCode() != expectedStatus) {
            throw new IllegalStateException(s.label() + " answered " + r.statusCode() + ": " + r.body());
        }
        if (s.expectedRecords() < 0) {
            return;
        }
        long found = s.method().equals("HEAD")
                ? Long.parseLong(r.headers().firstValue("Total-Records").orElse("-1"))
                : countRecords(r.body());
        if (found != s.expectedRecords()) {
            throw new IllegalStateException(s.label() + ": expected " + s.expectedRecords() + " records, got " + found);
        }
    }

    private void fill(String collection, int size, int batch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        List<Future<?>> done = new ArrayList<>();
        for (int from = 0; from < size; from += batch) {
            int start = from;
            int n = Math.min(batch, size - from);
            done.add(pool.submit(() -> {
                StringBuilder body = new StringBuilder("{\"defaults\":{\"method\":\"PUT\"},\"requests\":[");
                for (int i = 0; i < n; i++) {
                    int k = start + i;
                    body.append(i > 0 ? "," : "").append("{\"path\":\"").append(collection.substring(3)).append("/records/r")
                            .append(k).append("\",\"body\":{\"data\":{\"n\":").append(k).append(",\"g\":").append(k % 100)
                            .append(",\"ki\":").append(k).append(",\"gi\":").append(k % 100)
                            .append(",\"title\":\"record ").append(k).append("\"}}}");
                }
                body.append("]}");
                String response = send("POST", "/v1/batch", body.toString(), 200);
                if (response.contains("\"status\":4") || response.contains("\"status\":5")) {
                    throw new IllegalStateException("batch failed: " + response.substring(0, Math.min(500, response.length())));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    private long total(String records) throws Exception {
        HttpResponse<String> r = exchange("HEAD", records, null);
        return Long.parseLong(r.headers().firstValue("Total-Records").orElse("0"));
    }

    private static int countRecords(String body) {
        Matcher m = LAST_MODIFIED.matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private HttpResponse<String> exchange(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", auth);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String send(String method, String path, String body, int... expected) {
        try {
            HttpResponse<String> r = exchange(method, path, body);
            for (int e : expected) {
                if (r.statusCode() == e) {
                    return r.body();
                }
            }
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }
}
