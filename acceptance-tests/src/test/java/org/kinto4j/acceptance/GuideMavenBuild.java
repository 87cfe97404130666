package org.kinto4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real {@code mvn package} on a project, as a plugin author would after installing the
 * listener API, without touching any shared Maven repository: the build gets a private local
 * repository holding this build's listener API, testkit and parent pom (what {@code mvn install
 * -pl listener-api,listener-testkit -am} would have installed), and every other artifact comes
 * from this build's own local repository through a {@code file:} mirror (no network).
 */
final class GuideMavenBuild {

    private static final String GROUP = "org/kinto4j/";

    /** JVM options for the short-lived Maven and test JVMs: start fast rather than run fast. */
    private static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss1m";

    private final Path root = Path.of(System.getProperty("kinto4j.root.dir", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("kinto4j.version", "0.1.0-SNAPSHOT");
    private final Path buildRepository = Path.of(System.getProperty("kinto4j.build.repository",
            System.getProperty("user.home") + "/.m2/repository"));

    /** Runs {@code mvn -B -q package} in {@code project}; fails with the build's output otherwise. */
    void mvnPackage(Path project, Path work) throws IOException, InterruptedException {
        Path privateRepository = work.resolve("repository");
        install(privateRepository, "kinto4j-parent", root.resolve("pom.xml"), null);
        install(privateRepository, "kinto4j-listener-api", root.resolve("listener-api/pom.xml"),
                root.resolve("listener-api/target/kinto4j-listener-api-" + version + ".jar"));
        install(privateRepository, "kinto4j-listener-testkit", root.resolve("listener-testkit/pom.xml"),
                root.resolve("listener-testkit/target/kinto4j-listener-testkit-" + version + ".jar"));
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, "<settings><mirrors><mirror><id>this-build</id><mirrorOf>*</mirrorOf><url>"
                + buildRepository.toUri() + "</url></mirror></mirrors></settings>\n");
        Path log = work.resolve("mvn.log");
        ProcessBuilder build = new ProcessBuilder(List.of(mvn(), "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + privateRepository, "-DargLine=" + QUICK_JVM, "package"))
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        build.environment().put("MAVEN_OPTS", QUICK_JVM);
        Process mvn = build.start();
        boolean finished = mvn.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            mvn.destroyForcibly();
        }
        assertThat(finished && mvn.exitValue() == 0)
                .as("mvn -B -q package of the README's project failed:\n%s", Files.readString(log))
                .isTrue();
    }

    private void install(Path repository, String artifactId, Path pom, Path jar) {
        Path dir = repository.resolve(GROUP + artifactId + "/" + version);
        try {
            Files.createDirectories(dir);
            Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"));
            if (jar != null) {
                assertThat(jar).as("%s is built by `mvn verify` at the repository root (package phase)", jar).isRegularFile();
                Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mvn() {
        String home = System.getProperty("maven.home");
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }
}
