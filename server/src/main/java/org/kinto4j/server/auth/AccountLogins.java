package org.kinto4j.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;

/**
 * The {@code account} policy: Basic credentials checked against stored accounts. A verified
 * login is remembered for {@code account_cache_ttl_seconds} (refreshed on use) so bcrypt runs
 * once, not on every request. Every use still reads the account (one primary-key lookup) and
 * the remembered login counts only while the stored hash is the one it was verified against:
 * a password change or a deletion, made by any process sharing the database, ends it at once.
 * Neither passwords nor hashes of them are kept: only an HMAC under a key made at start-up.
 */
public final class AccountLogins {

    private static final int CACHE_LIMIT = 10_000;

    private record Login(String storedHash, String passwordMac, long expiresAtNanos) {
    }

    private final Transactions transactions;
    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Hmac mac;
    private final ConcurrentMap<String, Login> verified = new ConcurrentHashMap<>();

    public AccountLogins(Transactions transactions, AccountStore accounts, PasswordHasher hasher, int ttlSeconds,
            LongSupplier nanoClock) {
        this.transactions = transactions;
        this.accounts = accounts;
        this.hasher = hasher;
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.nanoClock = nanoClock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.mac = new Hmac(HexFormat.of().formatHex(key));
    }

    /** The prefixed user id ({@code account:<id>}) when the credentials match an account. */
    public Optional<String> check(BasicCredentials credentials) {
        String username = credentials.username();
        String password = credentials.password();
        String storedHash = AccountStore.validId(username) ? storedHash(username) : null;
        if (storedHash == null) {
            hasher.verifyMissing(password);
            return Optional.empty();
        }
        String passwordMac = mac.hex(username + ":" + password);
        long now = nanoClock.getAsLong();
        Login login = verified.get(username);
        if (login != null && login.expiresAtNanos() - now > 0 && login.storedHash().equals(storedHash)
                && login.passwordMac().equals(passwordMac)) {
            verified.put(username, new Login(storedHash, passwordMac, now + ttlNanos));
            return Optional.of(AccountStore.principal(username));
        }
        if (!hasher.verify(password, storedHash)) {
            return Optional.empty();
        }
        if (ttlNanos > 0) {
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(username, new Login(storedHash, passwordMac, now + ttlNanos));
        }
        return Optional.of(AccountStore.principal(username));
    }

    private String storedHash(String username) {
        try (Tx tx = transactions.begin()) {
            Optional<ObjectNode> account = accounts.get(tx, username);
            tx.rollback();
            return account.map(a -> a.path("password").isTextual() ? a.get("password").textValue() : null).orElse(null);
        }
    }

    /** Drops the remembered login of an account (its password changed, or it was deleted). */
    public void forget(String username) {
        verified.remove(username);
    }

    /** Drops every remembered login (flush). */
    public void forgetAll() {
        verified.clear();
    }
}
