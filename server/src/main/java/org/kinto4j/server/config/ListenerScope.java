package org.kinto4j.server.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which buckets and collections a listener instance hears about: {@code buckets = [blocklists,
 * "team-*"]} and {@code collections = ["blocklists/*", "main/addons"]}. Globs: {@code *} is any
 * run of id characters, {@code ?} one; ids are Kinto's ({@code [A-Za-z0-9_-]}). Empty lists mean
 * everything.
 *
 * <p>An event is in scope when its bucket matches {@code buckets} (if set) and its
 * {@code bucket/collection} pair matches {@code collections} (if set). With {@code collections}
 * set, events that belong to no collection (buckets, groups) are out of scope.
 *
 * @param buckets     the operator's bucket globs, as written
 * @param collections the operator's {@code bucket/collection} globs, as written
 */
public record ListenerScope(List<String> buckets, List<String> collections, List<Pattern> bucketPatterns,
        List<Pattern> collectionPatterns) {

    /** No restriction. */
    public static final ListenerScope ALL = new ListenerScope(List.of(), List.of(), List.of(), List.of());

    private static final String ID_GLOB = "[A-Za-z0-9_*?-]+";
    private static final Pattern BUCKET_GLOB = Pattern.compile(ID_GLOB);
    private static final Pattern COLLECTION_GLOB = Pattern.compile(ID_GLOB + "/" + ID_GLOB);

    public boolean isAll() {
        return buckets.isEmpty() && collections.isEmpty();
    }

    /** Whether an event about {@code bucketId} (and {@code collectionId}, may be null) is in scope. */
    public boolean matches(String bucketId, String collectionId) {
        if (!bucketPatterns.isEmpty() && (bucketId == null || bucketPatterns.stream().noneMatch(
                p -> p.matcher(bucketId).matches()))) {
            return false;
        }
        if (collectionPatterns.isEmpty()) {
            return true;
        }
        if (bucketId == null || collectionId == null) {
            return false;
        }
        String pair = bucketId + "/" + collectionId;
        return collectionPatterns.stream().anyMatch(p -> p.matcher(pair).matches());
    }

    /**
     * Reads {@code buckets} and {@code collections} of a listener block.
     *
     * @throws ConfigError naming the key, its file and line, the bad glob and the valid forms
     */
    static ListenerScope read(ConfigReader r) {
        List<String> buckets = r.list("buckets", List.of());
        List<String> collections = r.list("collections", List.of());
        for (String b : buckets) {
            check(r, "buckets", b, BUCKET_GLOB, "bucket ids or globs such as blocklists or \"team-*\"");
        }
        for (String c : collections) {
            check(r, "collections", c, COLLECTION_GLOB,
                    "\"bucket/collection\" globs such as \"blocklists/*\" or \"main/addons\"");
        }
        if (buckets.isEmpty() && collections.isEmpty()) {
            return ALL;
        }
        return new ListenerScope(buckets, collections, buckets.stream().map(ListenerScope::compile).toList(),
                collections.stream().map(ListenerScope::compile).toList());
    }

    /**
     * {@code replay_from}: a timestamp in milliseconds (Kinto's {@code last_modified}), 0 for
     * everything; {@code null} when absent.
     */
    static Long replayFrom(ConfigReader r) {
        if (!r.has("replay_from")) {
            return null;
        }
        String raw = String.valueOf(r.config().getValue("replay_from").unwrapped()).trim();
        if (!raw.matches("[0-9]{1,18}")) {
            throw new ConfigError("Invalid value for '" + r.fullKey("replay_from") + "' in " + r.origin("replay_from")
                    + ": \"" + raw + "\". Expected 0 (replay everything that exists) or a timestamp in milliseconds"
                    + " (replay what changed since then), as in Kinto's _since.");
        }
        return Long.parseLong(raw);
    }

    private static void check(ConfigReader r, String key, String glob, Pattern form, String expected) {
        if (!form.matcher(glob).matches()) {
            throw new ConfigError("Invalid value for '" + r.fullKey(key) + "' in " + r.origin(key) + ": \"" + glob
                    + "\" is not a valid glob. Expected " + expected + " (letters, digits, '-', '_', with * for any"
                    + " run of them and ? for one).");
        }
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                default -> regex.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
