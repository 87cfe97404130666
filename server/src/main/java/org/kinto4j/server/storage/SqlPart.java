package org.kinto4j.server.storage;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.Query;

/**
 * The part of a list's conditions that H2 evaluates in SQL: parent, resource, tombstones, bounds
 * on {@code last_modified} and {@code id} equality (both indexed columns). {@link #complete()}
 * says whether every filter of the query is in it.
 */
final class SqlPart {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> binds = new ArrayList<>();
    private boolean complete = true;

    private SqlPart() {
    }

    static SqlPart where(String resource, String parentId, ListQuery query, boolean liveOnly) {
        SqlPart p = new SqlPart();
        p.append(" WHERE parent_id = ? AND resource_name = ?", parentId);
        p.binds.add(resource);
        if (liveOnly) {
            p.sql.append(" AND deleted = FALSE");
        }
        for (Filter f : query.filters()) {
            if (!p.push(f)) {
                p.complete = false;
            }
        }
        return p;
    }

    private boolean push(Filter f) {
        if (f.value() == null) {
            return false;
        }
        if (f.field().equals("id") && f.operator() == Filter.Operator.EQ && f.value().isTextual()) {
            append(" AND id = ?", f.value().textValue());
            return true;
        }
        if (!f.onLastModified() || !f.value().isIntegralNumber() || !f.value().canConvertToLong()) {
            return false;
        }
        String op = switch (f.operator()) {
            case EQ -> "=";
            case LT -> "<";
            case GT -> ">";
            case MIN -> ">=";
            case MAX -> "<=";
            case NOT -> "<>";
            default -> null;
        };
        if (op == null) {
            return false;
        }
        append(" AND last_modified " + op + " ?", f.value().longValue());
        return true;
    }

    void append(String text, Object bind) {
        sql.append(text);
        binds.add(bind);
    }

    void append(String text) {
        sql.append(text);
    }

    String sql() {
        return sql.toString();
    }

    boolean complete() {
        return complete;
    }

    /** Binds the parameters from position 0; returns the next free position. */
    int bindTo(Query q) {
        for (int i = 0; i < binds.size(); i++) {
            q.bind(i, binds.get(i));
        }
        return binds.size();
    }
}
