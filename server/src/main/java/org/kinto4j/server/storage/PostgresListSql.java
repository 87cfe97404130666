package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.kinto4j.server.json.Json;

/**
 * Compiles a {@link ListQuery} into one PostgreSQL statement over the {@code jsonb} objects:
 * every filter, the keyset condition of {@code _token}, the sort, {@code _limit} and counts run
 * in the database, with the answers of {@link Filter#matches} and {@link JsonOrder}. A field is
 * the expression of {@link #field}, also used by declared indexes ({@link DeclaredIndexes}), so
 * that the planner can match them; parent and resource are inlined as literals so that the
 * partial index of a collection applies whatever plan the driver prepares.
 */
final class PostgresListSql {

    /** A statement and its positional parameters. */
    record Statement(String sql, List<Object> binds) {

        Query on(Handle handle) {
            Query q = handle.createQuery(sql);
            for (int i = 0; i < binds.size(); i++) {
                Object b = binds.get(i);
                if (b instanceof String[] array) {
                    q.bindArray(i, String.class, (Object[]) array);
                } else {
                    q.bind(i, b);
                }
            }
            return q;
        }
    }

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> binds = new ArrayList<>();

    private PostgresListSql() {
    }

    static Statement list(String resource, String parentId, ListQuery query, int max) {
        PostgresListSql s = new PostgresListSql();
        s.sql.append("SELECT data FROM objects");
        s.where(resource, parentId, query, !query.includesTombstones());
        if (query.after() != null) {
            s.sql.append(" AND (");
            s.after(query.sorts(), query.after());
            s.sql.append(')');
        }
        s.sql.append(" ORDER BY ");
        for (int i = 0; i < query.sorts().size(); i++) {
            Sort sort = query.sorts().get(i);
            // Default NULLS placement (last ascending, first descending) is Kinto's "a missing
            // field is greater than any value", and what a backward index scan gives.
            s.sql.append(i > 0 ? ", " : "").append(sortKey(sort.field())).append(sort.descending() ? " DESC" : " ASC");
        }
        if (max > 0) {
            s.sql.append(" LIMIT ").append(max);
        }
        return new Statement(s.sql.toString(), s.binds);
    }

    static Statement count(String resource, String parentId, ListQuery query) {
        PostgresListSql s = new PostgresListSql();
        s.sql.append("SELECT COUNT(*) FROM objects");
        s.where(resource, parentId, query, true);
        return new Statement(s.sql.toString(), s.binds);
    }

    /** The jsonb expression of a dotted field, as {@link JsonOrder#at} resolves it (a literal dotted key first). */
    static String field(String path) {
        return at("data", path);
    }

    private static String at(String object, String path) {
        String direct = object + "->" + literal(path);
        int dot = path.indexOf('.');
        if (dot < 0) {
            return direct;
        }
        return "COALESCE(" + direct + ", " + at(object + "->" + literal(path.substring(0, dot)), path.substring(dot + 1)) + ")";
    }

    /** A SQL string literal; valid whatever {@code standard_conforming_strings} says. */
    static String literal(String s) {
        String quoted = s.replace("'", "''");
        return s.indexOf('\\') >= 0 ? "E'" + quoted.replace("\\", "\\\\") + "'" : "'" + quoted + "'";
    }

    private static String sortKey(String field) {
        return field.equals("last_modified") ? "last_modified" : field.equals("id") ? "id" : field(field);
    }

    private void where(String resource, String parentId, ListQuery query, boolean liveOnly) {
        sql.append(" WHERE parent_id = ").append(literal(parentId)).append(" AND resource_name = ").append(literal(resource));
        if (liveOnly) {
            sql.append(" AND deleted = FALSE");
        }
        Set<String> ids = query.onlyIds();
        if (ids != null) {
            sql.append(" AND id = ANY(?)");
            binds.add(ids.toArray(new String[0]));
        }
        for (Filter f : query.filters()) {
            sql.append(" AND ");
            filter(f);
        }
    }

    private String json(JsonNode value) {
        binds.add(Json.write(value));
        return "CAST(? AS jsonb)";
    }

    private void filter(Filter f) {
        if (column(f)) {
            return;
        }
        String e = field(f.field());
        switch (f.operator()) {
            case EQ -> sql.append(e).append(" = ").append(json(f.value()));
            case NOT -> sql.append('(').append(e).append(" IS NULL OR ").append(e).append(" <> ").append(json(f.value())).append(')');
            case LT -> sql.append(e).append(" < ").append(json(f.value()));
            case MAX -> sql.append(e).append(" <= ").append(json(f.value()));
            case GT -> sql.append('(').append(e).append(" IS NULL OR ").append(e).append(" > ").append(json(f.value())).append(')');
            case MIN -> sql.append('(').append(e).append(" IS NULL OR ").append(e).append(" >= ").append(json(f.value())).append(')');
            case IN -> inList(e, f.values(), false);
            case EXCLUDE -> inList(e, f.values(), true);
            case LIKE -> {
                sql.append("(jsonb_typeof(").append(e).append(") = 'string' AND (").append(e)
                        .append(" #>> '{}') ILIKE ? ESCAPE '!')");
                binds.add(likePattern(f.value().textValue()));
            }
            case HAS -> sql.append(e).append(Filter.truthy(f.value()) ? " IS NOT NULL" : " IS NULL");
            case CONTAINS, CONTAINS_ANY -> contains(e, f.values(), f.operator() == Filter.Operator.CONTAINS);
            default -> throw new IllegalStateException(f.operator().name());
        }
    }

