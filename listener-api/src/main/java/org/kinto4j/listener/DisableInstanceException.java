package org.kinto4j.listener;

/**
 * Thrown by a listener whose target said it wants no more events (an HTTP {@code 410 Gone}):
 * retrying would be pointless and rude.
 *
 * <p>In {@code durable} delivery the instance is <em>disabled</em>: the event stays pending (it
 * does not count as an attempt), nothing more is delivered, and the disabled state is stored in
 * the database, so it survives a restart and every process sharing the database honours it. The
 * operations endpoint shows it ({@code "disabled": true} and the reason); an operator re-enables
 * the instance with {@code POST /v1/__listeners__/NAME/enable}, and delivery resumes with that
 * same event. In the other delivery modes it is an ordinary exception.
 *
 * @since 0.2 (listener API additions are new types and default methods only)
 */
public class DisableInstanceException extends Exception {

    /** @param message why the instance is disabled; shown to operators */
    public DisableInstanceException(String message) {
        super(message);
    }
}
