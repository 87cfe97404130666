package org.kinto4j.server.storage;

import org.kinto4j.server.PostgresDatabase;

/** The storage contract against a real PostgreSQL (KINTO4J_TEST_POSTGRES_URL). */
class PostgresStorageTest extends StorageContract {

    private PostgresDatabase postgres;

    @Override
    String jdbcUrl() {
        postgres = PostgresDatabase.create();
        return postgres.url();
    }

    @org.junit.jupiter.api.Test
    void aStringHoldingU0000IsABadBodyNotAServerError() {
        try (Tx tx = transactions.begin()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = org.kinto4j.server.json.Json.object();
            o.put("id", "nul");
            o.put("s", "a" + (char) 0 + "b");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> objects.create(tx, "record", "/nul", o, null))
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(StorageErrors.translate(e).kind())
                            .isEqualTo(org.kinto4j.server.errors.ServiceError.Kind.INVALID));
        }
    }

    @Override
    void cleanup() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
