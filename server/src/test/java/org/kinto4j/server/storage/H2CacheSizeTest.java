package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.config.ServerSettings;

class H2CacheSizeTest {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void thePageCacheIsAnEightiethOfTheHeapBetweenOneAndSixteenMegabytes() {
        assertThat(Database.h2CacheKb(160 * MB)).isEqualTo(2048);
        assertThat(Database.h2CacheKb(32 * MB)).isEqualTo(1024);
        assertThat(Database.h2CacheKb(4096 * MB)).isEqualTo(16 * 1024);
    }

    @Test
    void underTheLaunchersHeapTheDatabaseRunsWithATwoMegabyteCacheInsteadOfH2sSixteen() {
        assertThat(cacheMaxSizeMb("jdbc:h2:file:" + dir.resolve("sized").toAbsolutePath(), 160 * MB)).isEqualTo(2);
    }

    @Test
    void aCacheSizeInTheStorageUrlWins() {
        assertThat(cacheMaxSizeMb("jdbc:h2:file:" + dir.resolve("explicit").toAbsolutePath() + ";CACHE_SIZE=5120",
                160 * MB)).isEqualTo(5);
    }

    @Test
    void postgresqlUrlsAreLeftAsTheyAre() {
        String url = "jdbc:postgresql://127.0.0.1:5432/kinto4j?user=u";
        assertThat(Database.jdbcUrl(url, Dialect.POSTGRESQL, 160 * MB)).isEqualTo(url);
    }

    private long cacheMaxSizeMb(String url, long maxHeapBytes) {
        try (Database database = new Database(new ServerSettings.Storage(url, "", "", 2, Duration.ofSeconds(5)),
                maxHeapBytes)) {
            return database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")
                    .mapTo(Long.class).one());
        }
    }
}
