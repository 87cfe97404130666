package org.kinto4j.server.storage;

import java.sql.SQLException;
import org.kinto4j.server.errors.ServiceError;

/** Recognises database failures a client can act on: bad values, conflicts, unavailable storage. */
public final class StorageErrors {

    private StorageErrors() {
    }

    /** What the database failure means to the caller, or {@code null} when it is none of those. */
    public static ServiceError translate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ServiceError known) {
                return known;
            }
            if (t instanceof StorageConflict) {
                return ServiceError.conflict(null);
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.equals("22001")) {
                    // A principal, member or other value longer than its column (1024 characters).
                    return ServiceError.invalid("body", null, "A value is longer than this server stores "
                            + "(principals and group members: 1024 characters)");
                }
                if (state.equals("22P05")) {
                    // PostgreSQL's jsonb refuses the character U+0000 in strings.
                    return ServiceError.invalid("body", null, "A string contains the character \\u0000, "
                            + "which this server's PostgreSQL storage does not store");
                }
                if (state.startsWith("23") || state.equals("40001") || state.equals("40P01")) {
                    return ServiceError.conflict(null);
                }
                if (state.startsWith("08") || state.equals("57P01") || state.equals("HYT00")
                        || sql instanceof java.sql.SQLTransientConnectionException) {
                    return ServiceError.unavailable("Storage is unavailable: " + sql.getMessage());
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
