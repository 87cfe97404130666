package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.Sort;

/**
 * The query string of a plural request (https://docs.kinto-storage.org/en/stable/api/1.x/filtering.html): filters, {@code _since/_before/_to},
 * {@code _sort}, {@code _limit}, {@code _token} and {@code _fields}, parsed and validated.
 */
public record ListParams(List<Filter> filters, List<Sort> sorts, int limit, JsonNode after, int offset,
        List<String> fields, boolean deprecatedTo) {

    private static final Pattern OPERATOR = Pattern.compile(
            "^(lt|min|max|not|eq|gt|in|exclude|like|has|contains_any|contains)_([\\w.]+)$");
    private static final Pattern SORT_ITEM = Pattern.compile("^[-+]?[\\w.]+$");
    private static final long DAY_MS = 24L * 3600 * 1000;

    public ListQuery query() {
        return new ListQuery(filters, sorts, after, null);
    }

    /**
     * The effective page size: {@code _limit} (0 counts as absent and bypasses
     * {@code paginate_by}), capped by {@code paginate_by}, capped by {@code storage_max_fetch_size}.
     */
    public static int effectiveLimit(Integer requested, int paginateBy, int maxFetch) {
        int limit;
        if (requested == null) {
            limit = paginateBy;
        } else if (requested == 0) {
            limit = 0;
        } else {
            limit = paginateBy > 0 ? Math.min(requested, paginateBy) : requested;
        }
        return limit > 0 ? Math.min(limit, maxFetch) : maxFetch;
    }

    public static ListParams parse(List<Map.Entry<String, String>> query, int paginateBy, int maxFetch, long now) {
        List<Filter> filters = new ArrayList<>();
        List<Sort> sorts = new ArrayList<>();
        Integer limit = null;
        JsonNode after = null;
        int offset = 0;
        List<String> fields = null;
        boolean deprecatedTo = false;
        for (Map.Entry<String, String> p : query) {
            String name = p.getKey();
            String raw = p.getValue();
            if (name.indexOf('\0') >= 0 || raw.indexOf('\0') >= 0) {
                throw ServiceError.invalid("querystring", name, "Invalid character 0x00");
            }
            switch (name) {
                case "_limit" -> {
                    long v = integer(name, raw);
                    if (v > Integer.MAX_VALUE) {
                        v = Integer.MAX_VALUE;
                    }
                    limit = (int) v;
                }
                case "_since", "_before", "_to" -> {
                    if (raw.equals("null")) {
                        continue;
                    }
                    long v = timestamp(name, raw, now);
                    if (name.equals("_to")) {
                        deprecatedTo = true;
                    }
                    filters.add(Filter.of("last_modified", name.equals("_since") ? Filter.Operator.GT : Filter.Operator.LT,
                            Json.mapper().getNodeFactory().numberNode(v)));
                }
                case "_sort" -> {
                    for (String item : raw.split(",")) {
                        String s = item.trim();
                        if (!SORT_ITEM.matcher(s).matches()) {
                            continue;
                        }
                        boolean desc = s.startsWith("-");
                        String field = (s.startsWith("-") || s.startsWith("+")) ? s.substring(1) : s;
                        sorts.add(new Sort(field, desc));
                    }
                }
                case "_token" -> {
                    ObjectNode token = decodeToken(raw);
                    after = token.get("last_object");
                    offset = token.path("offset").asInt();
                }
                case "_fields" -> fields = Projection.fields(raw);
                default -> {
                    if (name.startsWith("_")) {
                        continue;
                    }
                    filters.add(filter(name, raw, now));
                }
            }
        }
        if (sorts.isEmpty()) {
            sorts.add(Sort.LAST_MODIFIED_DESC);
        } else if (!(sorts.size() == 1 && sorts.get(0).field().equals("last_modified") && !sorts.get(0).descending())) {
            boolean hasLm = sorts.stream().anyMatch(s -> s.field().equals("last_modified"));
            if (!hasLm) {
                sorts.add(Sort.LAST_MODIFIED_DESC);
            }
        }
        if (limit != null && limit < 0) {
            throw ServiceError.invalid("querystring", "_limit", "\"" + limit + "\" is less than minimum value 0");
        }
        int effective = effectiveLimit(limit, paginateBy, maxFetch);
        return new ListParams(List.copyOf(filters), List.copyOf(sorts), effective, after, offset,
                fields == null ? null : List.copyOf(fields), deprecatedTo);
    }

    private static long integer(String name, String raw) {
        String v = raw.trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (!v.matches("-?[0-9]{1,19}")) {
            throw ServiceError.invalid("querystring", name, "\"" + raw + "\" is not a number");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ServiceError.invalid("querystring", name, "\"" + raw + "\" is not a number");
        }
    }

    private static long timestamp(String name, String raw, long now) {
        long v = integer(name, raw);
        if (v < 0 || v >= now + DAY_MS) {
            throw ServiceError.invalid("querystring", name, "Invalid value for " + name);
        }
        return v;
    }

    /** Kinto's JSON-ish value parsing: valid JSON, else the raw string. */
    static JsonNode jsonish(String raw) {
        try {
            return Json.parse(raw);
        } catch (Exception e) {
            return Json.mapper().getNodeFactory().textNode(raw);
        }
    }

    static Filter filter(String name, String raw, long now) {
        Matcher m = OPERATOR.matcher(name);
        Filter.Operator op = Filter.Operator.EQ;
        String field = name;
        if (m.matches()) {
            op = Filter.Operator.valueOf(m.group(1).toUpperCase());
            field = m.group(2);
        }
        switch (op) {
            case IN, EXCLUDE -> {
                List<JsonNode> values = new ArrayList<>();
                for (String item : raw.split(",", -1)) {
                    values.add(jsonish(item));
                }
                if (field.equals("id") && values.stream().anyMatch(v -> !v.isTextual())) {
                    throw ServiceError.invalid("querystring", name, "Invalid value for " + name);
                }
                if (field.equals("last_modified")) {
                    for (JsonNode v : values) {
                        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                            throw ServiceError.invalid("querystring", name, "Invalid value for " + name);
                        }
                    }
                }
                return Filter.ofList(field, op, values);
            }
            case CONTAINS, CONTAINS_ANY -> {
                if (field.equals("id") || field.equals("last_modified")) {
                    throw ServiceError.invalid("querystring", name, "Field '" + field + "' is not an array");
                }
                JsonNode v = jsonish(raw);
                List<JsonNode> values = new ArrayList<>();
                if (v.isArray()) {
                    v.forEach(values::add);
                } else {
                    values.add(v);
                }
                return Filter.ofList(field, op, values);
            }
            case LIKE -> {
                JsonNode v = jsonish(raw);
                if (!v.isTextual()) {
                    throw ServiceError.invalid("querystring", name, "Invalid value for " + name);
                }
                return Filter.of(field, op, v);
            }
            default -> {
                JsonNode v = jsonish(raw);
                if (field.equals("last_modified") && op != Filter.Operator.HAS) {
                    String t = raw.trim();
                    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                        v = jsonish(t.substring(1, t.length() - 1));
                    }
                    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() >= now + DAY_MS) {
                        throw ServiceError.invalid("querystring", name, "Invalid value for " + name);
                    }
                }
                if (field.equals("id") && !v.isTextual() && op != Filter.Operator.HAS) {
                    v = Json.mapper().getNodeFactory().textNode(raw);
                }
                return Filter.of(field, op, v);
            }
        }
    }

    static ObjectNode decodeToken(String raw) {
        try {
            byte[] bytes = Base64.getDecoder().decode(raw.trim());
            JsonNode json = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            if (json.isObject() && json.get("last_object") != null && json.get("last_object").isObject()
                    && json.has("offset") && json.has("nonce")) {
                return (ObjectNode) json;
            }
        } catch (Exception e) {
            // fall through to the 400
        }
        throw ServiceError.invalid("querystring", null, "_token has invalid content");
    }

    /** The nonce of a {@code _token} value, or null without a token. */
    public static String tokenNonce(String raw) {
        return raw == null ? null : decodeToken(raw).path("nonce").asText();
    }

    /** A token for the page after {@code last} (https://docs.kinto-storage.org/en/stable/api/1.x/pagination.html). */
    public String nextToken(JsonNode last, int fetchedSoFar) {
        return nextToken(last, fetchedSoFar, newNonce());
    }

    /** A fresh {@code pagination-token-<uuid4>} nonce. */
    public static String newNonce() {
        return "pagination-token-" + UUID.randomUUID();
    }

    /** A token with the given nonce (DELETE registers its nonces to make them single-use). */
    public String nextToken(JsonNode last, int fetchedSoFar, String nonce) {
        ObjectNode token = Json.object();
        ObjectNode lastObject = token.putObject("last_object");
        for (Sort s : sorts) {
            JsonNode v = org.kinto4j.server.storage.JsonOrder.at(last, s.field());
            if (v != null) {
                lastObject.set(s.field(), v);
            }
        }
        token.put("offset", fetchedSoFar);
        token.put("nonce", nonce);
        return Base64.getEncoder().encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
    }
}
