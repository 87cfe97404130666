package org.kinto4j.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The {@code outbox} table of durable delivery: rows appended in a writer's own transaction, read
 * back in commit (seq) order by the instance's dispatcher, and what operators ask and do (backlog,
 * dead letters, requeue), plus the removal of delivered rows kept long enough.
 *
 * <p>A delivered row is not updated: each instance has a delivered mark ({@code
 * outbox_leases.delivered_through}), and every row up to it is delivered, or dead-lettered
 * ({@code status = 'dead'}). That holds because seq order is commit order: outbox writers are
 * serialised until their commit (the write gate on H2, an advisory lock on PostgreSQL), so no row
 * can commit behind one already read. The updates only the lease holder may make (the mark,
 * retry, dead letter) are in {@link OutboxLeases}, fenced.
 */
public final class OutboxStore {

    /** Advisory lock key that serialises outbox writers on PostgreSQL ("kinto4j-outbox"). */
    private static final long ADVISORY_LOCK_KEY = 0x6b696e746f346aL;
    /** Rows per {@code INSERT} statement (a replay appends thousands; PostgreSQL binds at most 65,535 values). */
    private static final int ROWS_PER_INSERT = 500;
    private static final String INSERT_COLUMNS =
            "INSERT INTO outbox (event_id, listener, payload, created_at, status, attempts, next_attempt_at) ";
    private static final String PLAIN_INSERT_ONE_ROW = plainInsertOf(1);
    private static final String LOCKING_INSERT_ONE_ROW = lockingInsertOf(1);

    /** One outbox row. */
    public record OutboxRow(long seq, String eventId, String listener, String payload, long createdAt, String status,
            int attempts, long nextAttemptAt, String lastError) {
    }

    /** Backlog figures of one instance for the operations endpoint; {@code retryingError}: the last error of the event being retried. */
    public record Backlog(long pending, Long oldestPendingAgeMillis, long dead, long deliveredKept, String retryingError) {
    }

    /**
     * What an instance has left to deliver: the first rows after its delivered mark, and the mark
     * (every row up to that seq is delivered or dead-lettered), read with them: 0 when no row is
     * left.
     */
    public record Queue(long deliveredThrough, List<OutboxRow> rows) {
    }

    /** A row to append: pending, first attempt due at {@code createdAt}. */
    public record NewRow(String eventId, String listener, String payload, long createdAt) {
    }

    private final Jdbi jdbi;
    private final LongSupplier clock;

