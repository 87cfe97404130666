package org.kinto4j.server.events;

import java.util.Optional;
import org.kinto4j.server.storage.ListenerStates;
import org.kinto4j.server.storage.ListenerStates.State;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database remembers about each durable instance ({@link ListenerStates}): whether its
 * target disabled it (a {@code 410 Gone}) and the last replay it received. Stored rather than
 * held in memory, so a disabled instance stays disabled after a restart and in every process
 * sharing the database, and a configured {@code replay_from} runs once, not at every start.
 */
public final class InstanceStates {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceStates.class);

    private final ListenerStates stored;

    public InstanceStates(ListenerStates stored) {
        this.stored = stored;
    }

    public Optional<State> get(String instance) {
        return stored.get(instance);
    }

    public boolean isDisabled(String instance) {
        return get(instance).map(State::disabled).orElse(false);
    }

    /** Disables the instance (its target answered 410 Gone, or similar). */
    public void disable(String instance, String reason) {
        stored.disable(instance, reason);
        LOG.error("Listener '{}' is disabled: {}. Nothing is delivered until an operator re-enables it with "
                + "POST /v1/__listeners__/{}/enable", instance, reason, instance);
    }

    /** Re-enables the instance; returns whether it was disabled. */
    public boolean enable(String instance) {
        boolean enabled = stored.enable(instance);
        if (enabled) {
            LOG.info("Listener '{}' re-enabled by an operator", instance);
        }
        return enabled;
    }

    /** Records a replay, inside the replay's own transaction. */
    void recordReplay(Tx tx, String instance, long from, long events) {
        stored.recordReplay(tx, instance, from, events);
    }
}
