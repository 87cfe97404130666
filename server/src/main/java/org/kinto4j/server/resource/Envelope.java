package org.kinto4j.server.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;

/**
 * A request body {@code {"data": {...}, "permissions": {...}}}, parsed and checked as Kinto does:
 * malformed JSON, a non-object body, unknown top-level keys, {@code data} not an object,
 * unknown permission names or non-list principals are 400s.
 *
 * @param data {@code null} when absent
 * @param permissions {@code null} when absent; values {@code null} for {@code "perm": null}
 */
public record Envelope(ObjectNode data, Map<String, Set<String>> permissions) {

    /** Parses raw JSON; {@code null} or empty bytes give an empty envelope. */
    public static JsonNode parseJson(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.parse(body);
        } catch (StreamConstraintsException e) {
            String what = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth")
                    ? "nesting too deep (more than " + Json.MAX_NESTING_DEPTH + " levels)"
                    : String.valueOf(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "").split("\n")[0];
            throw ServiceError.invalidJson("Invalid JSON: " + what + ".");
        } catch (JsonProcessingException e) {
            if (Json.isNumberTooBig(e)) {
                throw numberTooBig();
            }
            long offset = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
            throw ServiceError.invalidJson("Invalid JSON: Parse error at offset " + Math.max(offset, 0) + ": "
                    + e.getOriginalMessage().split("\n")[0]);
        } catch (IllegalArgumentException e) {
            if (Json.isNumberTooBig(e)) {
                throw numberTooBig();
            }
            throw e;
        } catch (IOException e) {
            throw ServiceError.invalidJson("Invalid JSON: " + e.getMessage());
        }
    }

    private static ServiceError numberTooBig() {
        return ServiceError.invalidJson("Invalid JSON: Number too big to be stored in double.");
    }

    public static Envelope parse(JsonNode json, ResourceKind kind) {
        if (json == null) {
            return new Envelope(null, null);
        }
        if (!json.isObject()) {
            throw ServiceError.invalid("body", "", "Should be an object, not " + typeName(json));
        }
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("data") && !name.equals("permissions")) {
                throw ServiceError.invalid("body", "", "Unrecognized keys in mapping: \"{'" + name + "': "
                        + PythonRepr.of(json.get(name)) + "}\"");
            }
        }
        ObjectNode data = null;
        JsonNode d = json.get("data");
        if (d != null) {
            if (!d.isObject()) {
                throw ServiceError.invalid("body", "data", (d.isTextual() ? "\"" + d.textValue() + "\"" : d.toString())
                        + " is not a mapping type: Does not implement dict-like functionality.");
            }
            data = (ObjectNode) d;
        }
        Map<String, Set<String>> permissions = null;
        JsonNode p = json.get("permissions");
        if (p != null) {
            permissions = parsePermissions(p, kind);
        }
        return new Envelope(data, permissions);
    }

    static Map<String, Set<String>> parsePermissions(JsonNode p, ResourceKind kind) {
        if (!p.isObject()) {
            throw ServiceError.invalid("body", "permissions", p + " is not a mapping type: Does not implement dict");
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = p.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (!kind.permissions().contains(e.getKey())) {
                throw ServiceError.invalid("body", "permissions",
                        "Unrecognized keys in mapping: '" + e.getKey() + "' (valid permissions of a "
                                + kind.resourceName() + ": " + String.join(", ", new java.util.TreeSet<>(kind.permissions())) + ")");
            }
            JsonNode list = e.getValue();
            if (list.isNull()) {
                out.put(e.getKey(), null);
                continue;
            }
            if (!list.isArray()) {
                throw ServiceError.invalid("body", "permissions." + e.getKey(), list + " is not iterable");
            }
            Set<String> principals = new LinkedHashSet<>();
            for (JsonNode item : list) {
                if (!item.isTextual()) {
                    throw ServiceError.invalid("body", "permissions." + e.getKey(), item + " is not a string");
                }
                principals.add(item.textValue());
            }
            out.put(e.getKey(), principals);
        }
        return out;
    }

    static String typeName(JsonNode n) {
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return "an object";
    }
}
