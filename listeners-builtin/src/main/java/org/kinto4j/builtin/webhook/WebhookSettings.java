package org.kinto4j.builtin.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.kinto4j.listener.Settings;
import org.kinto4j.listener.SettingsException;

/**
 * The validated settings of one {@code webhook} instance.
 *
 * @param url            where events are posted ({@code url}, http or https)
 * @param secrets        the signing keys ({@code secret}, or {@code secrets = [...]} to rotate)
 * @param allowPrivate   {@code allow_private_networks}: deliver to internal addresses too
 * @param connectTimeout {@code connect_timeout}: how long connecting may take
 * @param timeout        {@code timeout}: how long the receiver may take to answer
 * @param batch          {@code batch}: post the due events of a round as one JSON array
 */
record WebhookSettings(URI url, WebhookSecrets secrets, boolean allowPrivate, Duration connectTimeout,
        Duration timeout, boolean batch) {

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    static WebhookSettings read(String instance, Settings settings) {
        String prefix = "event_listeners." + instance + ".";
        return new WebhookSettings(
                url(prefix, settings.has("url") ? settings.string("url") : null),
                secrets(prefix, settings),
                settings.bool("allow_private_networks", false),
                positive(prefix, "connect_timeout", settings.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT)),
                positive(prefix, "timeout", settings.duration("timeout", DEFAULT_TIMEOUT)),
                settings.bool("batch", false));
    }

    /** The URL without its query (which may carry a token): safe to log. */
    String shownUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath());
    }

    private static URI url(String prefix, String value) {
        String key = prefix + "url";
        if (value == null || value.isBlank()) {
            throw new SettingsException(key, key + " is missing: expected the http(s) URL events are posted to,"
                    + " for example https://hooks.example.com/kinto");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new SettingsException(key, key + ": '" + value + "' is not a URL (" + e.getReason()
                    + "). Expected http(s)://host[:port]/path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SettingsException(key, key + ": '" + value + "' is not an http or https URL."
                    + " Expected http(s)://host[:port]/path");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new SettingsException(key, key + ": '" + value + "' has no host name."
                    + " Expected http(s)://host[:port]/path");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new SettingsException(key, key + ": user info and fragments are not supported in a webhook URL");
        }
        return uri;
    }

    private static WebhookSecrets secrets(String prefix, Settings settings) {
        boolean one = settings.has("secret");
        boolean many = settings.has("secrets");
        if (one == many) {
            String why = one ? "both secret and secrets are set: use one of them"
                    : "no secret is set: every delivery is signed";
            throw new SettingsException(prefix + "secret", prefix + "secret: " + why + ". Expected secret = \"whsec_...\""
                    + " (base64 of 24 to 64 random bytes, e.g. \"whsec_\" + `openssl rand -base64 32`), or"
                    + " secrets = [\"whsec_...\", \"whsec_...\"] to sign with several keys while rotating");
        }
        String key = one ? "secret" : "secrets";
        List<String> values = one ? List.of(settings.string("secret")) : settings.list("secrets");
        try {
            return WebhookSecrets.parse(values);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(prefix + key, prefix + key + " (value masked): " + e.getMessage()
                    + ". Expected \"whsec_\" followed by the base64 of 24 to 64 random bytes,"
                    + " e.g. \"whsec_\" + `openssl rand -base64 32`");
        }
    }

    private static Duration positive(String prefix, String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new SettingsException(prefix + key, prefix + key + ": " + value.toMillis()
                    + "ms is not valid: expected a positive duration such as 500ms or 5s");
        }
        return value;
    }
}
