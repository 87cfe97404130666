package org.kinto4j.builtin.redis.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Redis tests need from the machine, and the rule for when it is missing: skip on a
 * developer's machine (with a message saying how to provide it), fail under {@code CI=true}
 * (CI must provide it: {@code .ci/run} installs and starts redis-server).
 */
public final class RedisTestEnvironment {

    /** The variable naming a running Redis the tests may write to. */
    public static final String REDIS_URL_VARIABLE = "KINTO4J_TEST_REDIS_URL";

    private final Map<String, String> environment;

    public RedisTestEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The rule applied to this process's environment. */
    public static RedisTestEnvironment current() {
        return new RedisTestEnvironment(System.getenv());
    }

    /** The URL of the shared test Redis, e.g. {@code redis://127.0.0.1:6379/0}. */
    public String redisUrl() {
        String url = environment.get(REDIS_URL_VARIABLE);
        if (url == null || url.isBlank()) {
            missing(REDIS_URL_VARIABLE + " is not set, so the tests that need a running Redis"
                    + " cannot run. Run `bash scripts/dev-services.sh` and export the variables it"
                    + " prints (for example " + REDIS_URL_VARIABLE + "=redis://127.0.0.1:6379/0).");
        }
        return url;
    }

    /** The {@code redis-server} executable found on {@code PATH}, to start private servers. */
    public Path redisServerBinary() {
        Optional<Path> binary = findOnPath("redis-server");
        if (binary.isEmpty()) {
            missing("redis-server is not on PATH (" + environment.getOrDefault("PATH", "") + "), so"
                    + " the tests that stop and restart their own Redis cannot run. Install it"
                    + " with `bash scripts/dev-services.sh` (Debian: apt-get install redis-server).");
        }
        return binary.get();
    }

    /** Whether this is a CI run, where nothing may be skipped for lack of a service. */
    public boolean isCi() {
        return "true".equalsIgnoreCase(environment.get("CI"));
    }

    private void missing(String problem) {
        if (isCi()) {
            Assertions.fail("CI=true: " + problem + " CI must provide it (.ci/run does).");
        }
        Assumptions.abort("Skipped: " + problem);
    }

    private Optional<Path> findOnPath(String executable) {
        String path = environment.getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
