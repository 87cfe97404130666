package org.kinto4j.server.events;

import java.util.List;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.events.DurableDispatcher.Backlog;
import org.kinto4j.server.events.DurableDispatcher.OutboxRow;

/** Read-only questions operators ask about an instance's outbox rows: backlog and dead letters. */
final class OutboxQueries {

    private final Jdbi jdbi;
    private final LongSupplier clock;

    OutboxQueries(Jdbi jdbi, LongSupplier clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    Backlog backlog(String instance) {
        return jdbi.withHandle(h -> h.createQuery("SELECT "
                        + "COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), "
                        + "MIN(CASE WHEN status = 'pending' THEN created_at END), "
                        + "COALESCE(SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END), 0), "
                        + "COALESCE(SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), 0), "
                        + "(SELECT last_error FROM outbox WHERE listener = :l AND status = 'pending' AND last_error IS NOT NULL "
                        + "ORDER BY seq LIMIT 1) FROM outbox WHERE listener = :l")
                .bind("l", instance).map((rs, ctx) -> {
                    long oldest = rs.getLong(2);
                    Long age = rs.wasNull() || oldest <= 0 ? null : Math.max(0, clock.getAsLong() - oldest);
                    return new Backlog(rs.getLong(1), age, rs.getLong(3), rs.getLong(4), rs.getString(5));
                }).one());
    }

    List<OutboxRow> deadLetters(String instance, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, event_id, listener, payload, created_at, status, attempts, "
                        + "next_attempt_at, last_error FROM outbox WHERE listener = ? AND status = 'dead' ORDER BY seq")
                .bind(0, instance).setMaxRows(limit).map(OutboxQueries::row).list());
    }

    static OutboxRow row(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getInt(7), rs.getLong(8), rs.getString(9));
    }
}
