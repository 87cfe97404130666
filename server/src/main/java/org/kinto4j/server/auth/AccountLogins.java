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
 * The {@code account} policy: Basic credentials checked against stored accounts. The verdict of
 * a check, success or failure, is remembered for {@code account_cache_ttl_seconds} (refreshed on
 * use) for that user name and password, so bcrypt runs once per window, not on every request.
 * Every use still reads the account (one primary-key lookup) and a verdict counts only while the
 * account is as it was when it was made (same stored hash, or still missing): a password change,
 * a deletion or a creation, by any process sharing the database, is seen at once. Failures are
 * remembered too, with the same rule for existing and missing accounts, so that neither the
 * answer nor its time tells whether an account exists (and so that basicauth users, who fall
 * through a failed account check, do not pay one bcrypt comparison per request). Neither
 * passwords nor hashes of them are kept: only an HMAC under a key made at start-up.
 */
public final class AccountLogins {

    private static final int CACHE_LIMIT = 10_000;
    private static final String MISSING = "";

    private record Verdict(String storedHash, boolean valid, long expiresAtNanos) {
    }

    private final Transactions transactions;
    private final AccountStore accounts;
    private final PasswordHasher hasher;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Hmac mac;
    private final ConcurrentMap<String, Verdict> verdicts = new ConcurrentHashMap<>();

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
        String stored = AccountStore.validId(username) ? storedHash(username) : null;
        String state = stored == null ? MISSING : stored;
        String key = username + "\n" + mac.hex(username + ":" + password);
        long now = nanoClock.getAsLong();
        Verdict known = verdicts.get(key);
        boolean valid;
        if (known != null && known.expiresAtNanos() - now > 0 && known.storedHash().equals(state)) {
            valid = known.valid();
        } else {
            valid = stored == null ? hasher.verifyMissing(password) : hasher.verify(password, stored);
        }
        if (ttlNanos > 0) {
            if (verdicts.size() >= CACHE_LIMIT) {
                verdicts.clear();
            }
            verdicts.put(key, new Verdict(state, valid, now + ttlNanos));
        }
        return valid ? Optional.of(AccountStore.principal(username)) : Optional.empty();
    }

    private String storedHash(String username) {
        try (Tx tx = transactions.begin()) {
            Optional<ObjectNode> account = accounts.get(tx, username);
            tx.rollback();
            return account.map(a -> a.path("password").isTextual() ? a.get("password").textValue() : null).orElse(null);
        }
    }

    /** Drops the remembered verdicts of a user name (its password changed, or it was deleted). */
    public void forget(String username) {
        String prefix = username + "\n";
        verdicts.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Drops every remembered verdict (flush). */
    public void forgetAll() {
        verdicts.clear();
    }
}
