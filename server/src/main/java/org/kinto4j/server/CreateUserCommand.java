package org.kinto4j.server;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.kinto4j.server.auth.AccountStore;
import org.kinto4j.server.auth.PasswordHasher;
import org.kinto4j.server.config.ConfigError;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Migrations;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;

/**
 * {@code create-user --username U --password P}, like {@code kinto create-user}: writes the
 * account (bcrypt hash) with {@code write} for {@code account:U} straight into the configured
 * database, creating the schema first if needed. Exit status as Kinto's: 51 on a readonly
 * server, 52 without the accounts plugin, 53 when aborted at the prompt; 2 for bad usage or
 * configuration, 1 when the database cannot be written (an H2 file a running server holds).
 */
final class CreateUserCommand {

    static final Set<String> OPTIONS = Set.of("--username", "--password");

    private final PrintStream out;
    private final PrintStream err;
    private final Console console;

    CreateUserCommand(PrintStream out, PrintStream err, Console console) {
        this.out = out;
        this.err = err;
        this.console = console;
    }

    int run(Path config, Map<String, String> env, String username, String password) {
        ServerSettings settings;
        try {
            settings = new ConfigLoader(env).load(config);
        } catch (ConfigError e) {
            err.println("Configuration error: " + e.getMessage());
            return 2;
        }
        if (settings.readonly()) {
            err.println("Cannot create a user with a readonly server (readonly = true).");
            return 51;
        }
        if (!settings.includes().contains("accounts")) {
            err.println("Cannot create a user when the accounts plugin is not included: add includes = [accounts] to "
                    + (config == null ? "the configuration" : config) + ".");
            return 52;
        }
        if (username == null) {
            username = console == null ? null : console.readLine("Username: ");
        }
        if (username == null) {
            err.println("User creation aborted: give --username (no terminal to ask on).");
            return 53;
        }
        if (!AccountStore.validId(username)) {
            err.println("'" + username + "' is not a valid username: it must match " + AccountStore.ID.pattern() + ".");
            return 2;
        }
        if (password == null) {
            password = askPassword(username);
            if (password == null) {
                err.println("User creation aborted: give --password, or run it on a terminal to be asked.");
                return 53;
            }
        }
        if (password.isEmpty() || PasswordHasher.tooLong(password)) {
            err.println("The password must be 1 to " + PasswordHasher.MAX_BYTES + " bytes long (UTF-8).");
            return 2;
        }
        return write(settings, username, password);
    }

    private String askPassword(String username) {
        while (console != null) {
            char[] first = console.readPassword("Please enter a password for %s: ", username);
            char[] again = first == null ? null : console.readPassword("Please confirm the password: ");
            if (first == null || again == null) {
                return null;
            }
            if (java.util.Arrays.equals(first, again)) {
                return new String(first);
            }
            out.println("Sorry, passwords do not match, please try again.");
        }
        return null;
    }

    private int write(ServerSettings settings, String username, String password) {
        out.println("Creating user '" + username + "'");
        String hash = new PasswordHasher(settings.accountBcryptCost()).hash(password);
        try (Database db = new Database(settings.storage())) {
            new Migrations(db.jdbi(), db.dialect()).migrate();
            AccountStore accounts = new AccountStore(new ObjectStore(System::currentTimeMillis),
                    new PermissionStore(false));
            try (Tx tx = new Transactions(db).begin()) {
                accounts.upsert(tx, username, hash);
                tx.commit();
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("Could not write the account to " + Server.maskUrl(settings.storage().url()) + ": " + e.getMessage()
                    + (settings.storage().isPostgres() ? "" : " (an H2 file database can be used by one process at "
                    + "a time: stop the server first, or use PostgreSQL)"));
            return 1;
        }
    }
}
