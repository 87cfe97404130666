package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.storage.JsonOrder;

/** RFC 6902 JSON Patch over a document, with Kinto's error messages. */
public final class JsonPatch {

    private static final Set<String> OPS = Set.of("add", "remove", "replace", "move", "copy", "test");
    private static final Set<String> KEYS = Set.of("op", "path", "from", "value");

    private JsonPatch() {
    }

    public static void validate(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw ServiceError.invalid("body", "", "JSON Patch must be a list of operations");
        }
        for (JsonNode op : patch) {
            if (!op.isObject()) {
                throw ServiceError.invalid("body", "", op + " is not a mapping type");
            }
            Iterator<String> names = op.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!KEYS.contains(n)) {
                    throw ServiceError.invalid("body", "", "Unrecognized keys in mapping: '" + n + "'");
                }
            }
            if (!op.path("op").isTextual() || !OPS.contains(op.get("op").textValue())) {
                throw ServiceError.invalid("body", "op", op.path("op") + " is not one of add, remove, replace, move, copy, test");
            }
            if (!op.path("path").isTextual() || !op.get("path").textValue().startsWith("/")) {
                throw ServiceError.invalid("body", "path", op.path("path") + " does not match pointer format");
            }
            if (op.has("from") && (!op.get("from").isTextual() || !op.get("from").textValue().startsWith("/"))) {
                throw ServiceError.invalid("body", "from", op.get("from") + " does not match pointer format");
            }
        }
    }

    public static void apply(ObjectNode doc, JsonNode patch) {
        for (JsonNode op : patch) {
            String kind = op.get("op").textValue();
            String path = op.get("path").textValue();
            switch (kind) {
                case "add" -> add(doc, path, value(op));
                case "remove" -> remove(doc, path);
                case "replace" -> {
                    get(doc, path);
                    remove(doc, path);
                    add(doc, path, value(op));
                }
                case "move" -> {
                    String from = from(op);
                    JsonNode v = get(doc, from);
                    remove(doc, from);
                    add(doc, path, v);
                }
                case "copy" -> add(doc, path, get(doc, from(op)).deepCopy());
                case "test" -> test(doc, path, value(op));
                default -> throw failed("unknown operation " + kind);
            }
        }
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw failed("missing value in " + op);
        }
        return op.get("value").deepCopy();
    }

    private static String from(JsonNode op) {
        if (!op.has("from")) {
            throw failed("missing from in " + op);
        }
        return op.get("from").textValue();
    }

    /** Kinto reports a failed operation without a field name: message "body: JSON Patch operation failed: ...". */
    public static ServiceError failed(String detail) {
        return ServiceError.invalid("body", null, "JSON Patch operation failed: " + detail);
    }

    /** The {@code test} operation, failing with the words of Python's jsonpatch, which Kinto quotes. */
    private static void test(JsonNode doc, String path, JsonNode expected) {
        String[] t = tokens(path);
        JsonNode parent = parentOf(doc, t, path);
        JsonNode actual = child(parent, t[t.length - 1]);
        if (actual == null && parent.isObject()) {
            throw failed("member '" + t[t.length - 1] + "' not found in " + PythonRepr.of(parent));
        }
        if (actual == null) {
            throw failed("can't resolve " + path);
        }
        if (!JsonOrder.equal(actual, expected)) {
            throw failed(pythonStr(actual) + " (" + pythonType(actual) + ") is not equal to tested value "
                    + pythonStr(expected) + " (" + pythonType(expected) + ")");
        }
    }

    /** Python's str() of the parsed value: strings bare, everything else as repr(). */
    private static String pythonStr(JsonNode n) {
        return n.isTextual() ? n.textValue() : PythonRepr.of(n);
    }

    private static String pythonType(JsonNode n) {
        String name = n.isTextual() ? "str" : n.isBoolean() ? "bool" : n.isIntegralNumber() ? "int"
                : n.isNumber() ? "float" : n.isArray() ? "list" : n.isObject() ? "dict" : "NoneType";
        return "<class '" + name + "'>";
    }

    private static String[] tokens(String path) {
        String[] raw = path.substring(1).split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = raw[i].replace("~1", "/").replace("~0", "~");
        }
        return raw;
    }

    private static JsonNode get(JsonNode doc, String path) {
        JsonNode cur = doc;
        for (String t : tokens(path)) {
            cur = child(cur, t);
            if (cur == null) {
                throw failed("can't resolve " + path);
            }
        }
        return cur;
    }

    private static JsonNode child(JsonNode node, String token) {
        if (node.isObject()) {
            return node.get(token);
        }
        if (node.isArray() && token.matches("[0-9]+")) {
            int i = Integer.parseInt(token);
            return i < node.size() ? node.get(i) : null;
        }
        return null;
    }

    private static JsonNode parentOf(JsonNode doc, String[] t, String path) {
        JsonNode cur = doc;
        for (int i = 0; i < t.length - 1; i++) {
            cur = child(cur, t[i]);
            if (cur == null) {
                throw failed("can't resolve " + path);
            }
        }
        return cur;
    }

    private static void add(JsonNode doc, String path, JsonNode value) {
        String[] t = tokens(path);
        JsonNode parent = parentOf(doc, t, path);
        String last = t[t.length - 1];
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else if (parent.isArray()) {
            ArrayNode a = (ArrayNode) parent;
            if (last.equals("-")) {
                a.add(value);
            } else if (last.matches("[0-9]+") && Integer.parseInt(last) <= a.size()) {
                a.insert(Integer.parseInt(last), value);
            } else {
                throw failed("can't add at " + path);
            }
        } else {
            throw failed("can't add at " + path);
        }
    }

    private static void remove(JsonNode doc, String path) {
        String[] t = tokens(path);
        JsonNode parent = parentOf(doc, t, path);
        String last = t[t.length - 1];
        if (parent.isObject() && parent.has(last)) {
            ((ObjectNode) parent).remove(last);
        } else if (parent.isArray() && last.matches("[0-9]+") && Integer.parseInt(last) < parent.size()) {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
        } else {
            throw failed("can't remove " + path);
        }
    }
}
