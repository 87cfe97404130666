package org.kinto4j.server.storage;

/** Opens {@link Tx transactions}; owns the process-wide write group of the embedded database. */
public final class Transactions {

    private final Database database;
    private final WriteGroup writeGroup;
    private final org.jdbi.v3.core.Jdbi jdbi;

    public Transactions(Database database) {
        this(database, database.jdbi(), new WriteGroup(database.jdbi(), database.groupCommit()));
    }

    private Transactions(Database database, org.jdbi.v3.core.Jdbi jdbi, WriteGroup writeGroup) {
        this.database = database;
        this.jdbi = jdbi;
        this.writeGroup = writeGroup;
    }

    /**
     * Transactions that only read, on the delivery pool ({@link Database#deliveryJdbi()}), for
     * background readers (the change feed) that must not queue behind requests for a connection.
     * Their {@link Tx#beginWrite()} fails.
     */
    public static Transactions readOnly(Database database) {
        return new Transactions(database, database.deliveryJdbi(), null);
    }

    public Tx begin() {
        return new Tx(jdbi, database.dialect(), writeGroup, database::awaitDurable);
    }

    /**
     * Returns once everything committed before this call is durable: on H2 a commit is visible to
     * other connections before the group commit writes it to the file, so what a background
     * reader saw must wait for that write before it leaves the process (PostgreSQL: no wait).
     */
    public void awaitCommitsDurable() {
        database.awaitCommitsDurable();
    }

    WriteGroup writeGroup() {
        return writeGroup;
    }

    public Dialect dialect() {
        return database.dialect();
    }
}
