package org.kinto4j.server.resource;

import java.util.function.LongSupplier;
import org.kinto4j.server.storage.PaginationTokens;
import org.kinto4j.server.storage.Tx;

/**
 * The nonces of plural DELETE {@code Next-Page} tokens (spec 6.6): each is valid once, for
 * {@code pagination_token_validity_seconds}, on every process sharing the database (Kinto keeps
 * them in its cache backend).
 */
public final class PaginationNonces {

    private final PaginationTokens tokens = new PaginationTokens();
    private final long validityMillis;
    private final LongSupplier clock;

    public PaginationNonces(int validitySeconds, LongSupplier clock) {
        this.validityMillis = validitySeconds * 1000L;
        this.clock = clock;
    }

    public void register(Tx tx, String nonce) {
        long now = clock.getAsLong();
        tokens.register(tx, nonce, now + validityMillis, now);
    }

    /** Removes the nonce; true when it was registered and has not expired. */
    public boolean consume(Tx tx, String nonce) {
        return tokens.consume(tx, nonce, clock.getAsLong());
    }
}
