package org.kinto4j.server.events;

/** An in_transaction listener threw: the request is rolled back and answered 500. */
public final class ListenerFailure extends RuntimeException {

    private final String instance;
    private final String eventId;

    public ListenerFailure(String instance, String eventId, Throwable cause) {
        super("listener '" + instance + "' failed on event " + eventId + ": " + cause, cause);
        this.instance = instance;
        this.eventId = eventId;
    }

    public String instance() {
        return instance;
    }

    public String eventId() {
        return eventId;
    }
}
