package org.kinto4j.builtin.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RedisTestEnvironmentTest {

    @Test
    void redisUrlComesFromTheVariable() {
        RedisTestEnvironment environment = new RedisTestEnvironment(
                Map.of("KINTO4J_TEST_REDIS_URL", "redis://127.0.0.1:6379/0", "CI", "true"));

        assertThat(environment.redisUrl()).isEqualTo("redis://127.0.0.1:6379/0");
    }

    @Test
    void missingRedisUrlSkipsOnADevelopersMachineSayingHowToProvideIt() {
        RedisTestEnvironment environment = new RedisTestEnvironment(Map.of());

        assertThatThrownBy(environment::redisUrl)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("KINTO4J_TEST_REDIS_URL is not set")
                .hasMessageContaining("bash scripts/dev-services.sh");
    }

    @Test
    void missingRedisUrlFailsUnderCi() {
        RedisTestEnvironment environment = new RedisTestEnvironment(Map.of("CI", "true"));

        assertThatThrownBy(environment::redisUrl)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI must provide it");
    }

    @Test
    void missingRedisServerBinarySkipsLocallyAndFailsUnderCi() {
        assertThatThrownBy(new RedisTestEnvironment(Map.of("PATH", "/nonexistent"))::redisServerBinary)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("redis-server is not on PATH (/nonexistent)");
        assertThatThrownBy(new RedisTestEnvironment(Map.of("PATH", "/nonexistent", "CI", "true"))::redisServerBinary)
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI must provide it");
    }
}
