package org.kinto4j.server.storage;

import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The lease that makes one process at a time deliver a durable listener's outbox, and the
 * outbox updates that must be made only by the lease's holder.
 *
 * <p>Time is the database's ({@code clock_timestamp()} on PostgreSQL, {@code CURRENT_TIMESTAMP}
 * on H2), never a process's own clock, so clock skew between processes cannot make two of them
 * believe they hold the lease. Every change of holder increments the lease's {@code token}; the
 * retry and dead-letter updates lock the lease row and check the token first, and the delivered
 * mark, kept in the lease row itself, moves only where owner and token still match, so a process
 * that was paused past its lease and taken over cannot change the outbox anymore (fencing).
 */
public final class OutboxLeases {

    /** A lease held: its fencing token and how long it is still valid by the database's clock. */
    public record Lease(long token, long remainingMillis) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String now;

    public OutboxLeases(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.now = dialect == Dialect.POSTGRESQL
                ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
                : "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    }

    /** The database's current time, in epoch milliseconds. */
    public long databaseNow() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + now).mapTo(Long.class).one());
    }

    /** Takes the lease when it is free or expired, or renews it when {@code owner} holds it. */
    public Optional<Lease> acquire(String listener, String owner, Duration duration) {
        return jdbi.inTransaction(h -> {
            ensureRow(h, listener);
            int updated = h.createUpdate("UPDATE outbox_leases SET token = CASE WHEN owner = :owner THEN token "
                            + "ELSE token + 1 END, owner = :owner, expires_at = " + now + " + :duration "
                            + "WHERE listener = :listener AND (owner = :owner OR expires_at < " + now + ")")
                    .bind("owner", owner).bind("duration", duration.toMillis()).bind("listener", listener).execute();
            if (updated != 1) {
                return Optional.<Lease>empty();
            }
            return h.createQuery("SELECT token, expires_at - " + now + " FROM outbox_leases WHERE listener = ?")
                    .bind(0, listener).map((rs, ctx) -> new Lease(rs.getLong(1), rs.getLong(2))).findOne();
        });
    }

    /** Gives the lease up (at shutdown), so another process takes over at once. */
    public void release(String listener, String owner) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE outbox_leases SET expires_at = 0 WHERE listener = ? AND owner = ?")
                .bind(0, listener).bind(1, owner).execute());
    }

    /** Expires every lease: the embedded database belongs to this one process, so leases left by a killed predecessor are void. */
    public void expireAll() {
        jdbi.useHandle(h -> h.createUpdate("UPDATE outbox_leases SET expires_at = 0").execute());
    }

    /**
     * Acknowledges every row up to {@code seq} (delivered or dead-lettered, in seq order) by moving
     * the instance's delivered mark: one row written, whatever the number of events; false (nothing
     * written) when the lease was lost. The mark never moves back.
     */
    public boolean markDeliveredThrough(String listener, String owner, long token, long seq) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE outbox_leases SET delivered_through = "
                        + "GREATEST(delivered_through, :seq) WHERE listener = :listener AND owner = :owner AND token = :token")
                .bind("seq", seq).bind("listener", listener).bind("owner", owner).bind("token", token).execute()) == 1;
    }

    /** Records a failed attempt to retry at {@code nextAttemptAt}; false when the lease was lost. */
    public boolean scheduleRetry(String listener, String owner, long token, long seq, int attempts, long nextAttemptAt,
            String error) {
        return fenced(listener, owner, token, h -> h.createUpdate("UPDATE outbox SET attempts = ?, next_attempt_at = ?, "
                        + "last_error = ? WHERE seq = ? AND status = 'pending'")
                .bind(0, attempts).bind(1, nextAttemptAt).bind(2, error).bind(3, seq).execute());
    }

    /** Dead-letters a row; false when the lease was lost. */
    public boolean markDead(String listener, String owner, long token, long seq, int attempts, String error) {
        return fenced(listener, owner, token, h -> h.createUpdate("UPDATE outbox SET status = 'dead', attempts = ?, "
                        + "last_error = ? WHERE seq = ? AND status = 'pending'")
                .bind(0, attempts).bind(1, error).bind(2, seq).execute());
    }

    private interface Update {
        int run(Handle h);
    }

    /** Runs the update only while the lease row (locked until the commit) still carries our owner and token. */
    private boolean fenced(String listener, String owner, long token, Update update) {
        return jdbi.inTransaction(h -> {
            boolean held = h.createQuery("SELECT token FROM outbox_leases WHERE listener = ? AND owner = ? AND token = ? "
                            + "FOR UPDATE")
                    .bind(0, listener).bind(1, owner).bind(2, token).mapTo(Long.class).findOne().isPresent();
            if (held) {
                update.run(h);
            }
            return held;
        });
    }

    private void ensureRow(Handle h, String listener) {
        if (dialect == Dialect.POSTGRESQL) {
            h.createUpdate("INSERT INTO outbox_leases (listener, owner, expires_at) VALUES (?, '', 0) "
                    + "ON CONFLICT (listener) DO NOTHING").bind(0, listener).execute();
        } else if (h.createQuery("SELECT COUNT(*) FROM outbox_leases WHERE listener = ?").bind(0, listener)
                .mapTo(Integer.class).one() == 0) {
            h.createUpdate("INSERT INTO outbox_leases (listener, owner, expires_at) VALUES (?, '', 0)")
                    .bind(0, listener).execute();
        }
    }
}
