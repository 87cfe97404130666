package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.kinto4j.server.json.Json;

/**
 * The checks Kinto (through Cornice) makes on a CORS preflight before answering it: an
 * {@code Origin} and an {@code Access-Control-Request-Method} are mandatory, and the method must
 * be one the endpoint supports. Failures are a 400 with errno 107, one detail per header sorted
 * by header name, the message from the first.
 */
final class CorsPreflight {

    private CorsPreflight() {
    }

    /** Throws the 400 when the preflight is invalid; {@code allowed} is the endpoint's method list ("GET, POST, ..."). */
    static void validate(ApiRequest req, String allowed) {
        Map<String, String> errors = new TreeMap<>();
        String origin = req.header("Origin");
        String method = req.header("Access-Control-Request-Method");
        if (origin == null || origin.isEmpty()) {
            errors.put("Origin", "this header is mandatory");
        }
        if (method == null || method.isEmpty()) {
            errors.put("Access-Control-Request-Method", "this header is mandatory");
        }
        if (errors.isEmpty() && Arrays.stream(allowed.split(",")).map(String::trim).noneMatch(method::equals)) {
            errors.put("Access-Control-Request-Method", "Method not allowed");
        }
        if (errors.isEmpty()) {
            return;
        }
        ArrayNode details = Json.array();
        errors.forEach((header, description) -> {
            ObjectNode d = details.addObject();
            d.put("location", "header");
            d.put("name", header);
            d.put("description", description);
        });
        Map.Entry<String, String> first = errors.entrySet().iterator().next();
        throw new KintoException(400, KintoException.INVALID_PARAMETERS, "Invalid parameters",
                first.getKey() + " in header: " + first.getValue(), details);
    }
}
