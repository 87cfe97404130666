package org.kinto4j.server.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.http.KintoException;

/**
 * One database transaction: a whole HTTP request (or a whole batch). The connection is taken
 * from the pool on first use. With the embedded H2 database, the first write takes the
 * process-wide write gate, held until commit or rollback, so writers never race on a
 * collection timestamp.
 */
public final class Tx implements AutoCloseable {

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final ReentrantLock writeGate;
    private final Runnable awaitDurable;
    private final List<Runnable> beforeCommit = new ArrayList<>();
    private final List<Runnable> afterEnd = new ArrayList<>();
    private Handle handle;
    private boolean writing;

    Tx(Jdbi jdbi, Dialect dialect, ReentrantLock writeGate, Runnable awaitDurable) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.writeGate = writeGate;
        this.awaitDurable = awaitDurable;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Handle handle() {
        if (handle == null) {
            try {
                handle = jdbi.open();
                handle.begin();
            } catch (RuntimeException e) {
                if (handle != null) {
                    handle.close();
                    handle = null;
                }
                throw KintoException.backend("Storage is unavailable: " + rootMessage(e) + ".")
                        .withHeader("Retry-After", "3");
            }
        }
        return handle;
    }

    /** Marks the transaction as writing; on H2 waits for the write gate. Idempotent. */
    public void beginWrite() {
        if (writing) {
            return;
        }
        if (dialect.serialisesWritesInProcess()) {
            try {
                if (!writeGate.tryLock(30, TimeUnit.SECONDS)) {
                    throw KintoException.backend("Storage is busy: no write slot within 30 s.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KintoException.backend("Interrupted while waiting for a write slot.");
            }
        }
        writing = true;
        handle();
    }

    public boolean isWriting() {
        return writing;
    }

    /** Work to run just before the commit, in registration order (the outbox inserts). */
    public void beforeCommit(Runnable action) {
        beforeCommit.add(action);
    }

    /**
     * Commits; a transaction that wrote returns once its writes are durable (on H2 after the
     * group commit, which waits outside the write gate so the next writer can go on).
     */
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

    public void commit() {
        boolean wrote = writing;
        try {
            for (Runnable r : beforeCommit) {
                r.run();
            }
            beforeCommit.clear();
            if (handle != null) {
                handle.commit();
            }
        } finally {
            releaseGate();
            runAfterEnd();
        }
        if (wrote) {
            awaitDurable.run();
        }
    }

    public void rollback() {
        beforeCommit.clear();
        try {
            if (handle != null) {
                handle.rollback();
            }
        } finally {
            releaseGate();
            runAfterEnd();
        }
    }

    private void releaseGate() {
        if (writing && dialect.serialisesWritesInProcess() && writeGate.isHeldByCurrentThread()) {
            writeGate.unlock();
        }
        writing = false;
    }

    @Override
    public void close() {
        try {
            if (handle != null) {
                if (handle.isInTransaction()) {
                    handle.rollback();
                }
                handle.close();
            }
        } finally {
            handle = null;
            releaseGate();
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