    /** Filters on {@code last_modified} and {@code id} read the indexed columns; false when the filter is not one. */
    private boolean column(Filter f) {
        boolean lm = f.onLastModified();
        if (!lm && !f.field().equals("id")) {
            return false;
        }
        String col = lm ? "last_modified" : "id";
        List<JsonNode> values = f.value() != null ? List.of(f.value()) : f.values();
        for (JsonNode v : values) {
            if (lm ? !(v.isIntegralNumber() && v.canConvertToLong()) : !v.isTextual()) {
                return false;
            }
        }
        String op = switch (f.operator()) {
            case EQ -> " = ";
            case NOT -> " <> ";
            case LT -> " < ";
            case GT -> " > ";
            case MIN -> " >= ";
            case MAX -> " <= ";
            case IN, EXCLUDE -> null;
            default -> "";
        };
        if ("".equals(op) || (op == null && values.isEmpty())) {
            return false;
        }
        if (op == null) {
            sql.append(col).append(f.operator() == Filter.Operator.EXCLUDE ? " NOT IN (" : " IN (");
            for (int i = 0; i < values.size(); i++) {
                sql.append(i > 0 ? ", ?" : "?");
                binds.add(lm ? (Object) values.get(i).longValue() : values.get(i).textValue());
            }
            sql.append(')');
            return true;
        }
        sql.append(col).append(op).append('?');
        binds.add(lm ? (Object) f.value().longValue() : f.value().textValue());
        return true;
    }

    private void inList(String e, List<JsonNode> values, boolean exclude) {
        if (values.isEmpty()) {
            sql.append(exclude ? "TRUE" : "FALSE");
            return;
        }
        sql.append(exclude ? "(" + e + " IS NULL OR " + e + " NOT IN (" : e + " IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(json(values.get(i)));
        }
        sql.append(exclude ? "))" : ")");
    }

    /**
     * Array membership by equality of elements ({@link JsonOrder#equal}): {@code @>} of a
     * one-element array for a scalar; for an object or array element, an element equal to it
     * ({@code @>} would accept a superset).
     */
    private void contains(String e, List<JsonNode> values, boolean all) {
        sql.append("(jsonb_typeof(").append(e).append(") = 'array'");
        if (values.isEmpty()) {
            sql.append(all ? ")" : " AND FALSE)");
            return;
        }
        sql.append(" AND (");
        for (int i = 0; i < values.size(); i++) {
            JsonNode v = values.get(i);
            sql.append(i == 0 ? "" : all ? " AND " : " OR ");
            if (v.isContainerNode()) {
                sql.append("EXISTS (SELECT 1 FROM jsonb_array_elements(").append(e).append(") AS element(v) WHERE element.v = ")
                        .append(json(v)).append(')');
            } else {
                sql.append(e).append(" @> ").append(json(Json.array().add(v)));
            }
        }
        sql.append("))");
    }

    /** Kinto's {@code like_}: {@code *} is any text, no {@code *} means "contains"; {@code !} escapes. */
    static String likePattern(String raw) {
        String p = raw.contains("*") ? raw : "*" + raw + "*";
        return p.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
    }

    /**
     * Objects strictly after {@code last} in the sort order (keyset pagination): for some key,
     * equal on every earlier key and after on this one. A key {@code last} lacks is a missing
     * value, the greatest.
     */
    private void after(List<Sort> sorts, JsonNode last) {
        for (int i = 0; i < sorts.size(); i++) {
            sql.append(i > 0 ? " OR (" : "(");
            for (int j = 0; j < i; j++) {
                keyCondition(sorts.get(j), last, true);
                sql.append(" AND ");
            }
            keyCondition(sorts.get(i), last, false);
            sql.append(')');
        }
    }

    private void keyCondition(Sort sort, JsonNode last, boolean equal) {
        JsonNode a = JsonOrder.at(last, sort.field());
        String key = sortKey(sort.field());
        boolean column = !key.startsWith("data") && !key.startsWith("COALESCE");
        if (column && a != null && (sort.field().equals("id") ? a.isTextual() : a.isIntegralNumber() && a.canConvertToLong())) {
            sql.append(key).append(equal ? " = ?" : sort.descending() ? " < ?" : " > ?");
            binds.add(a.isTextual() ? a.textValue() : (Object) a.longValue());
            return;
        }
        String e = field(sort.field());
        if (a == null) {
            sql.append(equal ? e + " IS NULL" : sort.descending() ? e + " IS NOT NULL" : "FALSE");
        } else if (equal) {
            sql.append(e).append(" = ").append(json(a));
        } else if (sort.descending()) {
            sql.append(e).append(" < ").append(json(a));
        } else {
            sql.append('(').append(e).append(" IS NULL OR ").append(e).append(" > ").append(json(a)).append(')');
        }
    }
}
