package org.kinto4j.server.storage;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.errors.ServiceError;

/**
 * One database transaction: a whole HTTP request (or a whole batch). The connection is taken
 * from the pool on first use, in autocommit: reads before the first write run as single
 * statements (the isolation is READ COMMITTED, so a transaction would give them no more
 * consistency) and a request that only reads sends no {@code BEGIN} or {@code COMMIT}. The
 * first write ({@link #beginWrite()}) opens the transaction. With the embedded H2 database, it joins the
 * {@link WriteGroup}: it takes the process-wide write gate, held until commit or rollback (so
 * writers never race on a collection timestamp), and from then on works in the transaction the
 * group's writers share, under a savepoint of its own.
 */
public final class Tx implements AutoCloseable {

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final WriteGroup writeGroup;
    private final Runnable awaitDurable;
    private final List<Runnable> beforeCommit = new ArrayList<>();
    private final List<Runnable> afterEnd = new ArrayList<>();
    private Handle handle;
    private WriteGroup.Member member;
    private boolean writing;

    Tx(Jdbi jdbi, Dialect dialect, WriteGroup writeGroup, Runnable awaitDurable) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.writeGroup = writeGroup;
        this.awaitDurable = awaitDurable;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Handle handle() {
        if (member != null) {
            return member.handle();
        }
        if (handle == null) {
            try {
                handle = jdbi.open();
            } catch (RuntimeException e) {
                if (handle != null) {
                    handle.close();
                    handle = null;
                }
                throw ServiceError.unavailable("Storage is unavailable: " + rootMessage(e) + ".").retryAfter(3);
            }
        }
        return handle;
    }

    /** Marks the transaction as writing; on H2 waits for the write gate and joins the write group. Idempotent. */
    public void beginWrite() {
        if (writing) {
            return;
        }
        if (writeGroup == null) {
            throw new IllegalStateException("A write in a read-only transaction (Transactions.readOnly)");
        }
        Handle own = handle();
        if (dialect.serialisesWritesInProcess()) {
            member = writeGroup.join(own);
            if (member.adoptedOwn()) {
                handle = null;
            }
        } else if (!own.isInTransaction()) {
            own.begin();
        }
        writing = true;
    }

    public boolean isWriting() {
        return writing;
    }

    /** Work to run just before the commit, in registration order (the outbox inserts). */
    public void beforeCommit(Runnable action) {
        beforeCommit.add(action);
    }

    /** Work to run once the transaction has ended, committed or not (cache invalidation). */
    public void afterEnd(Runnable action) {
        afterEnd.add(action);
    }

    private void runAfterEnd() {
        for (Runnable r : afterEnd) {
            r.run();
        }
        afterEnd.clear();
    }

    /**
     * Commits; a transaction that wrote returns once its writes are durable (on H2 after the
     * group commit, which waits outside the write gate so the next writer can go on).
     */
    public void commit() {
        boolean wrote = writing;
        try {
            for (Runnable r : beforeCommit) {
                r.run();
            }
            beforeCommit.clear();
            if (member != null) {
                leaveGroup(true);
            }
            if (handle != null && handle.isInTransaction()) {
                handle.commit();
            }
        } finally {
            leaveGroup(false);
            runAfterEnd();
        }
        if (wrote) {
            awaitDurable.run();
        }
    }

    public void rollback() {
        beforeCommit.clear();
        try {
            leaveGroup(false);
            if (handle != null && handle.isInTransaction()) {
                handle.rollback();
            }
        } finally {
            runAfterEnd();
        }
    }

    /** Leaves the write group (H2), keeping this transaction's writes or undoing them; idempotent. */
    private void leaveGroup(boolean keep) {
        WriteGroup.Member m = member;
        if (m != null) {
            member = null;
            m.leave(keep);
        }
        writing = false;
    }

    @Override
    public void close() {
        try {
            leaveGroup(false);
            if (handle != null) {
                if (handle.isInTransaction()) {
                    handle.rollback();
                }
                handle.close();
            }
        } finally {
            handle = null;
            runAfterEnd();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
