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
 * lease (SIGSTOP, a long GC) asks again before delivering anything. While held, the lease is
 * renewed by {@link #heartbeat()} even during a long listener call.
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
    synchronized boolean hold() {
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
    synchronized long token() {
        return token;
    }

    String owner() {
        return owner;
    }

    /** The database refused an update or a renewal: another process holds the lease now. */
    synchronized void lost(String consequence) {
        if (held) {
            LOG.warn("Durable delivery of listener '{}': this process ({}) lost its lease to another process "
                    + "(paused or cut off longer than durable.claim_timeout); {}", listener, owner, consequence);
        }
        held = false;
    }

    /**
     * Renews a held lease from the dispatcher's heartbeat thread, so a listener call longer than
     * claim_timeout does not hand the lease over; a paused process stops renewing too.
     */
    synchronized void heartbeat() {
        if (!held) {
            return;
        }
        try {
            long asked = System.nanoTime();
            Optional<OutboxLeases.Lease> lease = leases.acquire(listener, owner, duration);
            if (lease.isEmpty() || lease.get().token() != token) {
                lost("delivery stops at the end of the current call");
                return;
            }
            deadlineNanos = asked + lease.get().remainingMillis() * 1_000_000;
        } catch (RuntimeException e) {
            LOG.debug("Could not renew the lease of '{}': {}", listener, e.toString());
        }
    }

    synchronized void release() {
        try {
            leases.release(listener, owner);
        } catch (RuntimeException e) {
            LOG.debug("Could not release lease of '{}': {}", listener, e.toString());
        }
    }
}
