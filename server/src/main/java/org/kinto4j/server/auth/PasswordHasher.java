package org.kinto4j.server.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Account passwords hashed with bcrypt ({@code $2b$}, Kinto's format, so hashes carried over
 * from Kinto verify). A check for a missing account still runs one bcrypt comparison, against a
 * hash of a random secret made at start-up, so a failed login takes about as long whether the
 * account exists or not.
 */
public final class PasswordHasher {

    /** bcrypt reads at most 72 bytes; longer new passwords are refused rather than cut. */
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final CompletableFuture<String> dummyHash;
    private final LongAdder comparisons = new LongAdder();

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.dummyHash = CompletableFuture.supplyAsync(() -> hash(UUID.randomUUID().toString()));
    }

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    public String hash(String password) {
        return BCrypt.with(BCrypt.Version.VERSION_2B).hashToString(cost, password.toCharArray());
    }

    /** Whether {@code password} matches {@code storedHash}; false for a malformed hash. */
    public boolean verify(String password, String storedHash) {
        comparisons.increment();
        try {
            // Verify as the 72-byte implementations that wrote old hashes did (truncating).
            return BCrypt.verifyer(BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B))
                    .verify(password.getBytes(StandardCharsets.UTF_8), storedHash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The same work as {@link #verify} for a login whose account does not exist; always false. */
    public boolean verifyMissing(String password) {
        verify(password, dummyHash.join());
        return false;
    }

    /** bcrypt comparisons made so far (tests check that a missing account costs one too). */
    public long comparisons() {
        return comparisons.sum();
    }
}
