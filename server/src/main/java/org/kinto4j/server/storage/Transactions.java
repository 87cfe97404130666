package org.kinto4j.server.storage;

/** Opens {@link Tx transactions}; owns the process-wide write group of the embedded database. */
public final class Transactions {

    private final Database database;
    private final WriteGroup writeGroup;

    public Transactions(Database database) {
        this.database = database;
        this.writeGroup = new WriteGroup(database.jdbi());
    }

    public Tx begin() {
        return new Tx(database.jdbi(), database.dialect(), writeGroup, database::awaitDurable);
    }

    WriteGroup writeGroup() {
        return writeGroup;
    }

    public Dialect dialect() {
        return database.dialect();
    }
}
