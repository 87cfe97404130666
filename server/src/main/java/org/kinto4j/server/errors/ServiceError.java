package org.kinto4j.server.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Why the resource engine, storage or the event system refused or could not do what was asked,
 * in their own terms: a {@link Kind}, a message, the details a client can act on, and hints
 * (when to retry, the version the object has now). Nothing here knows about status codes: the
 * HTTP edge chooses Kinto's status, errno and error text for each kind, once.
 */
public final class ServiceError extends RuntimeException {

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** The input is malformed or breaks a rule; {@code details} says where. */
        INVALID,
        /** Who is asking is unknown and the operation needs to know. */
        UNAUTHENTICATED,
        /** The caller is known and may not do this. */
        FORBIDDEN,
        /** The object addressed does not exist ({@code details}: id and resource name). */
        OBJECT_NOT_FOUND,
        /** The bucket or collection the object would live in does not exist. */
        PARENT_NOT_FOUND,
        /** The object changed since the version the caller based its write on. */
        MODIFIED_MEANWHILE,
        /** A concurrent write or a uniqueness rule got in the way; retrying may succeed. */
        CONFLICT,
        /** Storage cannot be reached or is too busy; retrying later may succeed. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final JsonNode details;
    private Integer retryAfterSeconds;
    private Long currentVersion;

    private ServiceError(Kind kind, String message, JsonNode details) {
        super(message, null, false, false);
        this.kind = kind;
        this.details = details;
    }

    public Kind kind() {
        return kind;
    }

    /** What a client can act on (Kinto's {@code details}), or null. */
    public JsonNode details() {
        return details;
    }

    /** When the caller may retry, in seconds, when this error says so itself; else null (the server's default). */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** For {@link Kind#MODIFIED_MEANWHILE}: the timestamp the object (or list) has now, when known; else null. */
    public Long currentVersion() {
        return currentVersion;
    }

    public ServiceError atVersion(long timestamp) {
        this.currentVersion = timestamp;
        return this;
    }

    public ServiceError retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    // ---- the errors Kinto's protocol has -----------------------------------------------------

    /**
     * Invalid input with one detail: where ({@code body}, {@code querystring}, {@code header},
     * {@code path}), which field (or null) and what is wrong. The message follows Kinto's rule.
     */
    public static ServiceError invalid(String location, String name, String description) {
        ArrayNode details = JsonNodeFactory.instance.arrayNode();
        ObjectNode d = details.addObject();
        d.put("location", location);
        if (name == null) {
            d.putNull("name");
        } else {
            d.put("name", name);
        }
        d.put("description", description);
        String message;
        if (name == null) {
            message = location + ": " + description;
        } else if (description.contains(name)) {
            message = description;
        } else {
            message = name + " in " + location + ": " + description;
        }
        return new ServiceError(Kind.INVALID, message, details);
    }

    /** A body that is not JSON: Kinto reports the parse error and, the body being then missing, "Required". */
    public static ServiceError invalidJson(String description) {
        ArrayNode details = JsonNodeFactory.instance.arrayNode();
        ObjectNode d = details.addObject();
        d.put("location", "body");
        d.put("name", "");
        d.put("description", description);
        ObjectNode required = details.addObject();
        required.put("location", "body");
        required.put("name", "");
        required.put("description", "Required");
        return new ServiceError(Kind.INVALID, description, details);
    }

    /** Invalid input with the details and message already composed (schema validation). */
    public static ServiceError invalid(String message, JsonNode details) {
        return new ServiceError(Kind.INVALID, message, details);
    }

    public static ServiceError unauthenticated() {
        return new ServiceError(Kind.UNAUTHENTICATED, "Please authenticate yourself to use this endpoint.", null);
    }

    public static ServiceError forbidden() {
        return new ServiceError(Kind.FORBIDDEN, "This user cannot access this resource.", null);
    }

    public static ServiceError objectNotFound(String id, String resourceName) {
        ObjectNode details = object();
        details.put("id", id);
        details.put("resource_name", resourceName);
        return new ServiceError(Kind.OBJECT_NOT_FOUND, null, details);
    }

    public static ServiceError parentNotFound(String id, String resourceName) {
        ObjectNode details = object();
        details.put("id", id);
        details.put("resource_name", resourceName);
        return new ServiceError(Kind.PARENT_NOT_FOUND, null, details);
    }

    /** {@code existing}: the object as it is now, or null when it does not exist. */
    public static ServiceError modifiedMeanwhile(JsonNode existing) {
        ObjectNode details = null;
        if (existing != null) {
            details = object();
            details.set("existing", existing);
        }
        return new ServiceError(Kind.MODIFIED_MEANWHILE, "Resource was modified meanwhile", details);
    }

    /** {@code message} null: Kinto's generic text. */
    public static ServiceError conflict(String message) {
        return new ServiceError(Kind.CONFLICT,
                message == null ? "Integrity constraint violated, please retry." : message, null);
    }

    public static ServiceError unavailable(String message) {
        return new ServiceError(Kind.UNAVAILABLE, message, null);
    }
}
