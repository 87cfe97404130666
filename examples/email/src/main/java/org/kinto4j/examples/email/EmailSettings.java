package org.kinto4j.examples.email;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/**
 * The validated settings of one {@code email} instance. {@link #toString()} never shows the
 * password.
 *
 * @param server     where to send, from {@code server} ({@code host:port})
 * @param tls        whether to require STARTTLS, from {@code tls} (default false)
 * @param username   the SMTP login, from {@code username}; empty means no authentication
 * @param password   the SMTP password, from {@code password}; required when username is set
 * @param from       the sender address, from {@code from}
 * @param recipients the recipient addresses, from {@code recipients} (at least one)
 * @param timeout    the SMTP connect, read and write timeout, from {@code timeout} (default 10s)
 */
record EmailSettings(SmtpServerAddress server, boolean tls, Optional<String> username, String password,
                     InternetAddress from, List<InternetAddress> recipients, Duration timeout) {

    static final String SERVER = "server";
    static final String TLS = "tls";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String FROM = "from";
    static final String RECIPIENTS = "recipients";
    static final String TIMEOUT = "timeout";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Reads and checks the settings of the instance {@code instanceName}.
     *
     * @throws SettingsException naming the full key ({@code event_listeners.NAME.KEY}), the bad
     *                           value and what is valid
     */
    static EmailSettings read(String instanceName, Settings settings) {
        FullKeys keys = new FullKeys(instanceName);

        SmtpServerAddress server = SmtpServerAddress.parse(keys.of(SERVER), settings.string(SERVER));
        boolean tls = settings.bool(TLS, false);
        Optional<String> username = Optional.of(settings.string(USERNAME, "")).filter(name -> !name.isBlank());
        String password = settings.string(PASSWORD, "");
        if (username.isPresent() && password.isEmpty()) {
            throw new SettingsException(keys.of(PASSWORD), keys.of(PASSWORD) + " is missing: it is required when "
                    + keys.of(USERNAME) + " is set (\"" + username.get() + "\"). Set both, or neither to send"
                    + " without authentication.");
        }
        InternetAddress from = address(keys.of(FROM), settings.string(FROM));
        List<String> recipientValues = settings.list(RECIPIENTS);
        if (recipientValues.isEmpty()) {
            throw new SettingsException(keys.of(RECIPIENTS), keys.of(RECIPIENTS)
                    + " is empty; list at least one address, for example [\"ops@example.com\"].");
        }
        List<InternetAddress> recipients = recipientValues.stream()
                .map(value -> address(keys.of(RECIPIENTS), value))
                .toList();
        Duration timeout = settings.duration(TIMEOUT, DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new SettingsException(keys.of(TIMEOUT), keys.of(TIMEOUT) + " = " + timeout
                    + " must be positive, for example 10s.");
        }
        return new EmailSettings(server, tls, username, password, from, recipients, timeout);
    }

    private static InternetAddress address(String fullKey, String value) {
        try {
            return new InternetAddress(value, true);
        } catch (AddressException e) {
            throw new SettingsException(fullKey, fullKey + " has \"" + value + "\", which is not an email address ("
                    + e.getMessage() + "); expected an address such as \"kinto@example.com\".");
        }
    }

    @Override
    public String toString() {
        return "EmailSettings[server=" + server + ", tls=" + tls + ", username=" + username.orElse("(none)")
                + ", password=" + (password.isEmpty() ? "(none)" : "****") + ", from=" + from
                + ", recipients=" + recipients + ", timeout=" + timeout + "]";
    }

    /** Builds the full key of a setting, as operators write it in {@code conf/server.conf}. */
    private record FullKeys(String instanceName) {
        String of(String key) {
            return "event_listeners." + instanceName + "." + key;
        }
    }
}
