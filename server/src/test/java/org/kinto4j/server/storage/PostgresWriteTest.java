package org.kinto4j.server.storage;

import org.kinto4j.server.PostgresDatabase;

/** The write contract against a real PostgreSQL (KINTO4J_TEST_POSTGRES_URL). */
class PostgresWriteTest extends WriteContract {

    private PostgresDatabase postgres;

    @Override
    String jdbcUrl() {
        postgres = PostgresDatabase.create();
        return postgres.url();
    }

    @Override
    void cleanup() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
