package org.kinto4j.server.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces the embedded database's file to the disk every {@link #INTERVAL}, so that its dead space
 * can be reused after {@link #RETENTION} instead of H2's 45 s.
 *
 * <p>H2 appends a chunk to its file at every file write, with the new version of each page the
 * write changed, and reuses a chunk's space once no page in it is live and it has been dead for
 * the store's retention time. The default, 45 s, is how long H2 assumes the operating system may
 * keep written data in memory: a chunk must not be overwritten before the chunks that replaced it
 * are on the disk. Under {@link H2GroupCommit} every group of commits is a file write of tens of
 * KB, so 45 s of them are hundreds of MB to GBs of dead chunks: the file grew by 35 KB per record
 * at 300 record POSTs/s (1.25 GB after two minutes; the records' live data was ~8 MB) and 12 KB
 * per record at saturation (bench/RESULTS.md). With the file forced every second, what was
 * written more than a second ago is on the disk, and a few seconds of retention are as safe as
 * H2's 45 s were with the operating system's own flushing (which typically writes data back within
 * 30 s). It also bounds what a power cut can take from acknowledged writes to about a second
 * (a killed process loses nothing either way: its writes are with the operating system).
 *
 * <p>A failed or slow {@code fsync} is logged and puts H2's retention back until one is quick again
 * ({@link #syncOnce()}); it never fails a request. Runs on its own daemon thread;
 * {@link H2GroupCommit}'s file writes go on meanwhile.
 */
final class H2FileSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileSync.class);

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration RETENTION = Duration.ofSeconds(5);

    private final MVStore store;
    private final Duration retention;
    private final Duration slowSync;
    private final ScheduledExecutorService timer;
    /** H2's default retention while syncs fail or are slow, else null. */
    private Integer safe;

    /** Syncs {@code store}'s file every {@link #INTERVAL}; null for a store in memory. */
    static H2FileSync start(MVStore store) {
        if (store.getFileStore() == null) {
            return null;
        }
        H2FileSync sync = new H2FileSync(store, RETENTION, RETENTION.dividedBy(2));
        sync.timer.scheduleWithFixedDelay(sync::syncOnce, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return sync;
    }

    /**
     * Sets the retention; syncs only when {@link #syncOnce()} is called (tests). A sync longer
     * than {@code slowSync} puts H2's retention back.
     */
    H2FileSync(MVStore store, Duration retention, Duration slowSync) {
        this.store = store;
        this.retention = retention;
        this.slowSync = slowSync;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kinto4j-h2-sync");
            t.setDaemon(true);
            return t;
        });
        store.setRetentionTime((int) retention.toMillis());
    }

    /**
     * Forces what was written so far to the disk. A sync that fails, or takes longer than {@code
     * slowSync} (half the retention: a disk that slow could let a replaced chunk be overwritten
     * before its replacement is on the disk), puts H2's retention back until a sync is quick again.
     */
    void syncOnce() {
        long started = System.nanoTime();
        try {
            if (store.isClosed()) {
                return;
            }
            store.sync();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (took.compareTo(slowSync) > 0) {
                fallBack("forcing H2's file to the disk took " + took.toMillis() + " ms", null);
            } else if (safe != null) {
                store.setRetentionTime((int) retention.toMillis());
                LOG.info("H2's file is forced to the disk quickly again; dead chunks are reused after {} s again",
                        retention.toSeconds());
                safe = null;
            }
        } catch (RuntimeException e) {
            fallBack("H2's file could not be forced to the disk", e);
        }
    }

    private void fallBack(String what, RuntimeException error) {
        if (safe == null) {
            safe = store.getFileStore().getDefaultRetentionTime();
            store.setRetentionTime(safe);
            LOG.error("{} (check the disk): dead chunks are kept {} s (H2's default) until it is forced within {} ms "
                    + "again, so the file grows faster meanwhile", what, safe / 1000, slowSync.toMillis(), error);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
