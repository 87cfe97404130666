package org.kinto4j.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kinto-style environment overrides: the variable for key {@code a.b-c} is {@code KINTO_A_B_C}.
 * The lookup goes from each known key to its variable, so it is never ambiguous. Values are
 * kept as strings (typed reads parse them); the origin names the variable.
 */
public final class EnvironmentOverrides {

    private final Map<String, String> environment;

    public EnvironmentOverrides(Map<String, String> environment) {
        this.environment = environment;
    }

    public static String variableName(String key) {
        return "KINTO_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        return environment.get(variableName(key));
    }

    public Map<String, String> environment() {
        return environment;
    }

    public static ConfigValue valueFromVariable(String key, String raw) {
        ConfigOrigin origin = ConfigOriginFactory.newSimple("environment variable " + variableName(key));
        return ConfigValueFactory.fromAnyRef(raw).withOrigin(origin);
    }

    /** Applies overrides to every leaf key of {@code config} outside {@code event_listeners}. */
    public Config apply(Config config) {
        Map<String, ConfigValue> overrides = new HashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("event_listeners.")) {
                continue;
            }
            String raw = get(key);
            if (raw != null) {
                overrides.put(key, valueFromVariable(key, raw));
            }
        }
        Config result = config;
        for (Map.Entry<String, ConfigValue> o : overrides.entrySet()) {
            result = result.withValue(o.getKey(), o.getValue());
        }
        return result;
    }

    static Config empty() {
        return ConfigFactory.empty();
    }
}
