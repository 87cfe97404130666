package org.kinto4j.server.events;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;
import org.kinto4j.server.config.ConfigError;
import org.kinto4j.server.config.ConfigReader;
import org.kinto4j.server.config.EnvironmentOverrides;

/**
 * A listener instance's own settings: its configuration block, with the environment variable
 * of each key {@code event_listeners.<name>.<key>} ({@link EnvironmentOverrides#variableName})
 * taking precedence (looked up when read, so a listener can be defined from the environment
 * alone). Records which keys were
 * read so unread ones can be reported.
 */
final class ListenerSettings implements Settings {

    private final String prefix;
    private final Config block;
    private final EnvironmentOverrides env;
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    ListenerSettings(String instanceName, Config block, EnvironmentOverrides env) {
        this.prefix = "event_listeners." + instanceName;
        this.block = block;
        this.env = env;
    }

    private ConfigReader reader(String key) {
        used.add(key);
        String raw = env.get(prefix + "." + key);
        Config c = block;
        if (raw != null) {
            c = block.withValue(quote(key), EnvironmentOverrides.valueFromVariable(prefix + "." + key, raw));
        }
        return new ConfigReader(c, prefix, Set.of());
    }

    private static String quote(String key) {
        return key;
    }

    private <T> T read(java.util.function.Supplier<T> supplier, String key) {
        try {
            return supplier.get();
        } catch (ConfigError e) {
            throw new SettingsException(prefix + "." + key, e.getMessage());
        }
    }

    @Override
    public boolean has(String key) {
        return env.get(prefix + "." + key) != null || block.hasPath(key);
    }

    @Override
    public Set<String> keys() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
            out.add(e.getKey());
        }
        return Collections.unmodifiableSet(out);
    }

    /** Keys present in the block that the listener never read. */
    Set<String> unread() {
        Set<String> out = new TreeSet<>(keys());
        out.removeIf(k -> used.contains(k) || used.stream().anyMatch(u -> k.startsWith(u + ".")));
        return out;
    }

    String origin(String key) {
        return block.hasPath(key) ? block.getValue(key).origin().description() : "environment";
    }

    @Override
    public String string(String key) {
        return read(() -> reader(key).string(key), key);
    }

    @Override
    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : mark(key, defaultValue);
    }

    @Override
    public int integer(String key) {
        return read(() -> reader(key).integer(key, Integer.MIN_VALUE, Integer.MAX_VALUE), key);
    }

    @Override
    public int integer(String key, int defaultValue) {
        return has(key) ? integer(key) : mark(key, defaultValue);
    }

    @Override
    public boolean bool(String key) {
        return read(() -> reader(key).bool(key), key);
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? bool(key) : mark(key, defaultValue);
    }

    @Override
    public List<String> list(String key) {
        return read(() -> reader(key).list(key), key);
    }

    @Override
    public List<String> list(String key, List<String> defaultValue) {
        return has(key) ? list(key) : mark(key, defaultValue);
    }

    @Override
    public Duration duration(String key) {
        return read(() -> {
            ConfigReader r = reader(key);
            String raw = r.has(key) ? String.valueOf(r.config().getValue(key).unwrapped()) : null;
            if (raw != null && raw.matches("[0-9]+")) {
                return Duration.ofMillis(Long.parseLong(raw));
            }
            return r.duration(key);
        }, key);
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        return has(key) ? duration(key) : mark(key, defaultValue);
    }

    private <T> T mark(String key, T value) {
        used.add(key);
        return value;
    }
}
