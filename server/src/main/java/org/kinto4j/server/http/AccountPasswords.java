package org.kinto4j.server.http;

import org.kinto4j.server.auth.AccountLogins;
import org.kinto4j.server.auth.PasswordHasher;

/** How the accounts endpoint hashes new passwords, and the remembered logins it ends when one changes. */
public record AccountPasswords(PasswordHasher hasher, AccountLogins logins) {
}
