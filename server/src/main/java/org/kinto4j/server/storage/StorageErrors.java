package org.kinto4j.server.storage;

import java.sql.SQLException;
import org.kinto4j.server.http.KintoException;

/** Maps database failures to Kinto's answers: integrity errors 409, unavailable storage 503. */
public final class StorageErrors {

    private StorageErrors() {
    }

    /** The Kinto error for a database failure, or {@code null} when it is not one. */
    public static KintoException translate(Throwable error, int retryAfterSeconds) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StorageConflict) {
                return KintoException.conflict(null).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.equals("22001")) {
                    // A principal, member or other value longer than its column (1024 characters).
                    return KintoException.invalid("body", null, "A value is longer than this server stores "
                            + "(principals and group members: 1024 characters)");
                }
                if (state.equals("22P05")) {
                    // PostgreSQL's jsonb refuses the character U+0000 in strings.
                    return KintoException.invalid("body", null, "A string contains the character \\u0000, "
                            + "which this server's PostgreSQL storage does not store");
                }
                if (state.startsWith("23") || state.equals("40001") || state.equals("40P01")) {
                    return KintoException.conflict(null).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
                }
                if (state.startsWith("08") || state.equals("57P01") || state.equals("HYT00")
                        || sql instanceof java.sql.SQLTransientConnectionException) {
                    return KintoException.backend("Storage is unavailable: " + sql.getMessage())
                            .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
