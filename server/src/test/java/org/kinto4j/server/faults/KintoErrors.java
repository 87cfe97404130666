package org.kinto4j.server.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.kinto4j.server.json.Json;

/** Checks that an error response has Kinto's error body (https://docs.kinto-storage.org/en/stable/api/1.x/errors.html). */
final class KintoErrors {

    /** errno values of upstream Kinto's kinto/core/errors.py. */
    static final Set<Integer> ERRNOS = Set.of(104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117,
            121, 122, 201, 202, 999);

    private KintoErrors() {
    }

    /** Null when {@code status}/{@code contentType}/{@code body} form a Kinto error, else what is wrong. */
    static String problem(int status, String contentType, byte[] body) {
        if (status < 400) {
            return null;
        }
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return "Content-Type is " + contentType + ", not application/json";
        }
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (Exception e) {
            return "body is not JSON: " + e.getMessage();
        }
        if (!json.isObject()) {
            return "body is not a JSON object";
        }
        if (!json.path("code").isInt() || json.get("code").intValue() != status) {
            return "code is " + json.get("code") + " for status " + status;
        }
        if (!json.path("errno").isInt() || !ERRNOS.contains(json.get("errno").intValue())) {
            return "errno is " + json.get("errno");
        }
        if (!json.path("error").isTextual() || json.get("error").textValue().isEmpty()) {
            return "error is " + json.get("error");
        }
        boolean hasMessage = json.has("message");
        if (hasMessage && !json.get("message").isTextual()) {
            return "message is not a string: " + json.get("message");
        }
        if (!hasMessage && !json.has("details")) {
            return "neither message nor details";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                return "key '" + e.getKey() + "' is null (Kinto omits keys with no value)";
            }
        }
        if (json.get("errno").intValue() == 107) {
            JsonNode details = json.get("details");
            if (details != null) {
                if (!details.isArray()) {
                    return "errno 107 details is not a list";
                }
                for (JsonNode d : details) {
                    if (!d.path("location").isTextual() || !d.has("name") || !d.path("description").isTextual()) {
                        return "errno 107 detail without location/name/description: " + d;
                    }
                }
            }
        }
        return null;
    }

    static String describe(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
}
