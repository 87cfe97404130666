package org.kinto4j.server.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code includes} (Kinto's {@code kinto.includes}, short names) and {@code multiauth.policies}
 * with the start-up checks Kinto makes on them.
 */
final class PluginSettings {

    private PluginSettings() {
    }

    static Set<String> includes(ConfigReader r) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : r.list("includes")) {
            if (!ServerSettings.INCLUDABLE.contains(name)) {
                throw new ConfigError("Invalid value for 'includes' in " + r.origin("includes") + ": \"" + name
                        + "\" is not a plugin kinto4j knows. Valid names: " + String.join(", ", ServerSettings.INCLUDABLE)
                        + " (short names: includes = [accounts, flush], not kinto.plugins.accounts).");
            }
            out.add(name);
        }
        return Set.copyOf(out);
    }

    /**
     * The policies in order. Empty means the default: {@code [basicauth]}, or {@code [account]}
     * when {@code accounts} is included (what {@code kinto init} writes).
     */
    static List<String> policies(ConfigReader r, Set<String> includes, Map<String, Set<String>> principals) {
        List<String> configured = r.list("multiauth.policies");
        boolean accounts = includes.contains("accounts");
        if (configured.isEmpty()) {
            configured = accounts ? List.of("account") : List.of("basicauth");
        }
        List<String> out = new ArrayList<>();
        for (String name : configured) {
            if (!ServerSettings.POLICIES.contains(name)) {
                throw new ConfigError("Invalid value for 'multiauth.policies' in " + r.origin("multiauth.policies")
                        + ": \"" + name + "\" is not an authentication policy. Valid names, in the order they are tried: "
                        + String.join(", ", ServerSettings.POLICIES) + ".");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        if (out.contains("account") && !accounts) {
            throw new ConfigError("Invalid value for 'multiauth.policies' in " + r.origin("multiauth.policies")
                    + ": the account policy needs the accounts plugin. Add includes = [accounts].");
        }
        if (accounts && !out.contains("account")) {
            throw new ConfigError("Invalid value for 'multiauth.policies' in " + r.origin("multiauth.policies")
                    + ": includes lists accounts but the policies do not list account. Use multiauth.policies = "
                    + "[account] or [account, basicauth].");
        }
        if (out.contains("account") && out.indexOf("basicauth") >= 0 && out.indexOf("basicauth") < out.indexOf("account")) {
            throw new ConfigError("Invalid value for 'multiauth.policies' in " + r.origin("multiauth.policies")
                    + ": 'basicauth' should not be mentioned before 'account' (basicauth accepts any password, so "
                    + "accounts would never be checked). Use [account, basicauth].");
        }
        if (accounts) {
            // Kinto: a creator who is not an administrator could only create their own account.
            Set<String> creators = new TreeSet<>(principals.getOrDefault("account_create_principals", Set.of()));
            creators.removeAll(principals.getOrDefault("account_write_principals", Set.of()));
            creators.remove("system.Everyone");
            if (!creators.isEmpty()) {
                throw new ConfigError("Invalid value for 'account_create_principals' in " + r.origin("account_create_principals")
                        + ": " + creators + " may create accounts but are not in account_write_principals, so they could "
                        + "only create their own account. Add them to account_write_principals, or use system.Everyone "
                        + "for open sign-up.");
            }
        }
        return List.copyOf(out);
    }
}
