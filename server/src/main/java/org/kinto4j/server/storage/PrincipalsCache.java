package org.kinto4j.server.storage;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Users' group principals kept in memory. Every membership change, in this process or (through
 * {@link PgNotifications}) in another one sharing the database, clears it. While the cache is
 * off (PostgreSQL notifications not listening: at start, or the connection was lost) nothing is
 * cached, and a loaded value is stored only when no change happened while it was being read
 * (the generation did not move).
 */
final class PrincipalsCache implements PgNotifications.Subscriber {

    /** The channel membership changes are announced on. */
    static final String CHANNEL = "kinto4j_principals";

    private final Map<String, Set<String>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean on;

    PrincipalsCache(boolean on) {
        this.on = on;
    }

    boolean isOn() {
        return on;
    }

    Set<String> get(String userId) {
        return on ? entries.get(userId) : null;
    }

    long generation() {
        return generation.get();
    }

    /** Stores what was read since {@code readAt}, unless a change came meanwhile or the cache is off. */
    void put(String userId, Set<String> principals, long readAt) {
        if (on && generation.get() == readAt) {
            entries.put(userId, principals);
            if (generation.get() != readAt || !on) {
                entries.remove(userId);
            }
        }
    }

    void invalidate() {
        generation.incrementAndGet();
        entries.clear();
    }

    @Override
    public void onNotification(String payload) {
        invalidate();
    }

    @Override
    public void onListening(boolean listening) {
        if (!listening) {
            on = false;
        }
        invalidate();
        if (listening) {
            on = true;
        }
    }
}
