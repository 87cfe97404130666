package org.kinto4j.server.resource;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The nonces of plural DELETE {@code Next-Page} tokens (spec 6.6): each is valid once, for
 * {@code pagination_token_validity_seconds}. Kinto keeps them in its cache backend, memory by
 * default; so does this class, per process.
 */
final class PaginationNonces {

    private static final int SWEEP_THRESHOLD = 10_000;

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final long validityMillis;
    private final LongSupplier clock;

    PaginationNonces(int validitySeconds, LongSupplier clock) {
        this.validityMillis = validitySeconds * 1000L;
        this.clock = clock;
    }

    void register(String nonce) {
        long now = clock.getAsLong();
        if (expiries.size() >= SWEEP_THRESHOLD) {
            expiries.values().removeIf(expiry -> expiry <= now);
        }
        expiries.put(nonce, now + validityMillis);
    }

    /** Removes the nonce; true when it was registered and has not expired. */
    boolean consume(String nonce) {
        Long expiry = nonce == null ? null : expiries.remove(nonce);
        return expiry != null && expiry > clock.getAsLong();
    }
}
