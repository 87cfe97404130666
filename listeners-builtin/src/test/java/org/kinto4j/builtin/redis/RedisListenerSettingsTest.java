package org.kinto4j.builtin.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kinto4j.listener.SettingsException;
import org.kinto4j.testkit.TestSettings;

class RedisListenerSettingsTest {

    private static RedisListenerSettings read(Map<String, Object> values) {
        return RedisListenerSettings.read("queue", TestSettings.of("queue", values));
    }

    @Test
    void defaultsAreKintosPlusFiveSecondTimeouts() {
        RedisListenerSettings settings = read(Map.of());

        assertThat(settings.url().masked()).isEqualTo("redis://localhost:6379/0");
        assertThat(settings.poolSize()).isEqualTo(25);
        assertThat(settings.listName()).isEqualTo("kinto.core.events");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void kintoSettingsAreReadUnderTheirKintoNames() {
        RedisListenerSettings settings = read(Map.of("url", "redis://127.0.0.1:6380/3",
                "pool_size", 5, "listname", "eventqueue", "timeout", "250ms", "connect_timeout", "2s"));

        assertThat(settings.url().masked()).isEqualTo("redis://127.0.0.1:6380/3");
        assertThat(settings.poolSize()).isEqualTo(5);
        assertThat(settings.listName()).isEqualTo("eventqueue");
        assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void emptyUrlIsKintosDefault() {
        assertThat(read(Map.of("url", "")).url().masked()).isEqualTo("redis://localhost:6379/0");
    }

    @Test
    void malformedUrlNamesTheFullKeyTheValueAndTheExpectedForm() {
        assertThatThrownBy(() -> read(Map.of("url", "localhost:6379")))
                .isInstanceOfSatisfying(SettingsException.class,
                        e -> assertThat(e.key()).isEqualTo("event_listeners.queue.url"))
                .hasMessageContaining("event_listeners.queue.url")
                .hasMessageContaining("'localhost:6379'")
                .hasMessageContaining("redis://[:password@]host[:port][/db]");
    }

    @Test
    void malformedUrlMessageMasksThePassword() {
        assertThatThrownBy(() -> read(Map.of("url", "redis://:hunter2@cache:63a79/0")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("redis://:***@cache:63a79/0")
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void poolSizeBelowOneIsRejected(int poolSize) {
        assertThatThrownBy(() -> read(Map.of("pool_size", poolSize)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.queue.pool_size")
                .hasMessageContaining(poolSize + " is not a valid pool size")
                .hasMessageContaining("at least 1");
    }

    @Test
    void blankListNameIsRejected() {
        assertThatThrownBy(() -> read(Map.of("listname", " ")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.queue.listname");
    }

    @Test
    void zeroTimeoutIsRejected() {
        assertThatThrownBy(() -> read(Map.of("timeout", Duration.ZERO)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("event_listeners.queue.timeout")
                .hasMessageContaining("positive duration");
    }

    @Test
    void toStringOfTheSettingsMasksThePassword() {
        assertThat(read(Map.of("url", "redis://:hunter2@cache/0")).toString()).doesNotContain("hunter2");
    }
}
