package org.kinto4j.listener;

import java.util.Locale;

/** When and how a listener instance receives its events; chosen with {@code delivery = ...}. */
public enum Delivery {
    /**
     * On the request thread, after the change and before the commit, inside the request's
     * transaction (Kinto's {@code ResourceChanged}). An exception rolls the request back.
     */
    IN_TRANSACTION,
    /**
     * On the request thread, right after the commit, before the response is written (Kinto's
     * {@code AfterResourceChanged}). Exceptions are logged; the response is unaffected.
     */
    AFTER_COMMIT,
    /**
     * From the transactional outbox, by a background dispatcher: an event exists if and only if
     * its change committed; delivered at least once, in commit order, retried with backoff, then
     * dead-lettered.
     */
    DURABLE;

    /** The configuration spelling: {@code in_transaction}, {@code after_commit}, {@code durable}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the configuration spelling.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Delivery fromValue(String value) {
        for (Delivery d : values()) {
            if (d.value().equals(value)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + value
                + "' is not a delivery mode; valid modes are in_transaction, after_commit, durable");
    }
}
