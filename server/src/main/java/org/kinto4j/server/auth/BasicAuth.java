package org.kinto4j.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Kinto's {@code basicauth} policy (upstream kinto/core/authentication.py): any user name and password are accepted; the user
 * id is {@code basicauth:} + hex HMAC-SHA256(userid_hmac_secret, "user:password"). A missing,
 * malformed or empty-user header means anonymous, never an error.
 */
public final class BasicAuth {

    public static final String PREFIX = "basicauth:";
    private static final int CACHE_LIMIT = 10_000;

    private final Hmac hmac;
    private final ConcurrentMap<String, String> cache = new ConcurrentHashMap<>();

    public BasicAuth(String useridHmacSecret) {
        this.hmac = new Hmac(useridHmacSecret);
    }

    /** The prefixed user id for an {@code Authorization} header value, or empty for anonymous. */
    public Optional<String> userId(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String cached = cache.get(authorization);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> computed = compute(authorization);
        computed.ifPresent(id -> {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(authorization, id);
        });
        return computed;
    }

    private Optional<String> compute(String authorization) {
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(space + 1).trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String credentials = decode(decoded);
        int colon = credentials.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(PREFIX + hmac.hex(credentials));
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
