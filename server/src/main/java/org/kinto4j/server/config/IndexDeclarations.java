package org.kinto4j.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The syntax of {@code storage.indexes} entries: {@code "bucket/collection:field"}, the field dotted for a nested one. */
public final class IndexDeclarations {

    private static final Pattern ENTRY = Pattern.compile("^([\\w-]+)/([\\w-]+):([\\w-]+(?:\\.[\\w-]+)*)$");

    /** One entry, read. */
    public record Declaration(String bucket, String collection, String field) {
    }

    private IndexDeclarations() {
    }

    /**
     * Reads the entries of {@code storage.indexes}.
     *
     * @throws IllegalArgumentException naming the first malformed entry and the valid shape
     */
    public static List<Declaration> parse(List<String> entries) {
        List<Declaration> out = new ArrayList<>();
        for (String entry : entries) {
            Matcher m = ENTRY.matcher(entry.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("\"" + entry + "\" is not an index declaration. Expected "
                        + "\"<bucket id>/<collection id>:<field>\", the field dotted for a nested one "
                        + "(e.g. \"blog/articles:published_at\" or \"blog/articles:author.name\")");
            }
            out.add(new Declaration(m.group(1), m.group(2), m.group(3)));
        }
        return List.copyOf(out);
    }
}
