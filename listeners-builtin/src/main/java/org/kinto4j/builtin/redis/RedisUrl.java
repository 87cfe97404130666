package org.kinto4j.builtin.redis;

import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Redis server address, as Kinto's {@code url} setting writes it:
 * {@code redis://[[user]:password@]host[:port][/db]} ({@code rediss://} for TLS).
 *
 * <p>Defaults follow Kinto (redis-py): host {@code localhost}, port {@code 6379}, database
 * {@code 0}; the empty string means all three. User and password are percent-decoded, so a
 * password containing {@code @}, {@code /} or {@code :} is written {@code %40}, {@code %2F},
 * {@code %3A}.
 *
 * <p>The password never leaves this class in clear text except towards lettuce:
 * {@link #toString()} and {@link #masked()} print it as {@code ***}.
 */
final class RedisUrl {

    /** The form operators should write, used in error messages. */
    static final String EXPECTED_FORM = "redis://[:password@]host[:port][/db]";

    private static final String DEFAULT_HOST = "localhost";
    private static final int DEFAULT_PORT = 6379;
    private static final String MASK = "***";

    // scheme :// [userinfo @] host-or-[ipv6] [:port] [/ [db]]
    private static final Pattern FORM = Pattern.compile(
            "(?<scheme>rediss?)://(?:(?<userinfo>[^/?#]*)@)?"
                    + "(?<host>\\[[0-9A-Fa-f:.]+]|[^\\s:/?#@\\[\\]]*)"
                    + "(?::(?<port>[0-9]{1,5}))?(?:/(?<db>[0-9]{0,9}))?");

    private final boolean tls;
    private final String username;
    private final String password;
    private final String host;
    private final int port;
    private final int database;

    private RedisUrl(boolean tls, String username, String password, String host, int port, int database) {
        this.tls = tls;
        this.username = username;
        this.password = password;
        this.host = host;
        this.port = port;
        this.database = database;
    }

    /**
     * Parses a URL; {@code ""} means {@code redis://localhost:6379/0}.
     *
     * @throws IllegalArgumentException saying what is wrong (without the password); the caller
     *                                  adds the setting's key and the masked value
     */
    static RedisUrl parse(String value) {
        if (value.isBlank()) {
            return new RedisUrl(false, null, null, DEFAULT_HOST, DEFAULT_PORT, 0);
        }
        Matcher m = FORM.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(describeMismatch(value.strip()));
        }
        String[] credentials = credentials(m.group("userinfo"));
        return new RedisUrl(
                m.group("scheme").equals("rediss"),
                credentials[0],
                credentials[1],
                host(m.group("host")),
                port(m.group("port")),
                database(m.group("db")));
    }

    /**
     * The value with any password replaced by {@code ***}; works on malformed values too, so it
     * can be quoted in an error message.
     */
    static String mask(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        int schemeEnd = value.indexOf("://");
        int userInfoStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        String userInfo = value.substring(userInfoStart, at);
        int colon = userInfo.indexOf(':');
        String maskedUserInfo = colon >= 0 ? userInfo.substring(0, colon + 1) + MASK : MASK;
        return value.substring(0, userInfoStart) + maskedUserInfo + value.substring(at);
    }

    /** This address as a URL with the password replaced by {@code ***}: safe to log. */
    String masked() {
        StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
        if (password != null) {
            url.append(username == null ? "" : username).append(':').append(MASK).append('@');
        } else if (username != null) {
            // a lone user info may well be a password written without its colon
            url.append(MASK).append('@');
        }
        url.append(host.contains(":") ? "[" + host + "]" : host);
        return url.append(':').append(port).append('/').append(database).toString();
    }

    /** The password, or {@code null}; only for scrubbing messages of third-party code. */
    String password() {
        return password;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    int database() {
        return database;
    }

    /** The lettuce address, with {@code timeout} as its command and handshake timeout. */
    RedisURI toRedisUri(Duration timeout) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(host)
                .withPort(port)
                .withDatabase(database)
                .withSsl(tls)
                .withTimeout(timeout);
        if (password != null) {
            uri = username == null
                    ? uri.withPassword(password.toCharArray())
                    : uri.withAuthentication(username, password.toCharArray());
        }
        return uri.build();
    }

    @Override
    public String toString() {
        return masked();
    }

    private static String describeMismatch(String value) {
        if (!value.contains("://")) {
            return "it has no scheme";
        }
        if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
            return "the scheme must be redis:// (or rediss:// for TLS)";
        }
        if (value.contains("?") || value.contains("#")) {
            return "query parameters and fragments are not supported";
        }
        return "it does not have that form (a password with '@', '/' or ':' must be"
                + " percent-encoded, the port must be a number, the database a number)";
    }

    /** {@code [user, password]}: {@code ":pw"} is a password only, {@code "user:pw"} both. */
    private static String[] credentials(String userInfo) {
        if (userInfo == null) {
            return new String[] {null, null};
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            // redis-py reads a lone user info as the username; without a password Redis only
            // accepts it with ACL "nopass" users, so keep it as a username.
            return new String[] {emptyToNull(decode(userInfo)), null};
        }
        return new String[] {
            emptyToNull(decode(userInfo.substring(0, colon))),
            decode(userInfo.substring(colon + 1))
        };
    }

    private static String host(String host) {
        if (host.isEmpty()) {
            return DEFAULT_HOST;
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String port) {
        if (port == null) {
            return DEFAULT_PORT;
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port " + value + " is not between 1 and 65535");
        }
        return value;
    }

    private static int database(String database) {
        return database == null || database.isEmpty() ? 0 : Integer.parseInt(database);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not e's message: it quotes the text, which may be the password
            throw new IllegalArgumentException(
                    "the user or password has a malformed percent-escape (write % as %25)");
        }
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
