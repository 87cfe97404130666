package org.kinto4j.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.metrics.PrometheusMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/__metrics__} (Kinto's prometheus plugin: no authentication, Prometheus text)
 * and the recording of every request's endpoint, method, status and duration.
 */
public final class MetricsEndpoint {

    static final String PATH = "/v1/__metrics__";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final PrometheusMetrics metrics;

    public MetricsEndpoint(PrometheusMetrics metrics) {
        this.metrics = metrics;
    }

    boolean handles(String rawPath) {
        return rawPath.equals(PATH);
    }

    /** Answers the scrape; returns the status. A failing scrape is a 503, never a 500. */
    int serve(Context ctx, String method, String csp) {
        ctx.header("Content-Security-Policy", csp);
        ctx.header("X-Content-Type-Options", "nosniff");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(ctx, KintoException.methodNotAllowed("GET, HEAD"));
        }
        String text;
        try {
            text = metrics.scrape();
        } catch (RuntimeException e) {
            LOG.warn("Metrics scrape failed: {}", e.toString());
            return error(ctx, KintoException.backend("Metrics are unavailable: " + e.getMessage()));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ctx.status(200).header("Content-Type", PrometheusMetrics.CONTENT_TYPE);
        if (method.equals("HEAD")) {
            ctx.header("Content-Length", Integer.toString(bytes.length));
        } else {
            ctx.result(bytes);
        }
        return 200;
    }

    private static int error(Context ctx, KintoException e) {
        ApiResponse r = ApiResponse.of(e);
        ctx.status(r.status());
        r.headers().forEach(ctx::header);
        ctx.header("Content-Type", "application/json");
        ctx.result(Json.writeBytes(r.body()));
        return r.status();
    }

    void record(String method, String rawPath, int status, long nanos) {
        metrics.request(EndpointNames.of(rawPath), method, status, nanos);
    }
}
