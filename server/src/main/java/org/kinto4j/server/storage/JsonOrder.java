package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Kinto's order of JSON values, which is PostgreSQL's {@code jsonb} order, so that H2 (sorting in
 * Java) and PostgreSQL (sorting in SQL) give the same pages: null &lt; string &lt; number &lt;
 * boolean &lt; array &lt; object; strings by code point (a {@code C} collation); arrays by length,
 * then element by element; objects by number of members, then member by member in jsonb's key
 * order (shorter keys first), key before value; a top-level empty array is below everything
 * (a jsonb quirk). A missing value ({@code null} reference) sorts
 * after everything (SQL NULL: last ascending, first descending).
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
        // jsonb stores a top-level scalar as a one-element array and compares array lengths
        // before the scalar flag, so a top-level empty array is below every other value.
        boolean ea = a.isArray() && a.isEmpty();
        boolean eb = b.isArray() && b.isEmpty();
        if (ea != eb && (ea ? b : a).isValueNode()) {
            return ea ? -1 : 1;
        }
        return compareValues(a, b);
    }

    private static int compareValues(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                return 0;
            case 1:
                return compareCodePoints(a.textValue(), b.textValue());
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
                int c = Integer.compare(a.size(), b.size());
                for (int i = 0; c == 0 && i < a.size(); i++) {
                    c = compareValues(a.get(i), b.get(i));
                }
                return c;
            }
            default: {
                int c = Integer.compare(a.size(), b.size());
                if (c != 0) {
                    return c;
                }
                List<String> ka = storageOrder(a);
                List<String> kb = storageOrder(b);
                for (int i = 0; i < ka.size(); i++) {
                    c = compareCodePoints(ka.get(i), kb.get(i));
                    if (c == 0) {
                        c = compareValues(a.get(ka.get(i)), b.get(kb.get(i)));
                    }
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            }
        }
    }

    /** The order of objects by a list of sort keys (missing values last, descending keys reversed). */
    public static Comparator<JsonNode> comparatorOf(List<Sort> sorts) {
        return (a, b) -> {
            for (Sort s : sorts) {
                int c = compare(at(a, s.field()), at(b, s.field()));
                if (c != 0) {
                    return s.descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    /** String order of a {@code C} collation: by Unicode code point (UTF-8 byte order). */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** An object's keys as jsonb stores them: shorter (in UTF-8 bytes) first, then byte order. */
    private static List<String> storageOrder(JsonNode object) {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            keys.add(e.getKey());
        }
        keys.sort(Comparator.<String>comparingInt(k -> k.getBytes(StandardCharsets.UTF_8).length)
                .thenComparing(JsonOrder::compareCodePoints));
        return keys;
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
