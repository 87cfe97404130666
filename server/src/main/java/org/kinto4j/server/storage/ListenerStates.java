package org.kinto4j.server.storage;

import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code listener_state} table: one row per durable listener instance, created when first
 * needed, holding whether its target disabled it and the last replay it received.
 */
public final class ListenerStates {

    /** One instance's stored state. */
    public record State(boolean disabled, String disabledReason, Long disabledAt, Long replayFrom, Long replayedAt,
            Long replayedEvents) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final LongSupplier clock;

    public ListenerStates(Jdbi jdbi, Dialect dialect, LongSupplier clock) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.clock = clock;
    }

    public Optional<State> get(String listener) {
        return jdbi.withHandle(h -> h.createQuery("SELECT disabled, disabled_reason, disabled_at, replay_from, "
                        + "replayed_at, replayed_events FROM listener_state WHERE listener = ?")
                .bind(0, listener)
                .map((rs, ctx) -> new State(rs.getBoolean(1), rs.getString(2), (Long) rs.getObject(3, Long.class),
                        rs.getObject(4, Long.class), rs.getObject(5, Long.class), rs.getObject(6, Long.class)))
                .findOne());
    }

    /** Marks the instance disabled, now, for {@code reason}, in a transaction of its own. */
    public void disable(String listener, String reason) {
        jdbi.useTransaction(h -> {
            ensureRow(h, listener);
            h.createUpdate("UPDATE listener_state SET disabled = TRUE, disabled_reason = ?, disabled_at = ? "
                    + "WHERE listener = ?").bind(0, reason).bind(1, clock.getAsLong()).bind(2, listener).execute();
        });
    }

    /** Clears the disabled mark; returns whether the instance was disabled. */
    public boolean enable(String listener) {
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE listener_state SET disabled = FALSE, disabled_reason = NULL, "
                + "disabled_at = NULL WHERE listener = ? AND disabled = TRUE").bind(0, listener).execute());
        return n > 0;
    }

    /** Records a replay of {@code events} events since {@code from}, now, in the transaction of {@code tx}. */
    public void recordReplay(Tx tx, String listener, long from, long events) {
        Handle h = tx.handle();
        ensureRow(h, listener);
        h.createUpdate("UPDATE listener_state SET replay_from = ?, replayed_at = ?, replayed_events = ? WHERE listener = ?")
                .bind(0, from).bind(1, clock.getAsLong()).bind(2, events).bind(3, listener).execute();
    }

    private void ensureRow(Handle h, String listener) {
        if (dialect == Dialect.POSTGRESQL) {
            h.createUpdate("INSERT INTO listener_state (listener) VALUES (?) ON CONFLICT (listener) DO NOTHING")
                    .bind(0, listener).execute();
        } else if (h.createQuery("SELECT COUNT(*) FROM listener_state WHERE listener = ?").bind(0, listener)
                .mapTo(Integer.class).one() == 0) {
            h.createUpdate("INSERT INTO listener_state (listener) VALUES (?)").bind(0, listener).execute();
        }
    }
}
