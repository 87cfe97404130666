import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consumes the redis listener's list with BLPOP, as the tutorial's worker does, and records per
 * message a "timestamp arrival" line (the event's timestamp, i.e. the record's last_modified, and
 * the pop time, ms since the epoch); bench/delay_report.py joins them with the paced client's
 * answers. Stops after IDLE_SECONDS without a message and writes the lines to ARRIVALS_FILE.
 *
 * Before it says READY it pushes and pops a few thousand messages of its own on a scratch list, so
 * that its pop-and-parse loop is compiled: a cold consumer would add its own start-up to the
 * delays of the first messages (the arrival is taken when a message is popped).
 *
 * Usage: java -cp examples/worker/target/worker.jar bench/durable/RedisDelay.java URL LIST IDLE_SECONDS ARRIVALS_FILE
 */
public class RedisDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    public static void main(String[] args) throws IOException {
        String list = args[1];
        long idle = Long.parseLong(args[2]);
        List<String> arrivals = new ArrayList<>();
        RedisClient client = RedisClient.create(args[0]);
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
                if (t.find()) {
                    arrivals.add(t.group(1) + " " + now);
                }
            }
        } finally {
            client.shutdown();
        }
        Files.write(Path.of(args[3]), arrivals);
    }

    private static void warmUp(RedisCommands<String, String> redis, String scratch) {
        String sample = "{\"payload\":{\"timestamp\":1,\"action\":\"create\"},\"impacted\":[{\"new\":{\"id\":\"x\"}}]}";
        long sink = 0;
        for (int i = 0; i < 3_000; i++) {
            redis.lpush(scratch, sample);
            KeyValue<String, String> kv = redis.blpop(1, scratch);
            Matcher t = TIMESTAMP.matcher(kv.getValue());
            if (t.find()) {
                sink += Long.parseLong(t.group(1));
            }
        }
        redis.del(scratch);
        if (sink == 42) {
            System.out.print("");
        }
    }
}
