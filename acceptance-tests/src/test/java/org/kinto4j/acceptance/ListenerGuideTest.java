package org.kinto4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.listener.ListenerApi;
import org.kinto4j.server.TestServer;
import org.slf4j.LoggerFactory;

/**
 * The README's "Write your own listener" guide, followed to the letter: its pom.xml, class,
 * services file and test are written into an empty project and built with {@code mvn package};
 * the jar goes into plugins/, the guide's configuration into the server's, and a record
 * creation makes the listener log its line.
 */
class ListenerGuideTest {

    private static final Path ROOT = Path.of(System.getProperty("kinto4j.root.dir", "..")).toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void theGuidesProjectBuildsLoadsAndFires() throws Exception {
        Map<String, String> guide = ReadmeGuide.files(ROOT.resolve("README.md"));
        assertThat(guide).containsKeys("pom.xml", "src/main/java/com/example/HelloListenerFactory.java",
                "src/main/resources/META-INF/services/org.kinto4j.listener.ListenerFactory",
                "src/test/java/com/example/HelloListenerFactoryTest.java", "server.conf");
        assertThat(guide.get("pom.xml")).as("the guide's pom names this build's version")
                .contains("<version>" + System.getProperty("kinto4j.version", "0.1.0-SNAPSHOT") + "</version>");
        Path project = work.resolve("hello-listener");
        ReadmeGuide.writeProject(guide, project, "server.conf");

        new GuideMavenBuild().mvnPackage(project, work);

        Path jar = project.resolve("target/hello-listener-1.0.jar");
        assertThat(jar).isRegularFile();
        Path server = work.resolve("server");
        Files.createDirectories(server.resolve("plugins"));
        Files.copy(jar, server.resolve("plugins").resolve(jar.getFileName()));
        Logger hello = (Logger) LoggerFactory.getLogger("com.example.HelloListenerFactory");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        hello.addAppender(lines);
        try (TestServer s = TestServer.startIn(server, guide.get("server.conf"), Map.of())) {
            TestServer.Response created = s.post("/v1/buckets/default/collections/notes/records", "alice", "{\"data\": {}}");
            assertThat(created.status()).isEqualTo(201);
            String id = created.json().path("data").path("id").asText();
            String alice = s.as("alice").id();

            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("Hi: create record " + id + " by " + alice);
        } finally {
            hello.detachAppender(lines);
        }
    }

    @Test
    void theListenerApiJarDeclaresItsVersionInTheManifest() throws IOException {
        Path jar = ROOT.resolve("listener-api/target/kinto4j-listener-api-"
                + System.getProperty("kinto4j.version", "0.1.0-SNAPSHOT") + ".jar");
        try (JarFile api = new JarFile(jar.toFile())) {
            assertThat(api.getManifest().getMainAttributes().getValue("Specification-Version"))
                    .as("listener-api/pom.xml's listener-api.version must equal ListenerApi.VERSION")
                    .isEqualTo(ListenerApi.VERSION);
            assertThat(api.getManifest().getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(System.getProperty("kinto4j.version", "0.1.0-SNAPSHOT"));
        }
    }
}
