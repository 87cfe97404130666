package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.config.ConfigError;
import org.kinto4j.server.events.ListenerRegistry;
import org.slf4j.LoggerFactory;

/** Bad plugin configurations stop the start with a message that says what to fix. */
class StartupErrorsTest {

    @TempDir
    Path dir;

    @Test
    void unknownUseNamesTheListenerTheValueAndWhatIsAvailable() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { audit { use = auditor } }", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("'audit'")
                .hasMessageContaining("'auditor'")
                .hasMessageContaining("recorder (" + dir.resolve("plugins/recorder.jar"))
                .hasMessageContaining("redis (built-in)");
    }

    @Test
    void duplicateFactoryNamesNameBothJars() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/a.jar"));
        PluginJar.create().factory("other.RecorderFactory").source("other.RecorderFactory", """
                package other;
                import org.kinto4j.listener.*;
                public class RecorderFactory implements ListenerFactory {
                    public String name() { return "recorder"; }
                    public Listener create(ListenerContext c) { return e -> { }; }
                }
                """).writeTo(dir.resolve("plugins/b.jar"));
        assertThatThrownBy(() -> TestServer.startIn(dir, "", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("'recorder'")
                .hasMessageContaining("a.jar")
                .hasMessageContaining("b.jar");
    }

    @Test
    void aFactoryThatThrowsNamesTheInstanceAndTheCause() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        assertThatThrownBy(() -> TestServer.startIn(dir, "event_listeners { rec { use = recorder } }", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("Listener 'rec'")
                .hasMessageContaining("event_listeners.rec.file");
    }

    @Test
    void aJarWhoseFactoryClassIsMissingIsReported() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(dir.resolve("plugins/broken.jar")))) {
            out.putNextEntry(new JarEntry("META-INF/services/org.kinto4j.listener.ListenerFactory"));
            out.write("does.not.Exist\n".getBytes());
            out.closeEntry();
        }
        assertThatThrownBy(() -> TestServer.startIn(dir, "", Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("broken.jar")
                .hasMessageContaining("does.not.Exist");
    }

    @Test
    void aFactoryCanBeNamedByItsClassName() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        String cls = "rec" + Math.abs("recorder".hashCode()) + ".RecorderFactory";
        try (TestServer s = TestServer.startIn(dir, "event_listeners { r { use = \"" + cls + "\", file = \""
                + dir.resolve("out.jsonl") + "\" } }", Map.of())) {
            s.put("/v1/buckets/b1", "alice", null);
        }
        assertThat(dir.resolve("out.jsonl")).exists();
    }

    @Test
    void setupIsLoggedAndUnreadSettingsAreReported() {
        PluginJar.recorder("recorder").writeTo(dir.resolve("plugins/recorder.jar"));
        Logger logger = (Logger) LoggerFactory.getLogger(ListenerRegistry.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (TestServer s = TestServer.startIn(dir, "event_listeners { rec { use = recorder, actions = [create], "
                + "file = \"" + dir.resolve("o.jsonl") + "\", filee = typo } }", Map.of())) {
            assertThat(s.get("/v1/", null).status()).isEqualTo(200);
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("Setting up 'rec' listener").contains("use=recorder")
                        .contains("delivery=in_transaction").contains("actions=[create]").contains("resources=all"))
                .anySatisfy(m -> assertThat(m).contains("event_listeners.rec.filee").contains("never read"));
    }
}
