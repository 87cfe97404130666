package org.kinto4j.server.storage;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jdbi.v3.core.statement.Query;

/**
 * The rows of an H2 scan, read in bounded chunks (each a statement with {@code LIMIT}, which H2
 * answers with an index range scan) instead of one result: H2 builds a whole result before
 * returning its first row, and its lazy mode is not safe against concurrent writers. Chunks
 * follow either the primary key ({@code id > last id}) or, for a {@code last_modified} order,
 * the timestamp index ({@code last_modified <=} the last one seen, skipping the ids already
 * returned at that timestamp), so a scan never returns a row twice and stops reading as soon as
 * its consumer stops.
 */
final class H2Chunks implements Iterator<H2Chunks.Row> {

    /** One stored row. */
    record Row(String id, long lastModified, String data) {
    }

    static final int CHUNK = 1000;

    private final Tx tx;
    private final SqlPart where;
    private final boolean byLastModified;
    private final boolean descending;
    private final ArrayDeque<Row> buffer = new ArrayDeque<>();
    private int chunk;
    private boolean exhausted;
    private String lastId;
    private Long boundary;
    private Set<String> idsAtBoundary = new HashSet<>();

    H2Chunks(Tx tx, SqlPart where, boolean byLastModified, boolean descending, int firstChunk) {
        this.tx = tx;
        this.where = where;
        this.byLastModified = byLastModified;
        this.descending = descending;
        this.chunk = Math.max(1, firstChunk);
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && !exhausted) {
            fetch();
        }
        return !buffer.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }

    private void fetch() {
        StringBuilder sql = new StringBuilder("SELECT id, last_modified, data FROM objects").append(where.sql());
        Object extra = null;
        if (byLastModified) {
            String d = descending ? " DESC" : " ASC";
            if (boundary != null) {
                sql.append(descending ? " AND last_modified <= ?" : " AND last_modified >= ?");
                extra = boundary;
            }
            // The equality-bound prefix columns are repeated so that H2 reads the
            // (parent_id, resource_name, last_modified) index in order and stops at the LIMIT.
            sql.append(" ORDER BY parent_id").append(d).append(", resource_name").append(d).append(", last_modified").append(d);
        } else {
            if (lastId != null) {
                sql.append(" AND id > ?");
                extra = lastId;
            }
            sql.append(" ORDER BY parent_id, resource_name, id");
        }
        sql.append(" LIMIT ").append(chunk);
        Query q = tx.handle().createQuery(sql.toString());
        int next = where.bindTo(q);
        if (extra != null) {
            q.bind(next, extra);
        }
        List<Row> rows = q.map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3))).list();
        exhausted = rows.size() < chunk;
        if (rows.isEmpty()) {
            return;
        }
        if (!byLastModified) {
            buffer.addAll(rows);
            lastId = rows.get(rows.size() - 1).id();
            chunk = Math.max(chunk, CHUNK);
            return;
        }
        int added = 0;
        for (Row row : rows) {
            if (boundary == null || row.lastModified() != boundary || !idsAtBoundary.contains(row.id())) {
                buffer.add(row);
                added++;
            }
        }
        long last = rows.get(rows.size() - 1).lastModified();
        if (boundary == null || last != boundary) {
            idsAtBoundary = new HashSet<>();
        }
        boundary = last;
        for (Row row : rows) {
            if (row.lastModified() == last) {
                idsAtBoundary.add(row.id());
            }
        }
        // More rows share one timestamp than a chunk holds: read wider next time.
        chunk = added == 0 ? chunk * 2 : Math.max(chunk, CHUNK);
    }
}
