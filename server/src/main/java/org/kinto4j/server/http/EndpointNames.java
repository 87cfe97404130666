package org.kinto4j.server.http;

/**
 * The {@code endpoint} label of request metrics: Kinto's service names ({@code bucket-object},
 * {@code record-plural}, {@code history-plural}, {@code history_snapshot}, {@code hello},
 * {@code batch}, ...), never the raw path, so that the series stay few; {@code unknown} for
 * paths nothing serves.
 */
final class EndpointNames {

    static final String METRICS = "prometheus_metrics";

    private EndpointNames() {
    }

    static String of(String rawPath) {
        if (rawPath.equals(MetricsEndpoint.PATH)) {
            return METRICS;
        }
        Route route;
        try {
            String path = UrlCodec.decodePath(rawPath);
            route = path.startsWith("/v1/") ? Route.match(path) : null;
        } catch (RuntimeException e) {
            route = null;
        }
        if (route instanceof Route.Resource r) {
            return r.target().kind().resourceName() + (r.target().plural() ? "-plural" : "-object");
        }
        if (route instanceof Route.BucketList list) {
            return list.name() + "-plural";
        }
        if (route instanceof Route.Snapshot) {
            return "history_snapshot";
        }
        if (route instanceof Route.Hello) {
            return "hello";
        }
        if (route instanceof Route.Heartbeat) {
            return "heartbeat";
        }
        if (route instanceof Route.LbHeartbeat) {
            return "lbheartbeat";
        }
        if (route instanceof Route.Batch) {
            return "batch";
        }
        if (route instanceof Route.Permissions) {
            return "permissions";
        }
        if (route instanceof Route.Listeners) {
            return "listeners";
        }
        return "unknown";
    }
}
