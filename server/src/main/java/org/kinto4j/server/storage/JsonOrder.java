package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Kinto's cross-type order (PostgreSQL JSONB order): null &lt; string &lt; number &lt; boolean
 * &lt; array &lt; object; a missing value ({@code null} reference) sorts after everything.
 */
public final class JsonOrder {

    private JsonOrder() {
    }

    private static int rank(JsonNode n) {
        if (n.isNull()) {
            return 0;
        }
        if (n.isTextual()) {
            return 1;
        }
        if (n.isNumber()) {
            return 2;
        }
        if (n.isBoolean()) {
            return 3;
        }
        if (n.isArray()) {
            return 4;
        }
        return 5;
    }

    /** Compares two values; {@code null} references are missing values (greatest). */
    public static int compare(JsonNode a, JsonNode b) {
        if (a == null || a.isMissingNode()) {
            return (b == null || b.isMissingNode()) ? 0 : 1;
        }
        if (b == null || b.isMissingNode()) {
            return -1;
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                return 0;
            case 1:
                return a.textValue().compareTo(b.textValue());
            case 2:
                if (a.isIntegralNumber() && b.isIntegralNumber()) {
                    if (a.canConvertToLong() && b.canConvertToLong()) {
                        return Long.compare(a.longValue(), b.longValue());
                    }
                    return a.bigIntegerValue().compareTo(b.bigIntegerValue());
                }
                return a.decimalValue().compareTo(b.decimalValue());
            case 3:
                return Boolean.compare(a.booleanValue(), b.booleanValue());
            case 4: {
                int n = Math.min(a.size(), b.size());
                for (int i = 0; i < n; i++) {
                    int c = compare(a.get(i), b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(a.size(), b.size());
            }
            default: {
                int c = Integer.compare(a.size(), b.size());
                if (c != 0) {
                    return c;
                }
                Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    int d = compare(e.getValue(), b.get(e.getKey()));
                    if (d != 0) {
                        return d;
                    }
                }
                return 0;
            }
        }
    }

    /** Deep equality where numbers compare by value (1 == 1.0). */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return compare(a, b) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!equal(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The value at a dotted path ({@code author.name}); a literal dotted key is found too. */
    public static JsonNode at(JsonNode object, String path) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode direct = object.get(path);
        if (direct != null) {
            return direct;
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            return null;
        }
        return at(object.get(path.substring(0, dot)), path.substring(dot + 1));
    }
}
