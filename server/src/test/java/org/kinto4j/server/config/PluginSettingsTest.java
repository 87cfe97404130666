package org.kinto4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code includes}, {@code multiauth.policies} and the account settings: Kinto's names and start-up checks. */
class PluginSettingsTest {

    @TempDir
    Path dir;

    private ServerSettings load(String content) throws IOException {
        Path f = dir.resolve("server.conf");
        Files.writeString(f, content);
        return new ConfigLoader(Map.of()).load(f);
    }

    @Test
    void defaultsAreNoPluginsAndBasicauth() {
        ServerSettings s = new ConfigLoader(Map.of()).load(null);
        assertThat(s.includes()).isEmpty();
        assertThat(s.multiauthPolicies()).containsExactly("basicauth");
        assertThat(s.accountCacheTtlSeconds()).isEqualTo(30);
        assertThat(s.accountBcryptCost()).isEqualTo(12);
        assertThat(s.principals("account_create_principals")).isEmpty();
    }

    @Test
    void includingAccountsDefaultsToTheAccountPolicyAsKintoInit() throws IOException {
        ServerSettings s = load("includes = [accounts, flush]\n");
        assertThat(s.includes()).containsExactlyInAnyOrder("accounts", "flush");
        assertThat(s.multiauthPolicies()).containsExactly("account");
        ServerSettings both = load("includes = \"accounts history\"\nmultiauth.policies = \"account basicauth\"\n"
                + "account_create_principals = [system.Everyone]\naccount_write_principals = [\"account:admin\"]\n"
                + "account_read_principals = [\"account:admin\"]\naccount_cache_ttl_seconds = 5\n");
        assertThat(both.multiauthPolicies()).containsExactly("account", "basicauth");
        assertThat(both.principals("account_write_principals")).containsExactly("account:admin");
        assertThat(both.principals("account_read_principals")).containsExactly("account:admin");
        assertThat(both.accountCacheTtlSeconds()).isEqualTo(5);
    }

    @Test
    void environmentSetsThemToo() {
        ServerSettings s = new ConfigLoader(Map.of("KINTO_INCLUDES", "accounts", "KINTO_MULTIAUTH_POLICIES",
                "account basicauth")).load(null);
        assertThat(s.multiauthPolicies()).containsExactly("account", "basicauth");
    }

    @Test
    void unknownPluginNameListsTheValidOnes() {
        assertThatThrownBy(() -> load("\nincludes = [accounts, kinto.plugins.history]\n"))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("'includes'").hasMessageContaining("server.conf: 2")
                .hasMessageContaining("\"kinto.plugins.history\"")
                .hasMessageContaining("accounts, history, flush, prometheus");
    }

    @Test
    void policiesAreCheckedAsKintoDoes() {
        assertThatThrownBy(() -> load("includes = [accounts]\nmultiauth.policies = [basicauth, account]\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("'basicauth' should not be mentioned before 'account'");
        assertThatThrownBy(() -> load("multiauth.policies = [account]\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("includes = [accounts]");
        assertThatThrownBy(() -> load("includes = [accounts]\nmultiauth.policies = [basicauth]\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("policies do not list account");
        assertThatThrownBy(() -> load("multiauth.policies = [ldap]\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("\"ldap\"").hasMessageContaining("account, basicauth");
        assertThatThrownBy(() -> load("includes = [accounts]\naccount_create_principals = [system.Authenticated]\n"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("account_write_principals");
    }
}
