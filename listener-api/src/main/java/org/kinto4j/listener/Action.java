package org.kinto4j.listener;

import java.util.Locale;

/** What happened to the objects of a {@link ResourceEvent}. Kinto's four actions. */
public enum Action {
    /** Objects were created (POST, PUT on a missing object, implicit default-bucket creation). */
    CREATE,
    /** Objects were replaced or patched (PUT on an existing object, PATCH). */
    UPDATE,
    /** Objects were deleted (single or plural DELETE); the new value is the tombstone. */
    DELETE,
    /** Objects were read. Only delivered to instances whose {@code actions} include {@code read}. */
    READ;

    /** The lower-case name used by Kinto in payloads and settings: {@code create}, {@code update}, ... */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses Kinto's lower-case action name.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Action fromValue(String value) {
        for (Action a : values()) {
            if (a.value().equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "'" + value + "' is not an action; valid actions are create, update, delete, read");
    }
}
