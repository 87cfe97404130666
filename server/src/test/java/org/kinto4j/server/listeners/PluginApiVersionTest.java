package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.listener.ListenerApi;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.config.ConfigError;

/**
 * A plugin records the listener API it was compiled against with
 * {@code @BuiltAgainst(ListenerApi.VERSION)}; the loader refuses one built against a newer API.
 * The plugins here are real jars compiled against a real (older or newer) listener-api jar.
 */
class PluginApiVersionTest {

    static final String FACTORY = """
            package versioned;
            import org.kinto4j.listener.*;
            @BuiltAgainst(ListenerApi.VERSION)
            public class VersionedFactory implements ListenerFactory {
                public String name() { return "versioned"; }
                public Listener create(ListenerContext c) { return e -> { }; }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aPluginBuiltAgainstANewerApiIsRefusedNamingBothVersions() {
        Path newerApi = PluginJar.create().source("org.kinto4j.listener.ListenerApi", """
                package org.kinto4j.listener;
                public final class ListenerApi {
                    public static final String VERSION = "1.99";
                }
                """).writeTo(dir.resolve("newer-api/listener-api-1.99.jar"));
        PluginJar.create().compileAgainstFirst(newerApi).factory("versioned.VersionedFactory")
                .source("versioned.VersionedFactory", FACTORY).writeTo(dir.resolve("plugins/versioned.jar"));

        assertThatThrownBy(() -> TestServer.startIn(dir, "", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("versioned.jar")
                .hasMessageContaining("built against listener API 1.99")
                .hasMessageContaining("this server provides listener API " + ListenerApi.VERSION);
    }

    @Test
    void aPluginBuiltAgainstThisApiLoads() throws Exception {
        PluginJar.create().factory("versioned.VersionedFactory").source("versioned.VersionedFactory", FACTORY)
                .writeTo(dir.resolve("plugins/versioned.jar"));

        try (TestServer server = TestServer.startIn(dir, "event_listeners { v { use = versioned } }", Map.of())) {
            assertThat(server.put("/v1/buckets/b1", "alice", null).status()).isEqualTo(201);
        }
    }

    @Test
    void aPluginBuiltAgainstAnOlderApiLoads() {
        Path olderApi = PluginJar.create().source("org.kinto4j.listener.ListenerApi", """
                package org.kinto4j.listener;
                public final class ListenerApi {
                    public static final String VERSION = "1.0";
                }
                """).writeTo(dir.resolve("older-api/listener-api-1.0.jar"));
        PluginJar.create().compileAgainstFirst(olderApi).factory("versioned.VersionedFactory")
                .source("versioned.VersionedFactory", FACTORY).writeTo(dir.resolve("plugins/versioned.jar"));

        try (TestServer server = TestServer.startIn(dir, "event_listeners { v { use = versioned } }", Map.of())) {
            assertThat(server.get("/v1/", "alice").status()).isEqualTo(200);
        }
    }

    @Test
    void aPluginThatDeclaresNoVersionLoadsAsBuiltAgainstTheFirstApi() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));

        try (TestServer server = TestServer.startIn(dir,
                "event_listeners { rec { use = recorder, file = \"" + dir.resolve("events.jsonl") + "\" } }", Map.of())) {
            assertThat(server.get("/v1/", "alice").status()).isEqualTo(200);
        }
    }
}
