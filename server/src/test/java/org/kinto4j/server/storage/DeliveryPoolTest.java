package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.config.ServerSettings;

/**
 * Durable delivery and the change feed read through a pool of their own: requests that hold
 * every connection of {@code storage.pool_size} (as they do while waiting for their commit to be
 * durable) do not make them wait; and the feed's transactions cannot write.
 */
class DeliveryPoolTest {

    @TempDir
    Path dir;

    @Test
    void deliveryStatementsRunWhileRequestsHoldEveryPooledConnection() {
        try (Database db = new Database(new ServerSettings.Storage("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k",
                "", "", 1, Duration.ofMillis(300), List.of()))) {
            new Migrations(db.jdbi(), db.dialect()).migrate();
            try (Handle request = db.jdbi().open()) {
                request.begin();
                assertThatThrownBy(() -> db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()))
                        .as("the request pool is exhausted").hasMessageContaining("Connection is not available");
                List<?> pending = new OutboxStore(db.deliveryJdbi(), System::currentTimeMillis).pending("queue", 10).rows();
                assertThat(pending).isEmpty();
                request.rollback();
            }
        }
    }

    @Test
    void theFeedsTransactionsOnlyRead() {
        try (Database db = new Database(new ServerSettings.Storage("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k",
                "", "", 2, Duration.ofSeconds(5), List.of()))) {
            new Migrations(db.jdbi(), db.dialect()).migrate();
            try (Tx tx = Transactions.readOnly(db).begin()) {
                assertThat(tx.handle().createQuery("SELECT COUNT(*) FROM objects").mapTo(Long.class).one()).isZero();
                assertThatThrownBy(tx::beginWrite).isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
