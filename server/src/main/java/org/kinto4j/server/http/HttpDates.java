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

    /**
     * The largest timestamp kinto4j stores (9999-12-31T23:59:59.999Z): larger forced timestamps
     * are ignored like non-integer ones, so {@code T + 1} never overflows and every timestamp
     * has an HTTP date.
     */
    public static final long MAX_TIMESTAMP = org.kinto4j.server.resource.ObjectWrites.MAX_TIMESTAMP;

    public static String httpDate(long epochMillis) {
        long clamped = Math.max(0, Math.min(MAX_TIMESTAMP, epochMillis));
        return RFC_1123.format(Instant.ofEpochMilli(clamped / 1000 * 1000));
    }

    /** {@code r} with the ETag and Last-Modified of timestamp {@code ts}. */
    static ApiResponse withTimestamp(ApiResponse r, long ts) {
        return r.header("ETag", etag(ts)).header("Last-Modified", httpDate(ts));
    }
}
