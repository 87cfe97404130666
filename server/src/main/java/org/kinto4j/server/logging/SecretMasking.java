package org.kinto4j.server.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that hides credentials written inside URLs and connection strings: the
 * password (or token) of {@code scheme://user:password@host} and values of parameters such as
 * {@code password=}, {@code token=}, {@code secret=}, {@code api_key=} (JDBC, H2's
 * {@code ;PASSWORD=}, Redis, webhook and SMTP URLs). Used by every log line (through
 * {@link MaskingMessageConverter} and {@link MaskingThrowableConverter}), the start-up error
 * messages, the effective-configuration line and the operations endpoint.
 */
public final class SecretMasking {

    public static final String MASK = "****";

    /** {@code scheme://userinfo@}: everything after the first ':' of the user info, or all of it without one. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@\\s\"'<>]*)@");
    private static final Pattern PARAMETER = Pattern.compile(
            "(?i)([?&;]|\\b)((?:password|passwd|pwd|pass|secret|token|access_token|api[_-]?key|apikey|auth|sig|signature)=)"
                    + "([^&;\\s\"'<>,}\\]]+)");

    private SecretMasking() {
    }

    /** The text with every credential found in URLs or connection parameters replaced by {@value #MASK}. */
    public static String mask(String text) {
        if (text == null || (text.indexOf("://") < 0 && text.indexOf('=') < 0)) {
            return text;
        }
        String out = maskUserInfo(text);
        if (out.indexOf('=') >= 0) {
            out = PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        }
        return out;
    }

    private static String maskUserInfo(String text) {
        if (text.indexOf("://") < 0) {
            return text;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            String masked = userInfo.isEmpty() ? "" : colon >= 0 ? userInfo.substring(0, colon + 1) + MASK : MASK;
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + masked + "@"));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
