package org.kinto4j.server.storage;

import java.util.concurrent.locks.ReentrantLock;

/** Opens {@link Tx transactions}; owns the process-wide write gate of the embedded database. */
public final class Transactions {

    private final Database database;
    private final ReentrantLock writeGate = new ReentrantLock(true);

    public Transactions(Database database) {
        this.database = database;
    }

    public Tx begin() {
        return new Tx(database.jdbi(), database.dialect(), writeGate, database::awaitDurable);
    }

    public Dialect dialect() {
        return database.dialect();
    }
}