    public OutboxStore(Jdbi jdbi, LongSupplier clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    // ---- in a writer's transaction ----------------------------------------------------------

    /**
     * Appends pending rows in the transaction of {@code tx} (already writing), just before its
     * commit. On PostgreSQL it first takes the writers' transaction-scoped advisory lock, so seq
     * order is commit order even with several writers and processes, and queues the notification
     * other processes' dispatchers receive at commit ({@link OutboxNotifications}), signed with
     * {@code process} (this process's id, so that its own dispatcher, woken directly, ignores it).
     */
    public static void append(Tx tx, String process, List<NewRow> rows) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            insert(tx, from == 0 ? process : null, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT)));
        }
    }

    /**
     * One {@code INSERT} of rows in their order; on PostgreSQL with {@code process}, in the same
     * statement (one round trip), the writers' lock, taken before the rows and their seq are made,
     * and the notification other processes' dispatchers receive at commit. Plain JDBC, not Jdbi:
     * on H2 this runs under the write gate, where Jdbi's argument binding took as long as the
     * insert itself (profile of record POSTs with a durable webhook, bench/RESULTS.md).
     */
    private static void insert(Tx tx, String process, List<NewRow> rows) {
        boolean lock = process != null && tx.dialect() == Dialect.POSTGRESQL;
        try (PreparedStatement insert = tx.handle().getConnection()
                .prepareStatement(lock ? lockingInsert(rows.size()) : plainInsert(rows.size()))) {
            int p = 1;
            if (lock) {
                insert.setLong(p++, ADVISORY_LOCK_KEY);
                insert.setString(p++, OutboxNotifications.CHANNEL);
                insert.setString(p++, process);
            }
            for (NewRow r : rows) {
                insert.setString(p++, r.eventId());
                insert.setString(p++, r.listener());
                insert.setString(p++, r.payload());
                insert.setLong(p++, r.createdAt());
                if (!lock) {
                    insert.setLong(p++, r.createdAt());
                }
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not append " + rows.size() + " row(s) to the outbox: "
                    + e.getMessage(), e);
        }
    }

    private static String plainInsert(int rows) {
        return rows == 1 ? PLAIN_INSERT_ONE_ROW : plainInsertOf(rows);
    }

    private static String lockingInsert(int rows) {
        return rows == 1 ? LOCKING_INSERT_ONE_ROW : lockingInsertOf(rows);
    }

    /**
     * Rows as plain {@code VALUES} (each row binds its creation time twice: it is also when its
     * first attempt is due). Not {@code INSERT ... SELECT}: H2 runs that through its query engine,
     * a third of the append's time in a profile of record POSTs with a durable webhook.
     */
    private static String plainInsertOf(int rows) {
        return INSERT_COLUMNS + "VALUES " + String.join(", ", Collections.nCopies(rows,
                "(?, ?, ?, CAST(? AS BIGINT), 'pending', 0, CAST(? AS BIGINT))"));
    }

    /** The lock and notification in a {@code WITH}, joined to the rows: PostgreSQL runs them first. */
    private static String lockingInsertOf(int rows) {
        return "WITH locked AS (SELECT pg_advisory_xact_lock(?) AS l, pg_notify(?, ?) AS n) " + INSERT_COLUMNS
                + "SELECT v.event_id, v.listener, v.payload, v.created_at, 'pending', 0, v.created_at FROM locked, "
                + "(VALUES " + String.join(", ", Collections.nCopies(rows, "(?, ?, ?, CAST(? AS BIGINT))"))
                + ") AS v (event_id, listener, payload, created_at)";
    }

    /**
     * Takes, in the transaction of {@code tx} (already writing), the lock every outbox writer
     * takes before its commit: the write gate on H2 (taken by {@link Tx#beginWrite}), the
     * writers' advisory lock on PostgreSQL. Writers committing after wait for this transaction.
     */
    public static void lockWriters(Tx tx) {
        if (tx.dialect() == Dialect.POSTGRESQL) {
            tx.handle().createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?)) AS locked")
                    .bind(0, ADVISORY_LOCK_KEY).mapTo(Integer.class).one();
        }
    }

    // ---- delivery -------------------------------------------------------------------------

    /**
     * The instance's first {@code limit} rows after its delivered mark, and the mark, in one
     * statement (one round trip and one transaction on PostgreSQL, where a round is often one
     * event). The queries on one instance and status say {@code ORDER BY listener, status, seq},
     * the columns of the index they read: with {@code ORDER BY seq} alone H2 does not see that the
     * index is already in that order, and reads and sorts every matching row before it returns the
     * first (seconds for the 100,000 delivered rows of a busy instance, on its delivery thread). A
     * join with {@code outbox_leases} instead of the subqueries has H2 read and sort every row after
     * the mark.
     */
    public Queue pending(String listener, int limit) {
        String mark = "(SELECT delivered_through FROM outbox_leases WHERE listener = :l)";
        long[] through = {0};
        List<OutboxRow> rows = jdbi.withHandle(h -> h.createQuery("SELECT seq, event_id, listener, payload, created_at, "
                        + "status, attempts, next_attempt_at, last_error, " + mark + " FROM outbox WHERE listener = :l "
                        + "AND status = 'pending' AND seq > COALESCE(" + mark + ", 0) ORDER BY listener, status, seq")
                .bind("l", listener).setMaxRows(limit).map((rs, ctx) -> {
                    through[0] = rs.getLong(10);
                    return row(rs, ctx);
                }).list());
        return new Queue(through[0], rows);
    }

    /** The instance's delivered mark; {@code timeoutSeconds} 0: no time limit. */
    private static long deliveredThrough(Handle h, String listener, int timeoutSeconds) {
        return h.createQuery("SELECT delivered_through FROM outbox_leases WHERE listener = ?")
                .setQueryTimeout(timeoutSeconds).bind(0, listener).mapTo(Long.class).findFirst().orElse(0L);
    }

    /**
     * Deletes the instance's rows up to {@code deliveredThrough} (a delivered mark it had a while
     * ago) that are not dead letters, and rows of the earlier format (marked one by one, {@code
     * status = 'delivered'}) delivered before {@code before}; returns how many. Both are one range
     * of the index, read from its start.
     */
    public int deleteDelivered(String listener, long deliveredThrough, long before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM outbox WHERE listener = ? AND status = 'pending' "
                        + "AND seq <= ?").bind(0, listener).bind(1, deliveredThrough).execute()
                + h.createUpdate("DELETE FROM outbox WHERE listener = ? AND status = 'delivered' AND delivered_at < ?")
                        .bind(0, listener).bind(1, before).execute());
    }

    // ---- operations -----------------------------------------------------------------------

    /** Rows after the delivered mark {@code :t} still to deliver (not dead letters): one index range. */
    private static final String WAITING = "FROM outbox WHERE listener = :l AND status = 'pending' AND seq > :t";

    /**
     * One index range per status and side of the delivered mark: the delivered rows kept for
     * {@code durable.keep_delivered} (an hour by default, a million rows at a few hundred events a
     * second) are counted from the index alone, and neither they nor their payloads are read to
     * find the pending and dead ones.
     */
    public Backlog backlog(String listener) {
        return jdbi.withHandle(h -> {
            long through = deliveredThrough(h, listener, 0);
            return h.createQuery("SELECT "
                            + "(SELECT COUNT(*) " + WAITING + "), "
                            + "(SELECT MIN(created_at) " + WAITING + "), "
                            + "(SELECT COUNT(*) FROM outbox WHERE listener = :l AND status = 'dead'), "
                            + "(SELECT COUNT(*) FROM outbox WHERE listener = :l AND status = 'pending' AND seq <= :t) "
                            + "+ (SELECT COUNT(*) FROM outbox WHERE listener = :l AND status = 'delivered'), "
                            + "(SELECT last_error " + WAITING + " AND last_error IS NOT NULL "
                            + "ORDER BY listener, status, seq LIMIT 1)")
                    .bind("l", listener).bind("t", through).map((rs, ctx) -> {
                        long oldest = rs.getLong(2);
                        Long age = rs.wasNull() || oldest <= 0 ? null : Math.max(0, clock.getAsLong() - oldest);
                        return new Backlog(rs.getLong(1), age, rs.getLong(3), rs.getLong(4), rs.getString(5));
                    }).one();
        });
    }

    /** How many rows an instance has left to deliver, and when the oldest was appended ({@code null}: none). */
    public record Waiting(long count, Long oldestCreatedAt) {
    }

    /**
     * {@link Backlog#pending} and the oldest row's creation time alone, for metrics scraped often:
     * two indexed queries, each given at most {@code timeoutSeconds}.
     */
    public Waiting waiting(String listener, int timeoutSeconds) {
        return jdbi.withHandle(h -> {
            long through = deliveredThrough(h, listener, timeoutSeconds);
            return h.createQuery("SELECT COUNT(*), MIN(created_at) " + WAITING).setQueryTimeout(timeoutSeconds)
                    .bind("l", listener).bind("t", through)
                    .map((rs, ctx) -> new Waiting(rs.getLong(1), rs.getObject(2, Long.class))).one();
        });
    }

    /** The instance's first {@code limit} dead letters, in seq order. */
    public List<OutboxRow> deadLetters(String listener, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, event_id, listener, payload, created_at, status, attempts, "
                        + "next_attempt_at, last_error FROM outbox WHERE listener = ? AND status = 'dead' "
                        + "ORDER BY listener, status, seq")
                .bind(0, listener).setMaxRows(limit).map(OutboxStore::row).list());
    }

    /**
     * Puts dead letters back in the queue (all of them, or one event id) in the transaction of
     * {@code tx} (already writing): each becomes a new pending row at the queue's end, with its
     * event id, payload and creation time, due at {@code now}, in the order they were queued
     * first; the dead row goes. A row behind the delivered mark would never be read again, so a
     * re-queued event is appended like a new one, under the writers' lock. Returns how many.
     */
    public static int requeue(Tx tx, String listener, String eventId, long now) {
        lockWriters(tx);
        String which = "listener = ? AND status = 'dead'" + (eventId == null ? "" : " AND event_id = ?");
        var copy = tx.handle().createUpdate("INSERT INTO outbox (event_id, listener, payload, created_at, status, attempts, "
                + "next_attempt_at) SELECT event_id, listener, payload, created_at, 'pending', 0, ? FROM outbox WHERE "
                + which + " ORDER BY seq").bind(0, now).bind(1, listener);
        var delete = tx.handle().createUpdate("DELETE FROM outbox WHERE " + which).bind(0, listener);
        if (eventId != null) {
            copy.bind(2, eventId);
            delete.bind(1, eventId);
        }
        int copied = copy.execute();
        delete.execute();
        return copied;
    }

    private static OutboxRow row(ResultSet rs, StatementContext ctx) throws SQLException {
        return new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getInt(7), rs.getLong(8), rs.getString(9));
    }
}
