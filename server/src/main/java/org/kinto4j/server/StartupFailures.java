package org.kinto4j.server;

import java.net.BindException;
import java.sql.SQLException;
import org.kinto4j.server.config.ServerSettings;

/**
 * Turns the start-up failures an operator can fix (the port is taken, the H2 database is
 * locked by another process) into one line: what, where, and the fix, instead of a stack trace.
 */
final class StartupFailures {

    /** H2's "Database may be already in use" error code. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private StartupFailures() {
    }

    /** The one-line explanation, or null when the failure is not one of the known ones. */
    static String explain(Throwable failure, ServerSettings settings) {
        if (settings == null) {
            return null;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Port already in use")) {
                return "port " + settings.http().port() + " on " + settings.http().host()
                        + " (http.port, " + settings.source() + ") is already in use by another process"
                        + " (another kinto4j?). Stop that process, or set http.port (or KINTO_HTTP_PORT) to a free port.";
            }
            if (t instanceof SQLException sql && (sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN
                    || String.valueOf(sql.getMessage()).contains("Database may be already in use"))) {
                return "the H2 database " + settings.storage().url() + " (storage.url, " + settings.source()
                        + ") is locked by another process (another kinto4j started in the same folder?)."
                        + " Stop that process, or set storage.url to another folder; to share one data set"
                        + " between several processes use PostgreSQL (storage.url = \"jdbc:postgresql://...\").";
            }
        }
        return null;
    }
}
