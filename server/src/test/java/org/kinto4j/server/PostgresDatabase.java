package org.kinto4j.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private schema in the PostgreSQL database named by {@code KINTO4J_TEST_POSTGRES_URL}.
 * Without that variable the test is skipped with a message, except under {@code CI=true},
 * where it fails: CI must run the PostgreSQL tests.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String VARIABLE = "KINTO4J_TEST_POSTGRES_URL";

    private final String baseUrl;
    private final String schema;

    private PostgresDatabase(String baseUrl, String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /** Creates a fresh schema, or skips/fails the test when no PostgreSQL is configured. */
    public static PostgresDatabase create() {
        String url = System.getenv(VARIABLE);
        if (url == null || url.isBlank()) {
            String message = VARIABLE + " is not set: PostgreSQL tests need a JDBC URL such as "
                    + "jdbc:postgresql://127.0.0.1:5432/kinto4j_test?user=kinto4j&password=kinto4j "
                    + "(bash scripts/dev-services.sh starts one and prints it)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + message);
            }
            Assumptions.abort(message);
        }
        String schema = "k4j_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test schema in " + url + ": " + e.getMessage(), e);
        }
        return new PostgresDatabase(url, schema);
    }

    /** The JDBC URL with the private schema as search path. */
    public String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            // best effort: the schema name is unique, leftovers do not affect other runs
        }
    }
}
