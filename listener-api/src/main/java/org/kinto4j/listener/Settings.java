package org.kinto4j.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A listener instance's own settings (its block under {@code event_listeners.NAME}).
 *
 * <p>Keys are relative to the block ({@code server}, not {@code event_listeners.mail.server}).
 * Getters without a default require the key. A missing or malformed value throws
 * {@link SettingsException} whose message names the full key
 * ({@code event_listeners.send_email.server}), the bad value, what is valid and where it was
 * read from; thrown from {@link ListenerFactory#create} it stops the start with that message.
 *
 * <p>Values come from {@code conf/server.conf} or from environment variables
 * {@code KINTO_EVENT_LISTENERS_NAME_KEY}. Environment values are strings; the typed getters
 * parse them ({@code "5"} is a valid integer, {@code "true"} a valid boolean).
 *
 * <p>Every key read through this interface is marked as used; keys never read are reported at
 * start-up as probably misspelled. Thread-safe and immutable.
 */
public interface Settings {

    /** Whether the key is present. Does not mark it as used. */
    boolean has(String key);

    /** The keys present in this block (nested keys as dotted paths). */
    Set<String> keys();

    /** A required string. */
    String string(String key);

    /** A string, or {@code defaultValue} when absent. */
    String string(String key, String defaultValue);

    /** A required integer. */
    int integer(String key);

    /** An integer, or {@code defaultValue} when absent. */
    int integer(String key, int defaultValue);

    /** A required boolean ({@code true}/{@code false}, also {@code yes}/{@code no}, {@code on}/{@code off}). */
    boolean bool(String key);

    /** A boolean, or {@code defaultValue} when absent. */
    boolean bool(String key, boolean defaultValue);

    /**
     * A required list of strings: a HOCON list, or Kinto's whitespace-separated string form
     * ({@code "a@example.com b@example.com"}).
     */
    List<String> list(String key);

    /** A list, or {@code defaultValue} when absent. */
    List<String> list(String key, List<String> defaultValue);

    /** A required duration: HOCON units ({@code 500ms}, {@code 2s}, {@code 1m}) or plain milliseconds. */
    Duration duration(String key);

    /** A duration, or {@code defaultValue} when absent. */
    Duration duration(String key, Duration defaultValue);
}
