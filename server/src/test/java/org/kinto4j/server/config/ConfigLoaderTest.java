package org.kinto4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Delivery;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("server.conf");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void defaultsComeFromReferenceConf() {
        ServerSettings s = new ConfigLoader(Map.of()).load(null);
        assertThat(s.http().port()).isEqualTo(8888);
        assertThat(s.storage().url()).isEqualTo("jdbc:h2:file:./data/kinto4j");
        assertThat(s.principals("bucket_create_principals")).containsExactly("system.Authenticated");
        assertThat(s.batchMaxRequests()).isEqualTo(25);
        assertThat(s.retryAfterSeconds()).isEqualTo(3);
        assertThat(s.listeners()).isEmpty();
    }

    @Test
    void requestPoolDefaultsByStorageAndCanBeSet() throws IOException {
        assertThat(new ConfigLoader(Map.of()).load(null).storage().poolSize()).isEqualTo(20);
        Path pg = file("storage.url = \"jdbc:postgresql://db/kinto\"\n");
        assertThat(new ConfigLoader(Map.of()).load(pg).storage().poolSize()).isEqualTo(10);
        Path set = file("storage.pool_size = 4\n");
        assertThat(new ConfigLoader(Map.of()).load(set).storage().poolSize()).isEqualTo(4);
    }

    @Test
    void durableLingerDefaultsByStorageAndCanBeSet() throws IOException {
        assertThat(new ConfigLoader(Map.of()).load(null).durable().linger()).isZero();
        Path pg = file("storage.url = \"jdbc:postgresql://db/kinto\"\n");
        assertThat(new ConfigLoader(Map.of()).load(pg).durable().linger()).isEqualTo(Duration.ofMillis(5));
        Path set = file("storage.url = \"jdbc:postgresql://db/kinto\"\ndurable.linger = 0ms\n");
        assertThat(new ConfigLoader(Map.of()).load(set).durable().linger()).isZero();
    }

    @Test
    void badValueNamesKeyFileLineValueAndWhatIsValid() throws IOException {
        Path f = file("# comment\nhttp {\n  port = \"eighty\"\n}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(f))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("'http.port'")
                .hasMessageContaining("server.conf: 3")
                .hasMessageContaining("\"eighty\"")
                .hasMessageContaining("an integer between 0 and 65535");
    }

    @Test
    void environmentOverridesAnyKeyKintoStyle() throws IOException {
        Path f = file("http.port = 9000\n");
        ServerSettings s = new ConfigLoader(Map.of("KINTO_HTTP_PORT", "9100",
                "KINTO_BUCKET_CREATE_PRINCIPALS", "system.Everyone basicauth:abc",
                "KINTO_USERID_HMAC_SECRET", "s3")).load(f);
        assertThat(s.http().port()).isEqualTo(9100);
        assertThat(s.principals("bucket_create_principals")).containsExactlyInAnyOrder("system.Everyone", "basicauth:abc");
        assertThat(s.useridHmacSecret()).isEqualTo("s3");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("KINTO_HTTP_PORT", "abc")).load(null))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("environment variable KINTO_HTTP_PORT");
    }

    @Test
    void listenersKeepKintoDefaultsAndAcceptTheStringForm() throws IOException {
        Path f = file("event_listeners {\n"
                + "  b { use = redis, actions = \"create delete\", delivery = after_commit }\n"
                + "  a { use = tracker, resources = [bucket] }\n"
                + "}\n");
        ServerSettings s = new ConfigLoader(Map.of()).load(f);
        assertThat(s.listeners()).extracting(ListenerConfig::name).containsExactly("b", "a");
        ListenerConfig b = s.listeners().get(0);
        assertThat(b.actions()).containsExactlyInAnyOrder(Action.CREATE, Action.DELETE);
        assertThat(b.delivery()).isEqualTo(Delivery.AFTER_COMMIT);
        ListenerConfig a = s.listeners().get(1);
        assertThat(a.actions()).containsExactlyInAnyOrder(Action.CREATE, Action.UPDATE, Action.DELETE);
        assertThat(a.resources()).containsExactly("bucket");
        assertThat(a.delivery()).isNull();
    }

    @Test
    void listenersCanBeDefinedFromTheEnvironmentAlone() {
        ServerSettings s = new ConfigLoader(Map.of(
                "KINTO_EVENT_LISTENERS", "kvstore",
                "KINTO_EVENT_LISTENERS_KVSTORE_USE", "redis",
                "KINTO_EVENT_LISTENERS_KVSTORE_ACTIONS", "create read",
                "KINTO_EVENT_LISTENERS_KVSTORE_RESOURCES", "record collection")).load(null);
        assertThat(s.listeners()).hasSize(1);
        ListenerConfig l = s.listeners().get(0);
        assertThat(l.name()).isEqualTo("kvstore");
        assertThat(l.use()).isEqualTo("redis");
        assertThat(l.actions()).containsExactlyInAnyOrder(Action.CREATE, Action.READ);
        assertThat(l.resources()).containsExactlyInAnyOrder("record", "collection");
    }

    @Test
    void unknownActionAndDeliveryAreStartErrors() throws IOException {
        Path f = file("event_listeners { x { use = redis, actions = \"create,delete\" } }\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(f))
                .hasMessageContaining("event_listeners.x.actions").hasMessageContaining("create, update, delete, read");
        Path g = file("event_listeners { x { use = redis, delivery = later } }\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(g))
                .hasMessageContaining("event_listeners.x.delivery").hasMessageContaining("in_transaction, after_commit, durable");
        Path h = file("event_listeners { x { actions = [create] } }\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(h))
                .hasMessageContaining("'x'").hasMessageContaining("KINTO_EVENT_LISTENERS_X_USE");
    }

    @Test
    void secretsAreMaskedWhenTheConfigurationIsRendered() throws IOException {
        Path f = file("userid_hmac_secret = \"topsecret\"\nstorage.password = \"dbpass\"\n"
                + "event_listeners { mail { use = email, password = \"mailpass\", api_key = \"k1\" } }\n");
        ConfigLoader loader = new ConfigLoader(Map.of());
        String rendered = ConfigLoader.renderMasked(loader.mergedConfig(f), java.util.Set.of("event_listeners.mail.api_key"));
        assertThat(rendered).doesNotContain("topsecret").doesNotContain("dbpass").doesNotContain("mailpass")
                .doesNotContain("k1").contains("****");
    }

    @Test
    void storageUrlMustBeH2OrPostgres() throws IOException {
        Path f = file("storage.url = \"jdbc:mysql://x\"\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(f))
                .hasMessageContaining("'storage.url'").hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void missingConfigFileIsAClearError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("nope.conf")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("nope.conf").hasMessageContaining("--config");
    }
}
