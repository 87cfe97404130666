package org.kinto4j.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict percent-decoding: invalid escapes or invalid UTF-8 are reported, as Kinto does (400). */
public final class UrlCodec {

    private UrlCodec() {
    }

    /** Thrown for undecodable input. */
    public static final class InvalidEncoding extends RuntimeException {
        private final boolean inQuery;

        InvalidEncoding(String message, boolean inQuery) {
            super(message, null, false, false);
            this.inQuery = inQuery;
        }

        /** Whether the bad encoding is in the query string (Kinto: errno 107 quoting it) rather than the path. */
        public boolean inQuery() {
            return inQuery;
        }

        /** Kinto's answer to a query string that is not UTF-8 (its message runs "was" and "received" together). */
        public static KintoException badQuery(String rawQuery) {
            return new KintoException(400, KintoException.INVALID_PARAMETERS, "Invalid parameters",
                    "A request with an incorrect encoding in the querystring wasreceived. Please make sure your "
                            + "requests are encoded in UTF-8: " + (rawQuery == null ? "" : rawQuery), null);
        }
    }

    public static String decodePath(String raw) {
        return decode(raw, false);
    }

    public static String decodeQueryComponent(String raw) {
        return decode(raw, true);
    }

    private static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if ((hi < 0 || lo < 0) && plusIsSpace) {
                    out.write('%'); // a query keeps a malformed escape as it is, as Python's unquote does
                    continue;
                }
                if (hi < 0 || lo < 0) {
                    throw new InvalidEncoding(i + 2 >= raw.length() ? "truncated percent escape" : "invalid percent escape",
                            false);
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidEncoding("invalid UTF-8", plusIsSpace);
        }
    }

    public static String encodeQueryComponent(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
