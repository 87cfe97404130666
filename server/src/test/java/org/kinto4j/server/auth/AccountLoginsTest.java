package org.kinto4j.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Migrations;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;

/** The account policy over a real H2 database: bcrypt work, the remembered logins and their end. */
class AccountLoginsTest {

    @TempDir
    Path dir;

    private Database db;
    private AccountStore accounts;
    private Transactions transactions;
    private final PasswordHasher hasher = new PasswordHasher(4);
    private final AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void open() {
        db = new Database(new ServerSettings.Storage("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/k", "", "",
                2, Duration.ofSeconds(5)));
        new Migrations(db.jdbi(), db.dialect()).migrate();
        transactions = new Transactions(db);
        accounts = new AccountStore(new ObjectStore(System::currentTimeMillis), new PermissionStore(false));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void store(String id, String hash) {
        try (Tx tx = transactions.begin()) {
            accounts.upsert(tx, id, hash);
            tx.commit();
        }
    }

    private AccountLogins logins(int ttlSeconds) {
        return new AccountLogins(transactions, accounts, hasher, ttlSeconds, nanos::get);
    }

    private static BasicCredentials credentials(String user, String password) {
        return new BasicCredentials(user, password);
    }

    @Test
    void aVerifiedLoginIsRememberedUntilItsTtlAndEndsWithAPasswordChange() {
        store("alice", hasher.hash("pw-1"));
        AccountLogins logins = logins(30);
        long before = hasher.comparisons();
        assertThat(logins.check(credentials("alice", "pw-1"))).contains("account:alice");
        assertThat(logins.check(credentials("alice", "pw-1"))).contains("account:alice");
        assertThat(hasher.comparisons() - before).as("bcrypt once, then remembered").isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(logins.check(credentials("alice", "pw-1"))).isPresent();
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(logins.check(credentials("alice", "pw-1"))).isPresent();
        assertThat(hasher.comparisons() - before).as("each use refreshes the TTL").isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(logins.check(credentials("alice", "pw-1"))).isPresent();
        assertThat(hasher.comparisons() - before).as("expired: bcrypt again").isEqualTo(2);

        store("alice", hasher.hash("pw-2")); // another process, say: this one's cache is not told
        assertThat(logins.check(credentials("alice", "pw-1"))).isEmpty();
        assertThat(logins.check(credentials("alice", "pw-2"))).contains("account:alice");
    }

    @Test
    void failedLoginsCostOneBcryptWhetherTheAccountExistsOrNotAndAreRememberedAlike() {
        store("alice", hasher.hash("pw-1"));
        AccountLogins logins = logins(30);
        long before = hasher.comparisons();
        assertThat(logins.check(credentials("alice", "wrong"))).isEmpty();
        assertThat(hasher.comparisons() - before).isEqualTo(1);
        assertThat(logins.check(credentials("nobody", "wrong"))).isEmpty();
        assertThat(hasher.comparisons() - before).as("a missing account is compared with a dummy hash").isEqualTo(2);
        assertThat(logins.check(credentials("_not-an-id", "wrong"))).isEmpty();
        assertThat(hasher.comparisons() - before).isEqualTo(3);

        assertThat(logins.check(credentials("alice", "wrong"))).isEmpty();
        assertThat(logins.check(credentials("nobody", "wrong"))).isEmpty();
        assertThat(hasher.comparisons() - before).as("both failures remembered alike").isEqualTo(3);
        assertThat(logins.check(credentials("alice", "pw-1"))).contains("account:alice");
        assertThat(logins.check(credentials("alice", "other"))).isEmpty();
        assertThat(hasher.comparisons() - before).as("another password is checked").isEqualTo(5);

        store("nobody", hasher.hash("wrong")); // created meanwhile, say by another process
        assertThat(logins.check(credentials("nobody", "wrong"))).as("a remembered failure ends with the account's creation")
                .contains("account:nobody");
    }

    @Test
    void hashesMadeByKintoVerify() {
        // transcript 05: alice / alice-pw-1 as stored by Kinto 26.3.1 (Python bcrypt, cost 12)
        store("alice", "$2b$12$/Yt3sM5m.GoRcytA2WGVueoU4YTW9EP1UolKL8Z7MnO2HP3L3zkrS");
        AccountLogins logins = logins(0);
        assertThat(logins.check(credentials("alice", "alice-pw-1"))).contains("account:alice");
        assertThat(hasher.hash("x")).startsWith("$2b$04$");
        assertThat(new PasswordHasher(12).hash("x")).startsWith("$2b$12$");
    }
}
