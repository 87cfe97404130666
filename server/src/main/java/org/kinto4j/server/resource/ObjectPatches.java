package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;

/**
 * The three ways a PATCH changes an object (spec 5.5): merge of the fields sent, JSON Merge Patch
 * (RFC 7396) and JSON Patch (RFC 6902) over {@code data} and {@code permissions}; and Kinto's
 * light and diff answers. Pure functions of their arguments.
 */
public final class ObjectPatches {

    private ObjectPatches() {
    }

    /**
     * Kinto's light/diff PATCH responses: the requested fields whose value changed ({@code light}),
     * or those whose stored value differs from the value sent ({@code diff}). Events still carry
     * the full object.
     */
    public static ObjectNode partialResponse(String behavior, ObjectNode existing, ObjectNode requested,
            ObjectNode updated) {
        ObjectNode out = Json.object();
        requested.fieldNames().forEachRemaining(k -> {
            JsonNode after = updated.get(k);
            if (after == null || after.equals(existing.get(k))) {
                return;
            }
            if (behavior.equals("light") || !after.equals(requested.get(k))) {
                out.set(k, after);
            }
        });
        return out;
    }

    public static boolean isId(JsonNode node, String id) {
        return node.isTextual() && node.textValue().equals(id);
    }

    public static void mergePatch(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode existing) {
                mergePatch(existing, (ObjectNode) v);
            } else if (v.isObject()) {
                ObjectNode fresh = Json.object();
                mergePatch(fresh, (ObjectNode) v);
                target.set(e.getKey(), fresh);
            } else {
                target.set(e.getKey(), v);
            }
        }
    }

    public static void applyJsonPatch(Target t, ObjectNode data, Map<String, Set<String>> acl, JsonNode ops) {
        ObjectNode doc = Json.object();
        doc.set("data", data.deepCopy());
        ObjectNode perms = doc.putObject("permissions");
        for (String perm : t.kind().permissions()) {
            ObjectNode set = perms.putObject(perm);
            acl.getOrDefault(perm, Set.of()).forEach(p -> set.put(p, p));
        }
        // Kinto: values of /permissions/<perm>/<principal> operations are the principal itself.
        ArrayNode normalized = Json.array();
        for (JsonNode op : ops) {
            ObjectNode copy = ((ObjectNode) op).deepCopy();
            String path = copy.path("path").asText();
            String[] parts = path.split("/", -1);
            if (parts.length == 4 && parts[1].equals("permissions") && !copy.path("op").asText().equals("remove")) {
                copy.put("value", parts[3]);
            } else if (parts.length == 3 && parts[1].equals("permissions") && copy.path("value").isArray()) {
                ObjectNode asSet = Json.object();
                copy.get("value").forEach(p -> asSet.put(p.asText(), p.asText()));
                copy.set("value", asSet);
            }
            normalized.add(copy);
        }
        JsonPatch.apply(doc, normalized);
        if (!doc.path("data").isObject()) {
            throw JsonPatch.failed("data must stay an object");
        }
        Iterator<String> names = data.fieldNames();
        List<String> all = new ArrayList<>();
        names.forEachRemaining(all::add);
        all.forEach(data::remove);
        doc.get("data").properties().forEach(e -> data.set(e.getKey(), e.getValue()));
        acl.clear();
        Iterator<Map.Entry<String, JsonNode>> pit = doc.path("permissions").properties().iterator();
        while (pit.hasNext()) {
            Map.Entry<String, JsonNode> e = pit.next();
            if (!t.kind().permissions().contains(e.getKey())) {
                throw ServiceError.invalid("body", "permissions", "Unrecognized keys in mapping: '" + e.getKey() + "'");
            }
            Set<String> principals = new LinkedHashSet<>();
            e.getValue().fieldNames().forEachRemaining(principals::add);
            acl.put(e.getKey(), principals);
        }
    }
}
