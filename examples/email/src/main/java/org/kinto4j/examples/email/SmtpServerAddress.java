package org.kinto4j.examples.email;

import org.kinto4j.listener.SettingsException;

/**
 * The {@code server} setting, {@code host:port} (for example {@code localhost:1025} or
 * {@code [::1]:1025}), parsed and checked.
 */
record SmtpServerAddress(String host, int port) {

    private static final String EXPECTED = "expected host:port with a port from 1 to 65535, for example \"localhost:1025\"";

    /**
     * Parses {@code value}, the setting {@code fullKey}.
     *
     * @throws SettingsException naming the full key, the value and the expected form
     */
    static SmtpServerAddress parse(String fullKey, String value) {
        String trimmed = value.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(fullKey, value, "has no port");
        }
        String host = stripIpv6Brackets(trimmed.substring(0, colon));
        String port = trimmed.substring(colon + 1);
        if (host.isEmpty()) {
            throw invalid(fullKey, value, "has no host");
        }
        if (host.contains(":") && !trimmed.startsWith("[")) {
            throw invalid(fullKey, value, "is an IPv6 address without brackets (write \"[::1]:1025\")");
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw invalid(fullKey, value, "has a port that is not a number ('" + port + "')");
        }
        if (portNumber < 1 || portNumber > 65535) {
            throw invalid(fullKey, value, "has a port out of range (" + portNumber + ")");
        }
        return new SmtpServerAddress(host, portNumber);
    }

    private static String stripIpv6Brackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static SettingsException invalid(String fullKey, String value, String problem) {
        return new SettingsException(fullKey,
                fullKey + " = \"" + value + "\" " + problem + "; " + EXPECTED + ".");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
