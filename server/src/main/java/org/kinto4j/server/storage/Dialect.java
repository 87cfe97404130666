package org.kinto4j.server.storage;

/** The few places where H2 and PostgreSQL differ. */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** Classpath folder of this dialect's migrations: {@code db/h2}, {@code db/postgresql}. */
    public String migrationFolder() {
        return "db/" + folder;
    }

    /**
     * The SQL placeholder of a JSON document written to {@code objects.data}: PostgreSQL stores
     * it as {@code jsonb} and needs the bound text cast; H2 stores the text as is.
     */
    public String jsonParameter() {
        return this == POSTGRESQL ? "CAST(? AS jsonb)" : "?";
    }

    public static Dialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }

    /**
     * Whether concurrent writers must be serialised in the JVM. The embedded H2 database is
     * owned by one process, and serialising its writes makes collection timestamps strictly
     * increasing without lock-timeout errors. PostgreSQL serialises with row locks instead, so
     * several processes can share it.
     */
    public boolean serialisesWritesInProcess() {
        return this == H2;
    }

    /**
     * Whether a {@code UNION} query is prepared from its text once per session and then reused:
     * H2 caches only plain {@code SELECT}s and data changes and parses a {@code UNION} again
     * at every execution, so on H2 two cached statements cost less than one union.
     */
    public boolean reusesPreparedUnions() {
        return this != H2;
    }
}
