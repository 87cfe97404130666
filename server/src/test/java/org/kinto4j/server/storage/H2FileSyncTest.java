package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.config.ServerSettings;

class H2FileSyncTest {

    private static final int COMMITS = 3_000;

    @TempDir
    Path dir;

    @Test
    void aFileWrittenByManySmallCommitsReusesItsDeadChunksOnceTheyAreSynced() throws Exception {
        long h2Default = sizeAfterSmallCommits(dir.resolve("default.mv.db"), false);
        long synced = sizeAfterSmallCommits(dir.resolve("synced.mv.db"), true);

        // one commit per file write, as under group commit at a few hundred writes per second: with
        // H2's retention nothing written in the last 45 s is reused, so the file grows by a chunk
        // (at least a 4 KB block) per commit
        assertThat(h2Default).isGreaterThan(COMMITS * 4096L);
        assertThat(synced).isLessThan(h2Default / 3);
    }

    @Test
    void theServersDatabaseReusesDeadChunksAfterSecondsNotH2sFortyFive() {
        String url = "jdbc:h2:file:" + dir.resolve("server").toAbsolutePath();
        try (Database database = new Database(new ServerSettings.Storage(url, "", "", 2, Duration.ofSeconds(5)))) {
            MVStore store = Database.h2Store(database.dataSource());
            assertThat(store.getRetentionTime()).isEqualTo((int) H2FileSync.RETENTION.toMillis());
        }
    }

    @Test
    void aSyncSlowerThanAllowedPutsH2sRetentionBack() {
        MVStore store = new MVStore.Builder().fileName(dir.resolve("slow.mv.db").toString()).autoCommitDisabled().open();
        try (H2FileSync sync = new H2FileSync(store, Duration.ofSeconds(5), Duration.ZERO)) {
            assertThat(store.getRetentionTime()).isEqualTo(5_000);
            store.openMap("rows").put(1, "one");
            store.commit();

            sync.syncOnce(); // any sync takes longer than zero

            assertThat(store.getRetentionTime()).isEqualTo(store.getFileStore().getDefaultRetentionTime());
        } finally {
            store.closeImmediately();
        }
    }

    @Test
    void aDatabaseInMemoryHasNoFileToKeep() {
        try (Database database = new Database(new ServerSettings.Storage("jdbc:h2:mem:upkeep-" + UUID.randomUUID(),
                "", "", 2, Duration.ofSeconds(5)))) {
            assertThat(H2FileSync.start(Database.h2Store(database.dataSource()))).isNull();
        }
    }

    /**
     * Commits one row at a time into two maps (one keyed in insertion order, like a table's
     * primary key; one keyed at random, like an index on ids), each commit a file write, with H2's
     * retention or with a sync every 100 commits and no retention (the test does not wait seconds).
     */
    private long sizeAfterSmallCommits(Path file, boolean synced) throws Exception {
        MVStore store = new MVStore.Builder().fileName(file.toString()).pageSplitSize(4096).autoCommitDisabled().open();
        try {
            H2FileSync sync = synced ? new H2FileSync(store, Duration.ZERO, Duration.ofMinutes(1)) : null;
            MVMap<Long, String> rows = store.openMap("rows");
            MVMap<String, Long> ids = store.openMap("ids");
            for (long i = 0; i < COMMITS; i++) {
                String id = UUID.randomUUID().toString();
                rows.put(i, "{\"id\":\"" + id + "\",\"title\":\"a record of the test\",\"done\":false}");
                ids.put(id, i);
                store.commit();
                if (sync != null && i % 100 == 99) {
                    sync.syncOnce();
                }
            }
            if (sync != null) {
                sync.close();
            }
            return Files.size(file);
        } finally {
            store.closeImmediately();
        }
    }
}
