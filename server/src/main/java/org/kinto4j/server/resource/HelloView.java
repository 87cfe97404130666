package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.auth.DefaultBucketIds;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;

/** {@code GET /v1/}: server information, capabilities and, when authenticated, the user (https://docs.kinto-storage.org/en/stable/api/1.x/utilities.html). */
public final class HelloView {

    public static final String HTTP_API_VERSION = "1.23";

    private final ServerSettings settings;
    private final DefaultBucketIds defaultBuckets;
    private final String version;
    private final ObjectNode capabilities;

    public HelloView(ServerSettings settings, DefaultBucketIds defaultBuckets, String version, int listenerCount) {
        this.settings = settings;
        this.defaultBuckets = defaultBuckets;
        this.version = settings.projectVersion().isEmpty() ? version : settings.projectVersion();
        this.capabilities = capabilities(settings, listenerCount);
    }

    private static ObjectNode capabilities(ServerSettings settings, int listenerCount) {
        ObjectNode c = Json.object();
        if (settings.multiauthPolicies().contains("basicauth")) {
            ObjectNode basic = c.putObject("basicauth");
            basic.put("description", "Very basic authentication sessions. Not for production use.");
            basic.put("url", "http://kinto.readthedocs.io/en/stable/api/1.x/authentication.html");
        }
        ObjectNode def = c.putObject("default_bucket");
        def.put("description", "The default bucket is an alias for a personal bucket where collections are created implicitly.");
        def.put("url", "https://kinto.readthedocs.io/en/latest/api/1.x/buckets.html#personal-bucket-default");
        if (settings.includes().contains("accounts")) {
            ObjectNode accounts = c.putObject("accounts");
            accounts.put("description", "Manage user accounts.");
            accounts.put("url", "https://kinto.readthedocs.io/en/latest/api/1.x/accounts.html");
            accounts.put("validation_enabled", false);
        }
        if (settings.includes().contains("flush")) {
            ObjectNode flush = c.putObject("flush_endpoint");
            flush.put("description", "The __flush__ endpoint can be used to remove all data from all backends.");
            flush.put("url", "https://kinto.readthedocs.io/en/latest/api/1.x/flush.html");
        }
        if (settings.schemaValidation()) {
            ObjectNode schema = c.putObject("schema");
            schema.put("description", "Validates collection records with JSON schemas.");
            schema.put("url", "https://kinto.readthedocs.io/en/latest/api/1.x/collections.html#collection-json-schema");
        }
        if (settings.permissionsEndpoint()) {
            ObjectNode p = c.putObject("permissions_endpoint");
            p.put("description", "The permissions endpoint can be used to list all user objects permissions.");
            p.put("url", "https://kinto.readthedocs.io/en/latest/configuration/settings.html#activating-the-permissions-endpoint");
        }
        ObjectNode listeners = c.putObject("event_listeners");
        listeners.put("description", "kinto4j event listeners: plugins notified of every change, in the transaction, "
                + "after commit, or durably through an outbox.");
        listeners.put("url", "https://github.com/kinto4j/kinto4j#event-listeners");
        listeners.put("instances", listenerCount);
        return c;
    }

    /** Announces a capability of an included plugin or listener (Kinto's {@code add_api_capability}). */
    public void addCapability(String name, com.fasterxml.jackson.databind.JsonNode info) {
        capabilities.set(name, info);
    }

    public ObjectNode render(String baseUrl, Caller caller) {
        ObjectNode body = Json.object();
        body.put("project_name", settings.projectName());
        body.put("project_version", version);
        body.put("http_api_version", HTTP_API_VERSION);
        body.put("project_docs", settings.projectDocs());
        body.put("url", baseUrl + "/v1/");
        ObjectNode s = body.putObject("settings");
        s.put("batch_max_requests", settings.batchMaxRequests());
        s.put("readonly", settings.readonly());
        s.put("explicit_permissions", settings.explicitPermissions());
        if (!caller.isAnonymous()) {
            ObjectNode user = body.putObject("user");
            user.put("id", caller.userId());
            ArrayNode principals = user.putArray("principals");
            caller.principals().forEach(principals::add);
            user.put("bucket", defaultBuckets.bucketId(caller.userId()));
        }
        body.set("capabilities", capabilities);
        return body;
    }
}
