package org.kinto4j.server.events;

import org.kinto4j.listener.BuiltAgainst;
import org.kinto4j.listener.ListenerApi;
import org.kinto4j.server.config.ConfigError;

/**
 * The listener API version a plugin's factory was built against ({@link BuiltAgainst}), and the
 * rule that a server runs only plugins built against its own API version or an older one.
 */
final class PluginApiVersion {

    private PluginApiVersion() {
    }

    /** The version the factory class declares, or {@link ListenerApi#UNDECLARED_VERSION}. */
    static String of(Class<?> factoryClass) {
        BuiltAgainst declared = factoryClass.getAnnotation(BuiltAgainst.class);
        return declared == null ? ListenerApi.UNDECLARED_VERSION : declared.value();
    }

    /**
     * Refuses a factory built against a newer listener API than this server's.
     *
     * @throws ConfigError naming the plugin, both versions and the two ways out
     */
    static void requireSupported(Class<?> factoryClass, String origin) {
        String built = of(factoryClass);
        if (compare(built, ListenerApi.VERSION) > 0) {
            throw new ConfigError("Plugin " + origin + " (" + factoryClass.getName() + ") was built against listener API "
                    + built + ", but this server provides listener API " + ListenerApi.VERSION
                    + ": upgrade kinto4j, or rebuild the plugin against kinto4j-listener-api " + ListenerApi.VERSION
                    + ", or remove it from the plugins folder.");
        }
    }

    /**
     * Compares dotted versions number by number ({@code 1.10 > 1.9}); a part that is not a
     * number makes the version unreadable, which counts as newer than any readable one.
     */
    static int compare(String a, String b) {
        String[] left = a.trim().split("\\.");
        String[] right = b.trim().split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = part(left, i);
            long r = part(right, i);
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    private static long part(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
