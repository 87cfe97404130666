package org.kinto4j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing what a test wrote in its own temporary directory (the system's temp folder otherwise fills up run after run). */
public final class TempDirectories {

    private TempDirectories() {
    }

    /** Deletes {@code dir} and everything in it, as far as it can: what cannot be deleted is left. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left behind in the temp folder
        }
    }
}
