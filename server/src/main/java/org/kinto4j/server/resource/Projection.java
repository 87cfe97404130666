package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.kinto4j.server.json.Json;

/**
 * {@code _fields}: an object reduced to the fields asked for (dotted names reach into nested
 * objects), always with {@code id}, {@code last_modified} and {@code deleted}.
 */
public final class Projection {

    private Projection() {
    }

    /** The fields of a {@code _fields} value (comma separated, blanks dropped), or null without one. */
    public static List<String> fields(String raw) {
        if (raw == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String f : raw.split(",")) {
            if (!f.isBlank()) {
                out.add(f.trim());
            }
        }
        return out;
    }

    public static ObjectNode project(ObjectNode obj, List<String> fields) {
        ObjectNode out = Json.object();
        out.set("id", obj.get("id"));
        out.set("last_modified", obj.get("last_modified"));
        if (obj.has("deleted")) {
            out.set("deleted", obj.get("deleted"));
        }
        for (String f : fields) {
            if (obj.has(f)) {
                out.set(f, obj.get(f));
                continue;
            }
            String[] parts = f.split("\\.");
            JsonNode src = obj;
            ObjectNode dst = out;
            for (int i = 0; i < parts.length && src != null && src.isObject(); i++) {
                JsonNode next = src.get(parts[i]);
                if (next == null) {
                    break;
                }
                if (i == parts.length - 1) {
                    dst.set(parts[i], next);
                } else {
                    JsonNode existing = dst.get(parts[i]);
                    dst = existing instanceof ObjectNode o ? o : dst.putObject(parts[i]);
                }
                src = next;
            }
        }
        return out;
    }
}
