package org.kinto4j.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of a merged configuration with Kinto-style leniency (a list may be written as a
 * whitespace-separated string, as Kinto's INI lists are) and errors that name the key, its
 * origin, the value and what is valid.
 */
public final class ConfigReader {

    private final Config config;
    private final String prefix;
    private final Set<String> secretKeys;

    public ConfigReader(Config config, String prefix, Set<String> secretKeys) {
        this.config = config;
        this.prefix = prefix;
        this.secretKeys = secretKeys;
    }

    public Config config() {
        return config;
    }

    public boolean has(String key) {
        return config.hasPath(key);
    }

    public String fullKey(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    public String origin(String key) {
        if (!config.hasPath(key)) {
            return "(not set)";
        }
        String description = config.getValue(key).origin().description();
        return description == null ? "(unknown origin)" : description;
    }

    private ConfigError invalid(String key, String expected) {
        Object raw = config.getValue(key).unwrapped();
        String shown = secretKeys.contains(fullKey(key)) ? "****" : render(raw);
        return new ConfigError("Invalid value for '" + fullKey(key) + "' in " + origin(key) + ": "
                + shown + ". Expected " + expected + ". Fix the value, or remove the key to use the default.");
    }

    private ConfigError missing(String key, String expected) {
        return new ConfigError("Missing setting '" + fullKey(key) + "': expected " + expected
                + ". Add it to conf/server.conf or set the environment variable "
                + EnvironmentOverrides.variableName(fullKey(key)) + ".");
    }

    private static String render(Object raw) {
        if (raw instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(raw);
    }

    public String string(String key) {
        if (!config.hasPath(key)) {
            throw missing(key, "a string");
        }
        ConfigValue v = config.getValue(key);
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            throw invalid(key, "a string");
        }
        return String.valueOf(v.unwrapped());
    }

    public String string(String key, String defaultValue) {
        return config.hasPath(key) ? string(key) : defaultValue;
    }

    public int integer(String key, int min, int max) {
        if (!config.hasPath(key)) {
            throw missing(key, "an integer between " + min + " and " + max);
        }
        long value;
        try {
            value = config.getLong(key);
        } catch (ConfigException e) {
            throw invalid(key, "an integer between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw invalid(key, "an integer between " + min + " and " + max);
        }
        return (int) value;
    }

    public int integer(String key, int min, int max, int defaultValue) {
        return config.hasPath(key) ? integer(key, min, max) : defaultValue;
    }

    public boolean bool(String key) {
        if (!config.hasPath(key)) {
            throw missing(key, "true or false");
        }
        try {
            return config.getBoolean(key);
        } catch (ConfigException e) {
            throw invalid(key, "true or false");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        return config.hasPath(key) ? bool(key) : defaultValue;
    }

    public Duration duration(String key) {
        if (!config.hasPath(key)) {
            throw missing(key, "a duration such as 500ms, 2s or 5m");
        }
        try {
            return config.getDuration(key);
        } catch (ConfigException e) {
            throw invalid(key, "a duration such as 500ms, 2s or 5m");
        }
    }

    public Duration duration(String key, Duration defaultValue) {
        return config.hasPath(key) ? duration(key) : defaultValue;
    }

    /** A list of strings, written as a HOCON list or as Kinto's whitespace-separated string. */
    public List<String> list(String key) {
        if (!config.hasPath(key)) {
            throw missing(key, "a list of strings");
        }
        ConfigValue v = config.getValue(key);
        if (v.valueType() == ConfigValueType.STRING) {
            String s = ((String) v.unwrapped()).trim();
            return s.isEmpty() ? List.of() : List.copyOf(Arrays.asList(s.split("\\s+")));
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw invalid(key, "a list of strings such as [a, b] or \"a b\"");
        }
        List<String> out = new ArrayList<>();
        for (ConfigValue item : (ConfigList) v) {
            if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST
                    || item.valueType() == ConfigValueType.NULL) {
                throw invalid(key, "a list of strings such as [a, b] or \"a b\"");
            }
            out.add(String.valueOf(item.unwrapped()));
        }
        return List.copyOf(out);
    }

    public List<String> list(String key, List<String> defaultValue) {
        return config.hasPath(key) ? list(key) : defaultValue;
    }

    /** One of a fixed set of words. */
    public String oneOf(String key, List<String> valid) {
        String value = string(key);
        if (!valid.contains(value)) {
            throw invalid(key, "one of " + String.join(", ", valid));
        }
        return value;
    }
}
