package org.kinto4j.server.storage;

/**
 * A write that collides with stored state (an object created twice, a unique timestamp taken):
 * neutral, so callers decide the answer (the HTTP edge answers Kinto's 409).
 */
public final class StorageConflict extends RuntimeException {

    public StorageConflict(String message) {
        super(message);
    }
}
