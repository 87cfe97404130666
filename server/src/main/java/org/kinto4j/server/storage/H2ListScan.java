package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.jdbi.v3.core.statement.Query;
import org.kinto4j.server.json.Json;

/**
 * Lists and counts on H2, which has no JSON operators: what SQL can do runs in SQL (parent,
 * tombstones, {@code last_modified} bounds, {@code id} equality, and the order and early stop of
 * a {@code last_modified} sort through its index); the rest is evaluated while the rows stream
 * past in bounded chunks ({@link H2Chunks}), reading from each row only the fields the query needs
 * ({@link NeededFields}) and keeping only the best {@code max} rows in a bounded heap, whose
 * documents are parsed in full at the end. The heap never holds more than {@code max} rows, and
 * a count holds none.
 */
final class H2ListScan {

    private H2ListScan() {
    }

    /** A row kept for the page: the fields its query reads, and its stored text. */
    private record Candidate(ObjectNode fields, String data) {
    }

    static List<ObjectNode> list(Tx tx, String resource, String parentId, ListQuery query, int max) {
        List<Sort> sorts = query.sorts();
        boolean indexOrder = !sorts.isEmpty() && sorts.get(0).field().equals("last_modified");
        boolean descending = indexOrder && sorts.get(0).descending();
        SqlPart where = SqlPart.where(resource, parentId, query, !query.includesTombstones());
        if (indexOrder && query.after() != null) {
            JsonNode lm = query.after().get("last_modified");
            if (lm != null && lm.isIntegralNumber() && lm.canConvertToLong()) {
                // Inclusive, so that ties on last_modified are decided by the later sort keys below.
                where.append(descending ? " AND last_modified <= ?" : " AND last_modified >= ?", lm.longValue());
            }
        }
        NeededFields needed = NeededFields.of(query);
        Comparator<JsonNode> order = JsonOrder.comparatorOf(sorts);
        boolean sortedBySql = indexOrder && sorts.size() == 1;
        PriorityQueue<Candidate> worstFirst = new PriorityQueue<>((a, b) -> order.compare(b.fields(), a.fields()));
        List<Candidate> all = new ArrayList<>();
        boolean pageBySql = sortedBySql && where.complete() && query.onlyIds() == null && query.after() == null && max > 0;
        H2Chunks it = new H2Chunks(tx, where, indexOrder, descending, pageBySql ? max : H2Chunks.CHUNK);
        while (it.hasNext()) {
            H2Chunks.Row row = it.next();
            ObjectNode fields = needed.read(row.data());
            if (!accepts(row.id(), fields, query, order)) {
                continue;
            }
            Candidate c = new Candidate(fields, row.data());
            if (max <= 0 || sortedBySql) {
                all.add(c);
                if (sortedBySql && max > 0 && all.size() >= max) {
                    break;
                }
                continue;
            }
            if (worstFirst.size() < max) {
                worstFirst.add(c);
            } else if (order.compare(fields, worstFirst.peek().fields()) < 0) {
                worstFirst.poll();
                worstFirst.add(c);
            } else if (indexOrder) {
                // Rows come in last_modified order: once one is past the heap's worst on the
                // first key, every later one is too.
                JsonNode worst = JsonOrder.at(worstFirst.peek().fields(), "last_modified");
                if (JsonOrder.compare(fields.get("last_modified"), worst) != 0) {
                    break;
                }
            }
        }
        if (!sortedBySql) {
            all.addAll(worstFirst);
            all.sort((a, b) -> order.compare(a.fields(), b.fields()));
        }
        List<ObjectNode> out = new ArrayList<>(all.size());
        for (Candidate c : all) {
            out.add(Json.parseStored(c.data()));
        }
        return out;
    }

    static long count(Tx tx, String resource, String parentId, ListQuery query) {
        SqlPart where = SqlPart.where(resource, parentId, query, true);
        if (where.complete() && query.onlyIds() == null) {
            Query q = tx.handle().createQuery("SELECT COUNT(*) FROM objects" + where.sql());
            where.bindTo(q);
            return q.mapTo(Long.class).one();
        }
        NeededFields needed = NeededFields.of(query);
        long n = 0;
        H2Chunks it = new H2Chunks(tx, where, false, false, H2Chunks.CHUNK);
        while (it.hasNext()) {
            H2Chunks.Row row = it.next();
            if (accepts(row.id(), needed.read(row.data()), query, null)) {
                n++;
            }
        }
        return n;
    }

    private static boolean accepts(String id, ObjectNode fields, ListQuery query, Comparator<JsonNode> order) {
        if (query.onlyIds() != null && !query.onlyIds().contains(id)) {
            return false;
        }
        for (Filter f : query.filters()) {
            if (!f.matches(fields)) {
                return false;
            }
        }
        return order == null || query.after() == null || order.compare(fields, query.after()) > 0;
    }
}
