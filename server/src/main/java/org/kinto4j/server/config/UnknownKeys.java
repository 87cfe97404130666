package org.kinto4j.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses server-level keys that {@code reference.conf} does not define (a misspelled
 * {@code http { prot = 9999 }} would otherwise be ignored and the default used), naming the
 * nearest known key. Keys under {@code event_listeners} belong to the listeners, which report
 * their own unread keys.
 */
final class UnknownKeys {

    private UnknownKeys() {
    }

    static void check(Config operator, Config reference, String file) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            known.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : operator.entrySet()) {
            String key = e.getKey();
            if (known.contains(key) || key.equals("event_listeners") || key.startsWith("event_listeners.")
                    || reference.hasPathOrNull(key)) {
                continue;
            }
            int line = e.getValue().origin().lineNumber();
            throw new ConfigError("Unknown setting '" + key + "' in " + file + (line > 0 ? ": " + line : "")
                    + ". Did you mean '" + nearest(key, known) + "'? Every setting is documented in reference.conf"
                    + " (and the README's settings table); remove or fix this line.");
        }
    }

    static String nearest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
