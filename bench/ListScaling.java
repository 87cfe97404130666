import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * List-page cost against collection size, in one run (launched by bench/list-scaling.sh on a
 * running kinto4j): fills one collection per size through /v1/batch, then times, on each
 * collection, the pages a sync client asks for and prints the median and p90 per size and the
 * ratio largest/smallest. A page whose cost grows with the collection shows a ratio well above 1.
 *
 * <p>Usage: java bench/ListScaling.java BASE_URL SIZES ROUNDS BATCH
 * (e.g. http://127.0.0.1:8888 1000,100000 400 1000).
 */
public final class ListScaling {

    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("bench:bench".getBytes(StandardCharsets.UTF_8));
    private static final Pattern LAST_MODIFIED = Pattern.compile("\"last_modified\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private ListScaling(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: java ListScaling.java BASE_URL SIZES ROUNDS BATCH");
            System.exit(2);
        }
        ListScaling bench = new ListScaling(args[0]);
        int[] sizes = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        bench.run(sizes, rounds, batch);
    }

    private record Query(String label, String query) {
    }

    private void run(int[] sizes, int rounds, int batch) throws Exception {
        send("PUT", "/v1/buckets/bench", null, 201, 200);
        Map<Integer, List<Query>> queries = new LinkedHashMap<>();
        for (int size : sizes) {
            String collection = "/v1/buckets/bench/collections/c" + size;
            send("PUT", collection, null, 201, 200);
            long existing = total(collection);
            if (existing != size) {
                if (existing != 0) {
                    send("DELETE", collection + "/records", null, 200);
                }
                long start = System.nanoTime();
                fill(collection, size, batch);
                System.out.printf(Locale.ROOT, "filled %,d records in %.1f s%n", size, (System.nanoTime() - start) / 1e9);
            }
            long middle = middleTimestamp(collection, size);
            queries.put(size, List.of(
                    new Query("_limit=10 (newest page)", "?_limit=10"),
                    new Query("_since=<middle>&_limit=10", "?_since=" + middle + "&_limit=10"),
                    new Query("_since=<middle>&_sort=last_modified&_limit=10",
                            "?_since=" + middle + "&_sort=last_modified&_limit=10")));
        }
        // Warm up every query on every size (JIT, connection, database caches), then measure the
        // sizes interleaved round by round so that machine noise hits them alike.
        List<String> labels = queries.get(sizes[0]).stream().map(Query::label).toList();
        Map<String, long[]> samples = new LinkedHashMap<>();
        for (int phase = 0; phase < 2; phase++) {
            boolean measure = phase == 1;
            int n = measure ? rounds : Math.max(50, rounds / 2);
            for (int round = 0; round < n; round++) {
                for (int size : sizes) {
                    List<Query> qs = queries.get(size);
                    for (int q = 0; q < qs.size(); q++) {
                        String path = "/v1/buckets/bench/collections/c" + size + "/records" + qs.get(q).query();
                        long t0 = System.nanoTime();
                        String body = send("GET", path, null, 200);
                        long elapsed = System.nanoTime() - t0;
                        if (round == 0 && countRecords(body) != 10) {
                            throw new IllegalStateException("expected 10 records from " + path + ": " + body);
                        }
                        if (measure) {
                            samples.computeIfAbsent(size + "|" + q, k -> new long[rounds])[round] = elapsed;
                        }
                    }
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-48s %12s %10s %10s%n", "page", "records", "median ms", "p90 ms");
        Map<String, double[]> medians = new LinkedHashMap<>();
        for (int q = 0; q < labels.size(); q++) {
            for (int size : sizes) {
                long[] s = samples.get(size + "|" + q).clone();
                Arrays.sort(s);
                double median = s[s.length / 2] / 1e6;
                double p90 = s[(int) Math.min(s.length - 1, Math.round(s.length * 0.9))] / 1e6;
                medians.computeIfAbsent(labels.get(q), k -> new double[sizes.length])[indexOf(sizes, size)] = median;
                System.out.printf(Locale.ROOT, "%-48s %,12d %10.3f %10.3f%n", labels.get(q), size, median, p90);
            }
        }
        System.out.println();
        for (Map.Entry<String, double[]> e : medians.entrySet()) {
            double[] m = e.getValue();
            System.out.printf(Locale.ROOT, "ratio %,d/%,d records, %-44s %.2f%n", sizes[sizes.length - 1], sizes[0],
                    e.getKey() + ":", m[m.length - 1] / m[0]);
        }
    }

    private static int indexOf(int[] values, int v) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private void fill(String collection, int size, int batch) throws Exception {
        for (int done = 0; done < size; ) {
            int n = Math.min(batch, size - done);
            StringBuilder body = new StringBuilder("{\"defaults\":{\"method\":\"POST\",\"path\":\"")
                    .append(collection.substring(3)).append("/records\"},\"requests\":[");
            for (int i = 0; i < n; i++) {
                int k = done + i;
                body.append(i > 0 ? "," : "").append("{\"body\":{\"data\":{\"n\":").append(k)
                        .append(",\"title\":\"record ").append(k).append("\",\"done\":").append(k % 2 == 0).append("}}}");
            }
            body.append("]}");
            String response = send("POST", "/v1/batch", body.toString(), 200);
            if (!response.contains("\"status\":201") || response.contains("\"status\":4") || response.contains("\"status\":5")) {
                throw new IllegalStateException("batch failed: " + response.substring(0, Math.min(500, response.length())));
            }
            done += n;
        }
    }

    private long total(String collection) throws Exception {
        HttpRequest head = HttpRequest.newBuilder(URI.create(base + collection + "/records")).header("Authorization", AUTH)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> r = http.send(head, HttpResponse.BodyHandlers.discarding());
        return Long.parseLong(r.headers().firstValue("Total-Records").orElse("0"));
    }

    /** The last_modified of the record in the middle of the collection (sorted ascending). */
    private long middleTimestamp(String collection, int size) throws Exception {
        String body = send("GET", collection + "/records?_sort=last_modified&_limit=1&min_n=" + (size / 2), null, 200);
        Matcher m = LAST_MODIFIED.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no record in " + body);
        }
        return Long.parseLong(m.group(1));
    }

    private static int countRecords(String body) {
        Matcher m = LAST_MODIFIED.matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private String send(String method, String path, String body, int... expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", AUTH);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (int e : expected) {
            if (r.statusCode() == e) {
                return r.body();
            }
        }
        throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
}
