package org.kinto4j.server.events;

import java.util.Optional;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.storage.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database remembers about each durable instance ({@code listener_state}): whether its
 * target disabled it (a {@code 410 Gone}) and the last replay it received. Stored rather than
 * held in memory, so a disabled instance stays disabled after a restart and in every process
 * sharing the database, and a configured {@code replay_from} runs once, not at every start.
 */
public final class InstanceStates {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceStates.class);

    /** One instance's stored state. */
    public record State(boolean disabled, String disabledReason, Long disabledAt, Long replayFrom, Long replayedAt,
            Long replayedEvents) {
    }

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final LongSupplier clock;

    public InstanceStates(Jdbi jdbi, Dialect dialect, LongSupplier clock) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.clock = clock;
    }

    public Optional<State> get(String instance) {
        return jdbi.withHandle(h -> get(h, instance));
    }

    Optional<State> get(Handle h, String instance) {
        return h.createQuery("SELECT disabled, disabled_reason, disabled_at, replay_from, replayed_at, replayed_events "
                        + "FROM listener_state WHERE listener = ?")
                .bind(0, instance)
                .map((rs, ctx) -> new State(rs.getBoolean(1), rs.getString(2), (Long) rs.getObject(3, Long.class),
                        rs.getObject(4, Long.class), rs.getObject(5, Long.class), rs.getObject(6, Long.class)))
                .findOne();
    }

    public boolean isDisabled(String instance) {
        return get(instance).map(State::disabled).orElse(false);
    }

    /** Disables the instance (its target answered 410 Gone, or similar). */
    public void disable(String instance, String reason) {
        jdbi.useTransaction(h -> {
            ensureRow(h, instance);
            h.createUpdate("UPDATE listener_state SET disabled = TRUE, disabled_reason = ?, disabled_at = ? "
                    + "WHERE listener = ?").bind(0, reason).bind(1, clock.getAsLong()).bind(2, instance).execute();
        });
        LOG.error("Listener '{}' is disabled: {}. Nothing is delivered until an operator re-enables it with "
                + "POST /v1/__listeners__/{}/enable", instance, reason, instance);
    }

    /** Re-enables the instance; returns whether it was disabled. */
    public boolean enable(String instance) {
        int n = jdbi.withHandle(h -> h.createUpdate("UPDATE listener_state SET disabled = FALSE, disabled_reason = NULL, "
                + "disabled_at = NULL WHERE listener = ? AND disabled = TRUE").bind(0, instance).execute());
        if (n > 0) {
            LOG.info("Listener '{}' re-enabled by an operator", instance);
        }
        return n > 0;
    }

    /** Records a replay, inside the replay's own transaction. */
    void recordReplay(Handle h, String instance, long from, long events) {
        ensureRow(h, instance);
        h.createUpdate("UPDATE listener_state SET replay_from = ?, replayed_at = ?, replayed_events = ? WHERE listener = ?")
                .bind(0, from).bind(1, clock.getAsLong()).bind(2, events).bind(3, instance).execute();
    }

    private void ensureRow(Handle h, String instance) {
        if (dialect == Dialect.POSTGRESQL) {
            h.createUpdate("INSERT INTO listener_state (listener) VALUES (?) ON CONFLICT (listener) DO NOTHING")
                    .bind(0, instance).execute();
        } else if (h.createQuery("SELECT COUNT(*) FROM listener_state WHERE listener = ?").bind(0, instance)
                .mapTo(Integer.class).one() == 0) {
            h.createUpdate("INSERT INTO listener_state (listener) VALUES (?)").bind(0, instance).execute();
        }
    }
}
