package org.kinto4j.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every server setting, typed and immutable, built once at boot by {@link ConfigLoader}. */
public record ServerSettings(
        Http http,
        Storage storage,
        String useridHmacSecret,
        String defaultBucketHmacSecret,
        Map<String, Set<String>> principalSettings,
        boolean explicitPermissions,
        int paginateBy,
        int storageMaxFetchSize,
        int paginationTokenValiditySeconds,
        int batchMaxRequests,
        boolean readonly,
        boolean schemaValidation,
        boolean permissionsEndpoint,
        String projectName,
        String projectVersion,
        String projectDocs,
        String errorInfoLink,
        int backoff,
        int backoffPercentage,
        int retryAfterSeconds,
        List<String> corsOrigins,
        int corsMaxAgeSeconds,
        boolean trailingSlashRedirect,
        boolean versionPrefixRedirect,
        Set<String> adminPrincipals,
        Path pluginsDir,
        List<ListenerConfig> listeners,
        Durable durable,
        Set<String> includes,
        List<String> multiauthPolicies,
        int accountCacheTtlSeconds,
        int accountBcryptCost,
        Changes changes,
        PrometheusSettings prometheus,
        String source) {

    /** The short plugin names {@code includes} accepts (Kinto's {@code kinto.includes}). */
    public static final List<String> INCLUDABLE = List.of("accounts", "history", "flush", "prometheus");
    /** The authentication policy names {@code multiauth.policies} accepts. */
    public static final List<String> POLICIES = List.of("account", "basicauth");

    public record Http(String host, int port, long maxBodySize, int maxThreads, String scheme, String publicHost) {
    }

    /** {@code indexes}: the entries of {@code storage.indexes} ("bucket/collection:field"), validated. */
    public record Storage(String url, String user, String password, int poolSize, Duration connectionTimeout,
            List<String> indexes) {

        public Storage(String url, String user, String password, int poolSize, Duration connectionTimeout) {
            this(url, user, password, poolSize, connectionTimeout, List.of());
        }

        public boolean isPostgres() {
            return isPostgres(url);
        }

        /** Whether {@code url} names a PostgreSQL database (else the embedded H2). */
        public static boolean isPostgres(String url) {
            return url.startsWith("jdbc:postgresql:");
        }
    }

    /**
     * Durable delivery ({@code durable.*}). {@code linger}: how long a dispatcher woken by a commit
     * waits before it reads, so that one round takes the events of the commits meanwhile.
     */
    public record Durable(Duration pollInterval, int batchSize, Duration claimTimeout, Duration keepDelivered,
            Duration linger) {
    }

    /** The live change feed ({@code changes.*}). */
    public record Changes(boolean enabled, Duration heartbeatInterval, long maxPendingBytes,
            Duration slowClientTimeout) {
    }

    /** The principals of a {@code <resource>_<perm>_principals} setting; empty when unset. */
    public Set<String> principals(String settingName) {
        return principalSettings.getOrDefault(settingName, Set.of());
    }
}
