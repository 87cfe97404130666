package org.kinto4j.server.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ETag and Last-Modified values of a Kinto timestamp. */
public final class HttpDates {

    /** IMF-fixdate (RFC 9110): two-digit day, unlike DateTimeFormatter.RFC_1123_DATE_TIME ("Thu, 1 Jan 1970"). */
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    public static String etag(long timestamp) {
        return "\"" + timestamp + "\"";
    }

    public static String httpDate(long epochMillis) {
        return RFC_1123.format(Instant.ofEpochMilli(epochMillis / 1000 * 1000));
    }
}
