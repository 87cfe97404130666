package org.kinto4j.server.history;

import org.junit.jupiter.api.BeforeAll;

/** The history transcripts on the embedded H2 database. */
class HistoryTest extends HistoryContract {

    @BeforeAll
    static void start() {
        fill("");
    }
}
