import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Consumes the redis listener's list with BLPOP, one message at a time as the tutorial's worker
 * does, and records per message a "timestamp arrival" line (the event's timestamp, i.e. the
 * record's last_modified, and the pop time, ms since the epoch); bench/delay_report.py joins them
 * with the paced client's answers and the server's commit clock. Stops after IDLE_SECONDS without
 * a message and writes the lines to ARRIVALS_FILE.
 *
 * <p>It speaks RESP over a plain blocking socket, on its one thread: a client library's I/O
 * thread would add a hand-over per message, and on a loaded 2-core machine each hand-over can wait
 * for a time slice, which the bench would count as delivery delay. Before it says READY it pushes
 * and pops a few thousand messages of its own on a scratch list, so that its loop is compiled.
 *
 * Usage: java bench/durable/RedisDelay.java redis://HOST:PORT[/DB] LIST IDLE_SECONDS ARRIVALS_FILE
 */
public class RedisDelay {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\d+)");

    public static void main(String[] args) throws IOException {
        URI url = URI.create(args[0]);
        String list = args[1];
        String idle = args[2];
        List<String> arrivals = new ArrayList<>();
        try (Socket socket = new Socket(url.getHost(), url.getPort() < 0 ? 6379 : url.getPort())) {
            socket.setTcpNoDelay(true);
            Resp redis = new Resp(socket);
            String db = url.getPath() == null ? "" : url.getPath().replace("/", "");
            if (!db.isEmpty() && !db.equals("0")) {
                redis.call("SELECT", db);
            }
            warmUp(redis, list + ":warm-up");
            System.out.println("READY");
            System.out.flush();
            while (true) {
                List<String> kv = redis.call("BLPOP", list, idle);
                if (kv == null) {
                    break;
                }
                long now = System.currentTimeMillis();
                Matcher t = TIMESTAMP.matcher(kv.get(1));
                if (t.find()) {
                    arrivals.add(t.group(1) + " " + now);
                }
            }
        }
        Files.write(Path.of(args[3]), arrivals);
    }

    private static void warmUp(Resp redis, String scratch) throws IOException {
        String sample = "{\"payload\":{\"timestamp\":1,\"action\":\"create\"},\"impacted\":[{\"new\":{\"id\":\"x\"}}]}";
        long sink = 0;
        for (int i = 0; i < 5_000; i++) {
            redis.call("RPUSH", scratch, sample);
            Matcher t = TIMESTAMP.matcher(redis.call("BLPOP", scratch, "1").get(1));
            if (t.find()) {
                sink += Long.parseLong(t.group(1));
            }
        }
        redis.call("DEL", scratch);
        if (sink == 42) {
            System.out.print("");
        }
    }

    /** The part of RESP the consumer needs: commands out, integers, bulk strings and arrays of them back. */
    static final class Resp {
        private final OutputStream out;
        private final InputStream in;

        Resp(Socket socket) throws IOException {
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** Sends a command; returns an array reply's strings, a single reply as a one-element list, or null for a nil reply. */
        List<String> call(String... words) throws IOException {
            StringBuilder cmd = new StringBuilder().append('*').append(words.length).append("\r\n");
            for (String w : words) {
                cmd.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
            }
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply();
        }

        private List<String> reply() throws IOException {
            int type = in.read();
            String line = line();
            switch (type) {
                case '*' -> {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    List<String> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        List<String> item = reply();
                        items.add(item == null ? null : item.get(0));
                    }
                    return items;
                }
                case '$' -> {
                    int len = Integer.parseInt(line);
                    if (len < 0) {
                        return null;
                    }
                    byte[] data = in.readNBytes(len + 2);
                    return List.of(new String(data, 0, len, StandardCharsets.UTF_8));
                }
                case '+', ':' -> {
                    return List.of(line);
                }
                case '-' -> throw new IOException("Redis answered an error: " + line);
                default -> throw new IOException("unexpected reply type " + type + " from Redis");
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("Redis closed the connection");
                }
                sb.append((char) c);
            }
            in.read(); // '\n'
            return sb.toString();
        }
    }
}
