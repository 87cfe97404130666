package org.kinto4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.http.HttpServer;
import org.kinto4j.server.http.MetricsEndpoint;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.metrics.PrometheusMetrics;
import org.kinto4j.server.resource.HelloView;
import org.kinto4j.server.storage.Database;

/** Part of the composition root: {@code includes = [prometheus]} turns the metrics on. */
final class MetricsSetup {

    private MetricsSetup() {
    }

    /** The metrics, or null when the plugin is not included. */
    static PrometheusMetrics wire(ServerSettings settings, Database database, ListenerRegistry listeners,
            HelloView hello, HttpServer http) {
        if (!settings.includes().contains("prometheus")) {
            return null;
        }
        PrometheusMetrics metrics = new PrometheusMetrics(settings.prometheus(), database, listeners);
        http.withMetrics(new MetricsEndpoint(metrics));
        ObjectNode capability = Json.object();
        capability.put("description", "Prometheus metrics.");
        capability.put("url", "https://github.com/Kinto/kinto/");
        capability.put("prefix", settings.prometheus().prefix());
        com.fasterxml.jackson.databind.node.ArrayNode disabled = capability.putArray("disabled_metrics");
        settings.prometheus().disabledMetrics().stream().sorted().forEach(disabled::add);
        hello.addCapability("prometheus", capability);
        return metrics;
    }
}
