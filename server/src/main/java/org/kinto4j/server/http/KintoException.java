package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;

/**
 * An error answered in Kinto's format: {@code {code, errno, error, message?, details?}}.
 * Thrown anywhere below the HTTP layer; the transaction is rolled back unless the error happens
 * inside a batch sub-request with a 4xx status (Kinto's batch semantics).
 */
public class KintoException extends RuntimeException {

    public static final int MISSING_AUTH_TOKEN = 104;
    public static final int INVALID_PARAMETERS = 107;
    public static final int INVALID_RESOURCE_ID = 110;
    public static final int MISSING_RESOURCE = 111;
    public static final int MISSING_CONTENT_LENGTH = 112;
    public static final int REQUEST_TOO_LARGE = 113;
    public static final int MODIFIED_MEANWHILE = 114;
    public static final int METHOD_NOT_ALLOWED = 115;
    public static final int VERSION_NOT_AVAILABLE = 116;
    public static final int FORBIDDEN = 121;
    public static final int CONSTRAINT_VIOLATED = 122;
    public static final int BACKEND = 201;
    public static final int SERVICE_DEPRECATED = 202;
    public static final int UNDEFINED = 999;

    private final int status;
    private final int errno;
    private final String error;
    private final JsonNode details;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public KintoException(int status, int errno, String error, String message, JsonNode details) {
        super(message, null, false, false);
        this.status = status;
        this.errno = errno;
        this.error = error;
        this.details = details;
    }

    public int status() {
        return status;
    }

    public int errno() {
        return errno;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public KintoException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ObjectNode body() {
        ObjectNode body = Json.object();
        body.put("code", status);
        body.put("errno", errno);
        body.put("error", error);
        if (getMessage() != null) {
            body.put("message", getMessage());
        }
        if (details != null) {
            body.set("details", details);
        }
        return body;
    }

    // ---- factories for the errors Kinto produces -------------------------------------------

    /** A 400 validation error with one detail; the message follows Kinto's composition rule. */
    public static KintoException invalid(String location, String name, String description) {
        return invalidWithStatus(400, location, name, description);
    }

    public static KintoException invalidWithStatus(int status, String location, String name, String description) {
        ServiceError e = ServiceError.invalid(location, name, description);
        return new KintoException(status, INVALID_PARAMETERS, "Invalid parameters", e.getMessage(), e.details());
    }

    /** Malformed JSON: Kinto reports the parse error and, since the body is then missing, "Required". */
    public static KintoException invalidJson(String description) {
        ServiceError e = ServiceError.invalidJson(description);
        return new KintoException(400, INVALID_PARAMETERS, "Invalid parameters", e.getMessage(), e.details());
    }

    public static KintoException unauthorized() {
        return new KintoException(401, MISSING_AUTH_TOKEN, "Unauthorized",
                "Please authenticate yourself to use this endpoint.", null)
                .withHeader("WWW-Authenticate", "Basic realm=\"Realm\"");
    }

    public static KintoException forbidden() {
        return new KintoException(403, FORBIDDEN, "Forbidden", "This user cannot access this resource.", null);
    }

    public static KintoException objectNotFound(String id, String resourceName) {
        ObjectNode details = Json.object();
        details.put("id", id);
        details.put("resource_name", resourceName);
        return new KintoException(404, INVALID_RESOURCE_ID, "Not Found", null, details);
    }

    public static KintoException parentNotFound(String id, String resourceName) {
        ObjectNode details = Json.object();
        details.put("id", id);
        details.put("resource_name", resourceName);
        return new KintoException(404, MISSING_RESOURCE, "Not Found", null, details);
    }

    public static KintoException unknownUrl() {
        return new KintoException(404, MISSING_RESOURCE, "Not Found",
                "The resource you are looking for could not be found.", null);
    }

    public static KintoException versionNotAvailable() {
        return new KintoException(404, VERSION_NOT_AVAILABLE, "Not Found",
                "The requested API version is not available on this server.", null);
    }

    public static KintoException methodNotAllowed(String allow) {
        KintoException e = new KintoException(405, METHOD_NOT_ALLOWED, "Method Not Allowed",
                "Method not allowed on this endpoint.", null);
        if (allow != null) {
            e.withHeader("Allow", allow);
        }
        return e;
    }

    public static KintoException preconditionFailed(JsonNode existing) {
        ObjectNode details = null;
        if (existing != null) {
            details = Json.object();
            details.set("existing", existing);
        }
        return new KintoException(412, MODIFIED_MEANWHILE, "Precondition Failed",
                "Resource was modified meanwhile", details);
    }

    public static KintoException tooLarge(long limit) {
        return new KintoException(413, REQUEST_TOO_LARGE, "Request Entity Too Large",
                "Request body is larger than the server's limit of " + limit
                        + " bytes (setting http.max_body_size).", null);
    }

    public static KintoException conflict(String message) {
        return new KintoException(409, CONSTRAINT_VIOLATED, "Conflict",
                message == null ? "Integrity constraint violated, please retry." : message, null);
    }

    public static KintoException backend(String message) {
        return new KintoException(503, BACKEND, "Service Unavailable", message, null);
    }

    public static KintoException internal(String infoLink) {
        KintoException e = new KintoException(500, UNDEFINED, "Internal Server Error",
                "A programmatic error occurred, developers have been informed.", null) {
            @Override
            public ObjectNode body() {
                ObjectNode b = super.body();
                b.put("info", infoLink);
                return b;
            }
        };
        return e;
    }
}
