package org.kinto4j.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of the README's "Write your own listener" guide: each fenced block right after a
 * {@code <!-- guide-file: PATH -->} comment, by path.
 */
final class ReadmeGuide {

    private static final Pattern FILE = Pattern.compile("<!-- guide-file: (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    private ReadmeGuide() {
    }

    static Map<String, String> files(Path readme) {
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = FILE.matcher(text);
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        return files;
    }

    /** Writes the files under {@code project}, except those in {@code skip}. */
    static void writeProject(Map<String, String> files, Path project, String... skip) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                if (java.util.List.of(skip).contains(file.getKey())) {
                    continue;
                }
                Path target = project.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
