package org.kinto4j.server.auth;

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
        return BasicCredentials.parse(authorization)
                .map(c -> PREFIX + hmac.hex(c.username() + ":" + c.password()));
    }
}
