package org.kinto4j.server.events;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.kinto4j.listener.DisableInstanceException;
import org.kinto4j.listener.RetryAfterException;
import org.kinto4j.server.config.ListenerConfig;
import org.kinto4j.server.logging.SecretMasking;
import org.kinto4j.server.storage.OutboxLeases;
import org.kinto4j.server.storage.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What durable delivery does when a listener failed on an outbox row: schedule a retry
 * (exponential backoff with jitter, never sooner than a {@link RetryAfterException} asked),
 * dead-letter the row after {@code retry.max_attempts}, or disable the instance
 * ({@link DisableInstanceException}: the row stays pending, unchanged). Every update of a row is
 * fenced by the instance's lease: a process that lost it records nothing.
 */
final class FailedAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(FailedAttempts.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    /** What became of the row. */
    enum Outcome { RETRY_LATER, DEAD_LETTERED, INSTANCE_DISABLED, LEASE_LOST }

    private final OutboxLeases leases;
    private final LongSupplier clock;
    private final InstanceStates states;

    FailedAttempts(OutboxLeases leases, LongSupplier clock, InstanceStates states) {
        this.leases = leases;
        this.clock = clock;
        this.states = states;
    }

    Outcome record(String instance, LeaseHolder lease, ListenerConfig.RetryPolicy retry, OutboxStore.OutboxRow row,
            Exception e) {
        String error = truncate(SecretMasking.mask(e.toString()));
        if (e instanceof DisableInstanceException) {
            states.disable(instance, "event " + row.eventId() + ": " + truncate(String.valueOf(e.getMessage())));
            return Outcome.INSTANCE_DISABLED;
        }
        int attempts = row.attempts() + 1;
        if (attempts >= retry.maxAttempts()) {
            if (!leases.markDead(instance, lease.owner(), lease.token(), row.seq(), attempts, error)) {
                lease.lost("event " + row.eventId() + " was not dead-lettered");
                return Outcome.LEASE_LOST;
            }
            LOG.error("Listener '{}' failed on event {} {} times; dead-lettered (re-queue it with POST "
                    + "/v1/__listeners__/{}/requeue): {}", instance, row.eventId(), attempts, instance, error);
            return Outcome.DEAD_LETTERED;
        }
        long delay = jittered(retry.delayAfter(attempts));
        if (e instanceof RetryAfterException r) {
            delay = Math.max(delay, r.delay().toMillis());
        }
        long next = clock.getAsLong() + delay;
        if (!leases.scheduleRetry(instance, lease.owner(), lease.token(), row.seq(), attempts, next, error)) {
            lease.lost("the failed attempt on event " + row.eventId() + " was not recorded");
            return Outcome.LEASE_LOST;
        }
        LOG.warn("Listener '{}' failed on event {} (attempt {} of {}), retrying in {} ms: {}", instance, row.eventId(),
                attempts, retry.maxAttempts(), delay, error);
        return Outcome.RETRY_LATER;
    }

    /** Equal jitter: half the backoff, plus up to the other half at random, so retries of many instances spread. */
    static long jittered(Duration backoff) {
        long millis = backoff.toMillis();
        long half = millis / 2;
        return half + (millis - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(millis - half + 1));
    }

    static String truncate(String s) {
        return s.length() <= MAX_ERROR_LENGTH ? s : s.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
