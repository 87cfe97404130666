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
        PrometheusSettings prometheus,
        String source) {

    public record Http(String host, int port, long maxBodySize, int maxThreads, String scheme, String publicHost) {
    }

    public record Storage(String url, String user, String password, int poolSize, Duration connectionTimeout) {

        public boolean isPostgres() {
            return url.startsWith("jdbc:postgresql:");
        }
    }

    public record Durable(Duration pollInterval, int batchSize, Duration claimTimeout, Duration keepDelivered) {
    }

    /** The principals of a {@code <resource>_<perm>_principals} setting; empty when unset. */
    public Set<String> principals(String settingName) {
        return principalSettings.getOrDefault(settingName, Set.of());
    }
}
