package org.kinto4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example plugins as `mvn verify` left them. */
final class Examples {

    private Examples() {
    }

    static Path jar(String relative) {
        Path jar = Path.of(System.getProperty("kinto4j.examples.dir", "../examples")).resolve(relative).normalize();
        assertThat(jar).as("%s is built by `mvn verify` at the repository root (package phase of examples/)", jar)
                .isRegularFile();
        return jar;
    }

    /** Copies a plugin jar into {@code dir/plugins}, as the README says. */
    static void install(Path dir, String relative) {
        Path jar = jar(relative);
        try {
            Files.createDirectories(dir.resolve("plugins"));
            Files.copy(jar, dir.resolve("plugins").resolve(jar.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
