package org.kinto4j.server.events;

import java.util.List;
import java.util.Optional;
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
        return jdbi.withHandle(h -> {
            long pending = h.createQuery("SELECT COUNT(*) FROM outbox WHERE listener = ? AND status = 'pending'")
                    .bind(0, instance).mapTo(Long.class).one();
            Optional<Long> oldest = h.createQuery("SELECT MIN(created_at) FROM outbox WHERE listener = ? AND status = 'pending'")
                    .bind(0, instance).mapTo(Long.class).findOne();
            long dead = h.createQuery("SELECT COUNT(*) FROM outbox WHERE listener = ? AND status = 'dead'")
                    .bind(0, instance).mapTo(Long.class).one();
            long kept = h.createQuery("SELECT COUNT(*) FROM outbox WHERE listener = ? AND status = 'delivered'")
                    .bind(0, instance).mapTo(Long.class).one();
            Long age = oldest.filter(v -> v != null && v > 0).map(v -> Math.max(0, clock.getAsLong() - v)).orElse(null);
            return new Backlog(pending, age, dead, kept);
        });
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
