package org.kinto4j.builtin.redis.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/** A map-backed {@link Settings} for one instance, strict like the server's. Test-only. */
public final class FakeSettings implements Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    private final String instance;
    private final Map<String, Object> values;

    public FakeSettings(String instance, Map<String, Object> values) {
        this.instance = instance;
        this.values = new LinkedHashMap<>(values);
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(key);
    }

    @Override
    public Set<String> keys() {
        return values.keySet();
    }

    @Override
    public String string(String key) {
        return require(key).toString();
    }

    @Override
    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : defaultValue;
    }

    @Override
    public int integer(String key) {
        Object value = require(key);
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "an integer");
        }
    }

    @Override
    public int integer(String key, int defaultValue) {
        return has(key) ? integer(key) : defaultValue;
    }

    @Override
    public boolean bool(String key) {
        return Boolean.parseBoolean(require(key).toString());
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? bool(key) : defaultValue;
    }

    @Override
    public List<String> list(String key) {
        return Arrays.asList(require(key).toString().trim().split("\\s+"));
    }

    @Override
    public List<String> list(String key, List<String> defaultValue) {
        return has(key) ? list(key) : defaultValue;
    }

    @Override
    public Duration duration(String key) {
        Object value = require(key);
        if (value instanceof Duration d) {
            return d;
        }
        Matcher m = DURATION.matcher(value.toString().trim());
        if (!m.matches()) {
            throw invalid(key, value, "a duration such as 500ms or 5s");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        return has(key) ? duration(key) : defaultValue;
    }

    private Object require(String key) {
        if (!has(key)) {
            throw new SettingsException(full(key), full(key) + " is required");
        }
        return values.get(key);
    }

    private SettingsException invalid(String key, Object value, String expected) {
        return new SettingsException(full(key), full(key) + ": '" + value + "' is not " + expected);
    }

    private String full(String key) {
        return "event_listeners." + instance + "." + key;
    }
}
