package org.kinto4j.testkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/**
 * {@link Settings} of one instance from a map, strict like the server's: a missing required key
 * or a malformed value throws {@link SettingsException} naming the full key
 * ({@code event_listeners.NAME.key}). Values may be typed ({@code 5}, {@code true},
 * {@code List.of(...)}, {@code Duration}) or strings as environment variables give them
 * ({@code "5"}, {@code "yes"}, {@code "a b"}, {@code "500ms"}).
 *
 * <p>Records the keys read, like the server, so a test can check {@link #unreadKeys()}.
 * Thread-safe; the values are copied at construction.
 */
public final class TestSettings implements Settings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]*)");

    private final String instanceName;
    private final Map<String, Object> values;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    private TestSettings(String instanceName, Map<String, Object> values) {
        this.instanceName = instanceName;
        this.values = Collections.unmodifiableMap(values);
    }

    /** The settings of the instance {@code instanceName} (as under {@code event_listeners.NAME}). */
    public static TestSettings of(String instanceName, Map<String, ?> values) {
        return new TestSettings(instanceName, new LinkedHashMap<String, Object>(values));
    }

    /** No settings at all. */
    public static TestSettings none(String instanceName) {
        return new TestSettings(instanceName, Map.of());
    }

    /** The keys present that the listener never read: the server reports them as probable typos. */
    public Set<String> unreadKeys() {
        Set<String> unread = new TreeSet<>(values.keySet());
        unread.removeAll(read);
        return unread;
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
        Object value = require(key);
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            throw invalid(key, value, "a string");
        }
        return String.valueOf(value);
    }

    @Override
    public String string(String key, String defaultValue) {
        return has(key) ? string(key) : defaulted(key, defaultValue);
    }

    @Override
    public int integer(String key) {
        Object value = require(key);
        try {
            return value instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, value, "an integer");
        }
    }

    @Override
    public int integer(String key, int defaultValue) {
        return has(key) ? integer(key) : defaulted(key, defaultValue);
    }

    @Override
    public boolean bool(String key) {
        Object value = require(key);
        return switch (value.toString().trim()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, value, "a boolean (true/false, yes/no, on/off)");
        };
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        return has(key) ? bool(key) : defaulted(key, defaultValue);
    }

    @Override
    public List<String> list(String key) {
        Object value = require(key);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return Arrays.stream(value.toString().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public List<String> list(String key, List<String> defaultValue) {
        return has(key) ? list(key) : defaulted(key, defaultValue);
    }

    @Override
    public Duration duration(String key) {
        Object value = require(key);
        if (value instanceof Duration d) {
            return d;
        }
        Matcher m = DURATION.matcher(value.toString().trim());
        if (!m.matches()) {
            throw invalid(key, value, "a duration such as 500ms, 5s, 1m (or plain milliseconds)");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "", "ms", "millis", "milliseconds" -> Duration.ofMillis(amount);
            case "s", "seconds" -> Duration.ofSeconds(amount);
            case "m", "minutes" -> Duration.ofMinutes(amount);
            case "h", "hours" -> Duration.ofHours(amount);
            case "d", "days" -> Duration.ofDays(amount);
            default -> throw invalid(key, value, "a duration with unit ms, s, m, h or d");
        };
    }

    @Override
    public Duration duration(String key, Duration defaultValue) {
        return has(key) ? duration(key) : defaulted(key, defaultValue);
    }

    private Object require(String key) {
        read.add(key);
        if (!has(key)) {
            throw new SettingsException(full(key), full(key) + " is required but not set");
        }
        return values.get(key);
    }

    private <T> T defaulted(String key, T defaultValue) {
        read.add(key);
        return defaultValue;
    }

    private SettingsException invalid(String key, Object value, String expected) {
        return new SettingsException(full(key), full(key) + ": '" + value + "' is not " + expected);
    }

    private String full(String key) {
        return "event_listeners." + instanceName + "." + key;
    }
}
