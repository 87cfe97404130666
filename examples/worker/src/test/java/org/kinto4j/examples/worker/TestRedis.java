package org.kinto4j.examples.worker;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * The real Redis the tests use: {@code KINTO4J_TEST_REDIS_URL}, for example
 * {@code redis://127.0.0.1:6379/0}. Unset, the tests are skipped, except on CI
 * ({@code CI=true}), where they fail: CI must never silently skip them.
 */
final class TestRedis {

    static final String URL_VARIABLE = "KINTO4J_TEST_REDIS_URL";

    private TestRedis() {
    }

    /** The Redis URL, or skips (locally) or fails (on CI) the calling test when it is not set. */
    static String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return url;
        }
        String how = "set " + URL_VARIABLE + "=redis://127.0.0.1:6379/0 to a running redis-server"
                + " (for example: apt-get install -y redis-server && redis-server --port 6390 --daemonize yes,"
                + " then " + URL_VARIABLE + "=redis://127.0.0.1:6390/0)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(URL_VARIABLE + " is not set but CI=true: .ci/run must start redis-server and export it; " + how);
        }
        Assumptions.abort("Redis tests skipped: " + URL_VARIABLE + " is not set; " + how);
        throw new AssertionError("unreachable");
    }

    /** A list name no other test run uses. */
    static String uniqueListName() {
        return "kinto4j-worker-test-" + UUID.randomUUID();
    }
}
