package org.kinto4j.server.events;

import java.time.Duration;
import java.util.Optional;
import org.kinto4j.server.storage.OutboxLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One durable instance's view of its delivery lease in this process: asks the database
 * ({@link OutboxLeases}) once a third of the lease has passed, and otherwise trusts a deadline on
 * the monotonic clock measured from before the database answered, so a process paused past its
 * lease (SIGSTOP, a long GC) asks again before delivering anything.
 */
final class LeaseHolder {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseHolder.class);

    private final OutboxLeases leases;
    private final String listener;
    private final String owner;
    private final Duration duration;
    private boolean held;
    private long token;
    private long deadlineNanos;

    LeaseHolder(OutboxLeases leases, String listener, String owner, Duration duration) {
        this.leases = leases;
        this.listener = listener;
        this.owner = owner;
        this.duration = duration;
    }

    /** Whether this process holds the lease now (renewing or taking it when due). */
    boolean hold() {
        long asked = System.nanoTime();
        if (held && (deadlineNanos - asked) / 1_000_000 > duration.toMillis() * 2 / 3) {
            return true;
        }
        Optional<OutboxLeases.Lease> lease = leases.acquire(listener, owner, duration);
        if (lease.isEmpty()) {
            lost("delivery stops here");
            return false;
        }
        if (!held || lease.get().token() != token) {
            LOG.info("Durable delivery of listener '{}' is handled by this process ({})", listener, owner);
        }
        held = true;
        token = lease.get().token();
        deadlineNanos = asked + lease.get().remainingMillis() * 1_000_000;
        return true;
    }

    /** The fencing token to pass with every outbox update. */
    long token() {
        return token;
    }

    String owner() {
        return owner;
    }

    /** The database refused an update or a renewal: another process holds the lease now. */
    void lost(String consequence) {
        if (held) {
            LOG.warn("Durable delivery of listener '{}': this process ({}) lost its lease to another process "
                    + "(paused or cut off longer than durable.claim_timeout); {}", listener, owner, consequence);
        }
        held = false;
    }

    void release() {
        try {
            leases.release(listener, owner);
        } catch (RuntimeException e) {
            LOG.debug("Could not release lease of '{}': {}", listener, e.toString());
        }
    }
}
