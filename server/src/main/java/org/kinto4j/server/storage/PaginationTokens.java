package org.kinto4j.server.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-use nonces of plural DELETE {@code Next-Page} tokens (spec 6.6), kept in the database
 * so that any process sharing it can honour a token another process issued. A nonce is stored
 * with its expiry in the transaction of the page that issues it; consuming it deletes the row,
 * so two requests presenting the same token cannot both succeed (the second finds no row once
 * the first commits, or waits on its row lock). Expired rows are swept now and then.
 */
public final class PaginationTokens {

    private static final int SWEEP_EVERY = 256;

    private final AtomicLong registrations = new AtomicLong();

    public void register(Tx tx, String nonce, long expiresAt, long now) {
        tx.beginWrite();
        if (registrations.incrementAndGet() % SWEEP_EVERY == 0) {
            tx.handle().createUpdate("DELETE FROM pagination_tokens WHERE expires_at <= ?").bind(0, now).execute();
        }
        tx.handle().createUpdate("INSERT INTO pagination_tokens (nonce, expires_at) VALUES (?, ?)")
                .bind(0, nonce).bind(1, expiresAt).execute();
    }

    /** Removes the nonce; true when it was registered and had not expired. */
    public boolean consume(Tx tx, String nonce, long now) {
        if (nonce == null || nonce.isEmpty()) {
            return false;
        }
        tx.beginWrite();
        return tx.handle().createUpdate("DELETE FROM pagination_tokens WHERE nonce = ? AND expires_at > ?")
                .bind(0, nonce).bind(1, now).execute() == 1;
    }
}
