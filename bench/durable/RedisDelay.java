import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consumes the redis listener's list with BLPOP and measures, per message, arrival time minus
 * the event's timestamp (the record's last_modified, taken just before its commit): the
 * commit-to-Redis delay of durable delivery. Stops after IDLE_SECONDS without a message.
 * Prints: DELAY_RESULT count=N distinct_ids=N p50_ms=X p99_ms=Y max_ms=Z
 *
 * Before it says READY it pushes and pops a few thousand messages of its own on a scratch list, so
 * that its pop-and-parse loop is compiled: a cold consumer would add its own start-up to the
 * delays of the first messages (the delay is taken when a message is popped).
 *
 * With DELAY_ARRIVALS set to a file, it also writes there a "timestamp arrival" line (ms since
 * the epoch) per message.
 *
 * Usage: java -cp examples/worker/target/worker.jar bench/durable/RedisDelay.java URL LIST IDLE_SECONDS
 */
public class RedisDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    public static void main(String[] args) {
        String url = args[0];
        String list = args[1];
        long idle = Long.parseLong(args[2]);
        List<Long> delays = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<String> arrivals = new ArrayList<>();
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            warmUp(redis, list + ":warm-up");
            System.out.println("READY");
            while (true) {
                KeyValue<String, String> kv = redis.blpop(idle, list);
                if (kv == null || !kv.hasValue()) {
                    break;
                }
                long now = System.currentTimeMillis();
                Matcher t = TIMESTAMP.matcher(kv.getValue());
                Matcher i = ID.matcher(kv.getValue());
                if (t.find()) {
                    delays.add(now - Long.parseLong(t.group(1)));
                    arrivals.add(t.group(1) + " " + now);
                }
                if (i.find()) {
                    ids.add(i.group(1));
                }
            }
        } finally {
            client.shutdown();
        }
        String arrivalsFile = System.getenv("DELAY_ARRIVALS");
        if (arrivalsFile != null && !arrivalsFile.isEmpty()) {
            try {
                java.nio.file.Files.write(java.nio.file.Path.of(arrivalsFile), arrivals);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Collections.sort(delays);
        System.out.printf("DELAY_RESULT count=%d distinct_ids=%d p50_ms=%d p99_ms=%d max_ms=%d%n", delays.size(),
                ids.size(), percentile(delays, 50), percentile(delays, 99),
                delays.isEmpty() ? 0 : delays.get(delays.size() - 1));
    }

    private static void warmUp(RedisCommands<String, String> redis, String scratch) {
        String sample = "{\"payload\":{\"timestamp\":1,\"action\":\"create\"},\"impacted\":[{\"new\":{\"id\":\"x\"}}]}";
        long sink = 0;
        for (int i = 0; i < 3_000; i++) {
            redis.lpush(scratch, sample);
            KeyValue<String, String> kv = redis.blpop(1, scratch);
            Matcher t = TIMESTAMP.matcher(kv.getValue());
            Matcher id = ID.matcher(kv.getValue());
            if (t.find() && id.find()) {
                sink += Long.parseLong(t.group(1)) + id.group(1).length();
            }
        }
        redis.del(scratch);
        if (sink == 42) {
            System.out.print("");
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
