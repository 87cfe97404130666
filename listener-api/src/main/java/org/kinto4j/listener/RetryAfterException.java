package org.kinto4j.listener;

import java.time.Duration;

/**
 * Thrown by a listener whose target asked to be called again later (an HTTP {@code 429} or
 * {@code 503} with {@code Retry-After}, a rate limit, a maintenance window).
 *
 * <p>In {@code durable} delivery the event is retried no sooner than {@link #delay()} from now
 * (and no sooner than the instance's backoff would have retried it); the attempt counts towards
 * {@code retry.max_attempts} like any other failure, so a target that keeps asking for more time
 * still ends in the dead letters. Nothing after the event is delivered meanwhile (commit order
 * holds). In the other delivery modes it is an ordinary exception.
 *
 * @since 0.2 (listener API additions are new types and default methods only)
 */
public class RetryAfterException extends Exception {

    private final Duration delay;

    /**
     * @param message why the target refused, for logs and the operations endpoint
     * @param delay   how long the target asked to wait; negative values count as zero
     */
    public RetryAfterException(String message, Duration delay) {
        super(message);
        this.delay = delay.isNegative() ? Duration.ZERO : delay;
    }

    /** How long the target asked to wait before the next attempt. */
    public Duration delay() {
        return delay;
    }
}
