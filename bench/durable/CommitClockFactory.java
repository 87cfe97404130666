package bench.clock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerContext;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.ResourceEvent;

/**
 * The bench's commit clock: configured with {@code delivery = after_commit}, it is called on the
 * request thread right after the transaction committed, and records per event a "timestamp
 * commit" line (the event's timestamp, i.e. the record's last_modified, and the wall clock at
 * that moment, ms since the epoch). bench/delay_report.py takes the commit-to-delivery delay from
 * it: the record's last_modified is taken before the commit (and runs ahead of the clock when a
 * collection gets more than one write per millisecond), so it is not the commit's time.
 *
 * <p>It records every event from the server's start, and its own thread appends what it recorded to
 * {@code file} every 100 ms. It does not wait for the measured window to start recording: a
 * branch first taken when the window opens is one the JIT compiled out of the request path during
 * the warm-up, and taking it then throws that compiled code away (bench/RESULTS.md).
 */
public class CommitClockFactory implements ListenerFactory {

    @Override
    public String name() {
        return "commit_clock";
    }

    @Override
    public Listener create(ListenerContext context) {
        return new CommitClock(Path.of(context.settings().string("file")));
    }

    static final class CommitClock implements Listener {
        private final Path file;
        private final StringBuilder lines = new StringBuilder();
        private final Thread flusher;
        private volatile boolean open = true;

        CommitClock(Path file) {
            this.file = file;
            this.flusher = new Thread(this::flushLoop, "bench-commit-clock");
            this.flusher.setDaemon(true);
            this.flusher.start();
        }

        @Override
        public void onEvent(ResourceEvent event) {
            long now = System.currentTimeMillis();
            synchronized (lines) {
                lines.append(event.timestamp()).append(' ').append(now).append('\n');
            }
        }

        private void flushLoop() {
            while (open) {
                flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void flush() {
            String out;
            synchronized (lines) {
                if (lines.length() == 0) {
                    return;
                }
                out = lines.toString();
                lines.setLength(0);
            }
            try {
                Files.writeString(file, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            open = false;
            flusher.interrupt();
            flush();
        }
    }
}
