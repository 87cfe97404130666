package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Renders JSON the way Python's repr() prints the parsed value, as Kinto's messages quote it. */
final class PythonRepr {

    private PythonRepr() {
    }

    static String of(JsonNode n) {
        if (n == null || n.isNull()) {
            return "None";
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? "True" : "False";
        }
        if (n.isTextual()) {
            return "'" + n.textValue().replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (n.isNumber()) {
            return n.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(of(n.get(i)));
            }
            return sb.append(']').toString();
        }
        sb.append('{');
        Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator();
        boolean first = true;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            sb.append(first ? "" : ", ").append('\'').append(e.getKey()).append("': ").append(of(e.getValue()));
            first = false;
        }
        return sb.append('}').toString();
    }
}
