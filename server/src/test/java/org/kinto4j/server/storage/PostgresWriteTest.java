package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;

/** The write contract against a real PostgreSQL (KINTO4J_TEST_POSTGRES_URL). */
class PostgresWriteTest extends WriteContract {

    private PostgresDatabase postgres;

    @Override
    String jdbcUrl() {
        postgres = PostgresDatabase.create();
        return postgres.url();
    }

    /** The data column may be jsonb (issue 9's in-place conversion): writes cast their JSON then. */
    @Test
    void writesWorkWhenTheDataColumnIsJsonb() {
        migrate();
        database.jdbi().useHandle(h -> h.execute("ALTER TABLE objects ALTER COLUMN data TYPE jsonb USING CAST(data AS jsonb)"));
        ObjectNode created = inTx(tx -> objects.createFresh(tx, "record", PARENT, obj("j", null), null,
                PARENT + "/records/j", Map.of("write", Set.of("basicauth:alice"))));
        ObjectNode updated = inTx(tx -> objects.update(tx, "record", PARENT, obj("j", null), 0, null));
        assertThat(updated.get("last_modified").asLong()).isGreaterThan(created.get("last_modified").asLong());
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "j"))).contains(updated);
        ObjectNode forced = inTx(tx -> objects.create(tx, "record", PARENT, obj("k", 5L), 5L));
        assertThat(forced.get("last_modified").asLong()).isEqualTo(5L);
        inTx(tx -> objects.delete(tx, "record", PARENT, "j", 0, null));
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "j"))).isEmpty();
    }

    /**
     * A request that only reads costs no BEGIN/COMMIT round trips: its statements run in
     * autocommit (each is its own transaction, as PostgreSQL sees it) until the first write opens
     * the transaction, which then spans the rest and is undone as a whole by a rollback.
     */
    @Test
    void readsBeforeTheFirstWriteRunInAutocommitAndTheFirstWriteOpensTheTransaction() {
        migrate();
        try (Tx tx = transactions.begin()) {
            assertThat(objects.get(tx, "record", PARENT, "x")).isEmpty();
            assertThat(twoStatementsShareATransaction(tx)).as("reads run as transactions of their own").isFalse();
            objects.create(tx, "record", PARENT, obj("x", null), null);
            assertThat(twoStatementsShareATransaction(tx)).as("after the first write, one transaction").isTrue();
            tx.rollback();
        }
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "x"))).isEmpty();
    }

    private static boolean twoStatementsShareATransaction(Tx tx) {
        long first = tx.handle().createQuery("SELECT txid_current()").mapTo(Long.class).one();
        long second = tx.handle().createQuery("SELECT txid_current()").mapTo(Long.class).one();
        return first == second;
    }

    @Override
    void cleanup() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
