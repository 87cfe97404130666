package org.kinto4j.server;

import org.kinto4j.server.auth.AccountLogins;
import org.kinto4j.server.auth.AccountStore;
import org.kinto4j.server.auth.Authenticator;
import org.kinto4j.server.auth.BasicAuth;
import org.kinto4j.server.auth.PasswordHasher;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.http.AccountPasswords;
import org.kinto4j.server.http.AccountsEndpoint;
import org.kinto4j.server.http.FlushEndpoint;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.StorageFlush;
import org.kinto4j.server.storage.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the composition root that {@code includes} and {@code multiauth.policies} decide:
 * the authentication policies in order, the accounts endpoint and the flush endpoint (null when
 * not included). Built by {@link Server} only.
 */
record IncludedPlugins(Authenticator authenticator, AccountsEndpoint accounts, FlushEndpoint flush) {

    private static final Logger LOG = LoggerFactory.getLogger(IncludedPlugins.class);

    static IncludedPlugins create(ServerSettings settings, Transactions transactions, ObjectStore objects,
            PermissionStore permissions, Authorizer authorizer) {
        AccountStore store = new AccountStore(objects, permissions);
        AccountLogins logins = null;
        PasswordHasher hasher = null;
        if (settings.includes().contains("accounts")) {
            hasher = new PasswordHasher(settings.accountBcryptCost());
            logins = new AccountLogins(transactions, store, hasher, settings.accountCacheTtlSeconds(), System::nanoTime);
        }
        Authenticator authenticator = new Authenticator(settings.multiauthPolicies(),
                new BasicAuth(settings.useridHmacSecret()), logins);
        LOG.info("Authentication policies, in order: {}", String.join(", ", settings.multiauthPolicies()));
        AccountsEndpoint accounts = logins == null ? null : new AccountsEndpoint(store, authorizer, settings,
                System::currentTimeMillis, new AccountPasswords(hasher, logins));
        FlushEndpoint flush = null;
        if (settings.includes().contains("flush")) {
            flush = new FlushEndpoint(new StorageFlush(permissions), logins);
            LOG.warn("*** The flush endpoint is ON (includes = [flush]): POST /v1/__flush__ lets ANYONE, anonymous "
                    + "users included, delete every bucket, collection, group, record, account and permission. "
                    + "Use it in test setups only. ***");
        }
        return new IncludedPlugins(authenticator, accounts, flush);
    }
}
