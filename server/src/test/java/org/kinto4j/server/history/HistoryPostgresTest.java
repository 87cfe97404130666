package org.kinto4j.server.history;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.kinto4j.server.PostgresDatabase;

/** The history transcripts on PostgreSQL (a private schema). */
class HistoryPostgresTest extends HistoryContract {

    private static PostgresDatabase pg;

    @BeforeAll
    static void start() {
        pg = PostgresDatabase.create();
        fill("storage.url = \"" + pg.url() + "\"\n");
    }

    @Override
    protected boolean keepsKeyOrder() {
        return false;
    }

    @AfterAll
    static void dropSchema() {
        stop();
        if (pg != null) {
            pg.close();
        }
    }
}
