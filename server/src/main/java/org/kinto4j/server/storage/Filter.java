package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One list filter, Kinto's {@code <operator>_<field>=<value>}. Matching follows Kinto's rules,
 * including what a missing field does for each operator.
 */
public record Filter(String field, Operator operator, JsonNode value, List<JsonNode> values) {

    public enum Operator {
        EQ, NOT, LT, GT, MIN, MAX, IN, EXCLUDE, LIKE, HAS, CONTAINS, CONTAINS_ANY
    }

    public static Filter of(String field, Operator operator, JsonNode value) {
        return new Filter(field, operator, value, List.of());
    }

    public static Filter ofList(String field, Operator operator, List<JsonNode> values) {
        return new Filter(field, operator, null, List.copyOf(values));
    }

    public boolean onLastModified() {
        return field.equals("last_modified");
    }

    public boolean matches(JsonNode object) {
        JsonNode actual = JsonOrder.at(object, field);
        switch (operator) {
            case EQ:
                return actual != null && JsonOrder.equal(actual, value);
            case NOT:
                return actual == null || !JsonOrder.equal(actual, value);
            case LT:
                return actual != null && JsonOrder.compare(actual, value) < 0;
            case GT:
                return actual == null || JsonOrder.compare(actual, value) > 0;
            case MIN:
                return actual == null || JsonOrder.compare(actual, value) >= 0;
            case MAX:
                return actual != null && JsonOrder.compare(actual, value) <= 0;
            case IN:
                return actual != null && values.stream().anyMatch(v -> JsonOrder.equal(actual, v));
            case EXCLUDE:
                return actual == null || values.stream().noneMatch(v -> JsonOrder.equal(actual, v));
            case LIKE:
                return actual != null && actual.isTextual() && likePattern().matcher(actual.textValue()).matches();
            case HAS:
                return truthy(value) == (actual != null);
            case CONTAINS:
                return actual != null && actual.isArray()
                        && values.stream().allMatch(v -> arrayContains(actual, v));
            case CONTAINS_ANY:
                return actual != null && actual.isArray()
                        && values.stream().anyMatch(v -> arrayContains(actual, v));
            default:
                throw new IllegalStateException(operator.name());
        }
    }

    private static boolean arrayContains(JsonNode array, JsonNode v) {
        for (JsonNode item : array) {
            if (JsonOrder.equal(item, v)) {
                return true;
            }
        }
        return false;
    }

    private Pattern likePattern() {
        String raw = value.textValue();
        if (!raw.contains("*")) {
            raw = "*" + raw + "*";
        }
        StringBuilder regex = new StringBuilder();
        String[] parts = raw.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() != 0;
        }
        if (v.isTextual()) {
            String s = v.textValue().toLowerCase(Locale.ROOT);
            return !s.isEmpty() && !s.equals("false") && !s.equals("0");
        }
        return v.size() > 0;
    }
}
