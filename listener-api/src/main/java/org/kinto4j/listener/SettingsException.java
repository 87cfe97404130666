package org.kinto4j.listener;

/**
 * A listener setting is missing or malformed. The message names the full key (for example
 * {@code event_listeners.send_email.server}), the offending value, what is valid and where the
 * value came from.
 */
public class SettingsException extends RuntimeException {

    private final String key;

    public SettingsException(String key, String message) {
        super(message);
        this.key = key;
    }

    public SettingsException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The full key, for example {@code event_listeners.send_email.server}. */
    public String key() {
        return key;
    }
}
