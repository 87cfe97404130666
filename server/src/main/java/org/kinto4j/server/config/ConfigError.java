package org.kinto4j.server.config;

/**
 * The configuration cannot be used. The message names the key, where its value came from
 * (file and line, or environment variable), the offending value, what is valid and how to fix
 * it. The command line turns it into exit status 2.
 */
public class ConfigError extends RuntimeException {

    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
