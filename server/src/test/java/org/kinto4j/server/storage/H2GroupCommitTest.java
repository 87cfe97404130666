package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on a real H2 store file: who waits for which file write, and when they return. */
class H2GroupCommitTest {

    @TempDir
    Path dir;

    private MVStore open() {
        return new MVStore.Builder().fileName(dir.resolve("store.mv.db").toString()).autoCommitDisabled().open();
    }

    @Test
    void awaitDurableReturnsOnceTheChangeIsInTheFile() {
        MVStore store = open();
        try (H2GroupCommit group = new H2GroupCommit(store)) {
            MVMap<String, String> map = store.openMap("m");
            map.put("k", "v");
            assertThat(store.hasUnsavedChanges()).isTrue();

            group.awaitDurable();

            assertThat(store.hasUnsavedChanges()).isFalse();
        } finally {
            store.close();
        }
    }

    @Test
    void everyConcurrentWriterReturnsWithItsChangeInTheFile() throws Exception {
        MVStore store = open();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try (H2GroupCommit group = new H2GroupCommit(store)) {
            MVMap<Integer, Integer> map = store.openMap("m");
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int key = i;
                done.add(writers.submit(() -> {
                    map.put(key, key);
                    group.awaitDurable();
                }));
            }
            for (Future<?> d : done) {
                d.get(60, TimeUnit.SECONDS);
            }
            assertThat(store.hasUnsavedChanges()).isFalse();
        } finally {
            writers.shutdownNow();
            store.closeImmediately(); // as a killed process: nothing more reaches the file
        }
        try (MVStore reopened = open()) {
            assertThat(reopened.<Integer, Integer>openMap("m").size()).isEqualTo(2_000);
        }
    }

    @Test
    void aHeldFileWriteKeepsWritersWaitingUntilReleased() throws Exception {
        MVStore store = open();
        try (H2GroupCommit group = new H2GroupCommit(store)) {
            MVMap<String, String> map = store.openMap("m");
            AutoCloseable hold = group.holdFileWrites();
            map.put("k", "v");
            CountDownLatch returned = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                group.awaitDurable();
                returned.countDown();
            });
            writer.start();
            assertThat(returned.await(300, TimeUnit.MILLISECONDS)).as("returned while file writes were held").isFalse();
            assertThat(store.hasUnsavedChanges()).isTrue();

            hold.close();

            assertThat(returned.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(store.hasUnsavedChanges()).isFalse();
        } finally {
            store.close();
        }
    }

    @Test
    void closingReleasesWritersWhoseFileWriteNeverStarted() throws Exception {
        MVStore store = open();
        try {
            H2GroupCommit group = new H2GroupCommit(store);
            group.holdFileWrites();
            store.openMap("m").put("k", "v");
            CountDownLatch returned = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                group.awaitDurable();
                group.awaitCommitsDurable();
                returned.countDown();
            });
            writer.start();

            group.close();

            assertThat(returned.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            store.close();
        }
    }

    @Test
    void aReaderWaitsOnlyForCommitsNotYetInTheFile() {
        MVStore store = open();
        try (H2GroupCommit group = new H2GroupCommit(store)) {
            MVMap<String, String> map = store.openMap("m");
            long commit = group.commitBegins();
            map.put("k", "v");
            group.commitEnded(commit);

            group.awaitCommitsDurable();

            assertThat(store.hasUnsavedChanges()).isFalse();
            long version = store.getCurrentVersion();
            group.awaitCommitsDurable(); // nothing missing: no file write asked for
            assertThat(store.getCurrentVersion()).isEqualTo(version);
        } finally {
            store.close();
        }
    }
}
