package org.kinto4j.examples.email;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/**
 * {@link Settings} over a map, behaving like the server's for what the email plugin reads:
 * required keys, string or list values for lists, "true"/"false" strings for booleans.
 */
final class MapSettings implements Settings {

    private final String instanceName;
    private final Map<String, Object> values;

    MapSettings(String instanceName, Map<String, Object> values) {
        this.instanceName = instanceName;
        this.values = new HashMap<>(values);
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(key);
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(values.keySet());
    }

    @Override
    public String string(String key) {
        return String.valueOf(required(key));
    }

    @Override
    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : defaultValue;
    }

    @Override
    public int integer(String key) {
        return Integer.parseInt(string(key));
    }

    @Override
    public int integer(String key, int defaultValue) {
        return has(key) ? integer(key) : defaultValue;
    }

    @Override
    public boolean bool(String key) {
        return Boolean.parseBoolean(string(key));
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? bool(key) : defaultValue;
    }

    @Override
    public List<String> list(String key) {
        Object value = required(key);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return Arrays.stream(String.valueOf(value).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public List<String> list(String key, List<String> defaultValue) {
        return has(key) ? list(key) : defaultValue;
    }

    @Override
    public Duration duration(String key) {
        Object value = required(key);
        return value instanceof Duration duration ? duration : Duration.ofMillis(Long.parseLong(String.valueOf(value)));
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        return has(key) ? duration(key) : defaultValue;
    }

    private Object required(String key) {
        if (!values.containsKey(key)) {
            String fullKey = "event_listeners." + instanceName + "." + key;
            throw new SettingsException(fullKey, fullKey + " is missing");
        }
        return values.get(key);
    }
}
