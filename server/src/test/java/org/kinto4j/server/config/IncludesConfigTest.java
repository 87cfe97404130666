package org.kinto4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.listener.Delivery;

/**
 * The history listener {@code includes} configures, and Kinto's prometheus settings ({@code includes}
 * itself, its errors and the policies: {@link PluginSettingsTest}).
 */
class IncludesConfigTest {

    @TempDir
    Path dir;

    private ServerSettings load(String content) throws IOException {
        Path f = dir.resolve("server.conf");
        Files.writeString(f, content);
        return new ConfigLoader(Map.of()).load(f);
    }

    @Test
    void emptyByDefault() {
        ServerSettings s = new ConfigLoader(Map.of()).load(null);
        assertThat(s.includes()).isEmpty();
        assertThat(s.prometheus().prefix()).isEqualTo("kinto_");
        assertThat(s.prometheus().histogramBuckets()).containsExactly(0.01, 0.05, 0.1, 0.5, 1.0, 3.0, 6.0,
                Double.POSITIVE_INFINITY);
    }

    @Test
    void historyRunsAsAnInTransactionListenerWithTheTopLevelHistoryBlock() throws IOException {
        ServerSettings s = load("includes = \"history prometheus\"\nhistory.exclude_user_ids = [\"account:bot\"]\n"
                + "explicit_permissions = false\n");
        assertThat(s.includes()).containsExactlyInAnyOrder("history", "prometheus");
        ListenerConfig history = s.listeners().get(0);
        assertThat(history.name()).isEqualTo("history");
        assertThat(history.delivery()).isEqualTo(Delivery.IN_TRANSACTION);
        assertThat(history.ownSettings().getStringList("exclude_user_ids")).containsExactly("account:bot");
        assertThat(history.ownSettings().getBoolean("explicit_permissions")).isFalse();
    }

    @Test
    void historyTwiceIsRefused() {
        assertThatThrownBy(() -> load("includes = [history]\nevent_listeners { history { use = redis } }\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("event_listeners.history");
    }

    @Test
    void prometheusPrefixIsNormalisedAsKintoDoes() throws IOException {
        assertThat(load("prometheus_prefix = \"remote-settings\"\n").prometheus().prefix()).isEqualTo("remotesettings_");
        assertThat(load("project_name = \"My.Project\"\n").prometheus().prefix()).isEqualTo("myproject_");
        assertThatThrownBy(() -> load("prometheus_histogram_buckets = [0.1, fast]\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("\"fast\"");
    }
}
