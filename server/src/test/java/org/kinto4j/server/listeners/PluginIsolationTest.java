package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/** Two plugins bundling two Jackson versions run side by side, each seeing its own. */
class PluginIsolationTest {

    @TempDir
    Path dir;

    private static String source(String pkg, String factoryName) {
        return """
                package %s;

                import com.fasterxml.jackson.databind.ObjectMapper;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import org.kinto4j.listener.*;

                public class JsonFactoryPlugin implements ListenerFactory {
                    @Override public String name() { return "%s"; }
                    @Override public Listener create(ListenerContext context) {
                        Path file = Path.of(context.settings().string("file"));
                        ObjectMapper mapper = new ObjectMapper();
                        return event -> {
                            java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
                            line.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
                            line.put("loader", String.valueOf(ObjectMapper.class.getClassLoader().getName()));
                            line.put("payload", event.payload());
                            Files.writeString(file, mapper.writeValueAsString(line) + "\\n",
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        };
                    }
                }
                """.formatted(pkg, factoryName);
    }

    private static Path currentJacksonJar(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void twoJacksonVersionsRunSideBySide() throws Exception {
        Path oldFolder = dir.resolve("plugins/old-json");
        Path newFolder = dir.resolve("plugins/new-json");
        Files.createDirectories(oldFolder);
        Files.createDirectories(newFolder);
        Path olderLibs = Path.of("target/test-plugin-libs/jackson-2.17");
        try (Stream<Path> jars = Files.list(olderLibs)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, oldFolder.resolve(jar.getFileName()));
            }
        }
        for (Class<?> c : List.of(ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            Path jar = currentJacksonJar(c);
            Files.copy(jar, newFolder.resolve(jar.getFileName()));
        }
        PluginJar.create().factory("oldjson.JsonFactoryPlugin").source("oldjson.JsonFactoryPlugin", source("oldjson", "old-json"))
                .writeTo(oldFolder.resolve("old-json.jar"));
        PluginJar.create().factory("newjson.JsonFactoryPlugin").source("newjson.JsonFactoryPlugin", source("newjson", "new-json"))
                .writeTo(newFolder.resolve("new-json.jar"));
        Path oldOut = dir.resolve("old.jsonl");
        Path newOut = dir.resolve("new.jsonl");
        try (TestServer s = TestServer.startIn(dir, "event_listeners {\n"
                + "  a { use = old-json, file = \"" + oldOut + "\" }\n"
                + "  b { use = new-json, file = \"" + newOut + "\" }\n"
                + "}", Map.of())) {
            assertThat(s.put("/v1/buckets/b1", "alice", null).status()).isEqualTo(201);
        }
        JsonNode older = Json.parse(Files.readString(oldOut));
        JsonNode newer = Json.parse(Files.readString(newOut));
        assertThat(older.path("jackson").asText()).startsWith("2.17.2");
        assertThat(newer.path("jackson").asText()).isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        assertThat(older.path("loader").asText()).isEqualTo("plugin:old-json");
        assertThat(newer.path("loader").asText()).isEqualTo("plugin:new-json");
        assertThat(older.path("payload").path("uri").asText()).isEqualTo("/buckets/b1");
        assertThat(newer.path("payload").path("uri").asText()).isEqualTo("/buckets/b1");
    }

    @Test
    void pluginsDoNotSeeTheServersLibraries() throws IOException {
        String probe = """
                package probe;
                import org.kinto4j.listener.*;
                public class ProbeFactory implements ListenerFactory {
                    @Override public String name() { return "probe"; }
                    @Override public Listener create(ListenerContext context) throws Exception {
                        try {
                            Class.forName("org.kinto4j.server.Server", false, getClass().getClassLoader());
                            throw new IllegalStateException("server class visible");
                        } catch (ClassNotFoundException expected) { }
                        try {
                            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, getClass().getClassLoader());
                            throw new IllegalStateException("server's Jackson visible");
                        } catch (ClassNotFoundException expected) { }
                        Class.forName("org.slf4j.LoggerFactory", false, getClass().getClassLoader());
                        return event -> { };
                    }
                }
                """;
        PluginJar.create().factory("probe.ProbeFactory").source("probe.ProbeFactory", probe)
                .writeTo(dir.resolve("plugins/probe.jar"));
        try (TestServer s = TestServer.startIn(dir, "event_listeners { p { use = probe } }", Map.of())) {
            assertThat(s.put("/v1/buckets/b1", "alice", null).status()).isEqualTo(201);
        }
    }
}
