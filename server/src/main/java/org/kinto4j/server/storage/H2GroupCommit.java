package org.kinto4j.server.storage;

import org.h2.mvstore.MVStore;
import org.kinto4j.server.errors.ServiceError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the embedded H2 database. H2 keeps committed transactions in memory and
 * writes them to its file later (WRITE_DELAY); a kill -9 in that window would lose
 * acknowledged writes. Writing the file on every commit (WRITE_DELAY=0) is safe but serialises
 * one file write per transaction. Instead, a writing request waits after its commit until one
 * flusher thread has written the store once more: one file write covers every transaction
 * committed meanwhile. Once written, the data is with the operating system, so a killed server
 * process loses nothing it acknowledged.
 */
final class H2GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2GroupCommit.class);

    private final MVStore store;
    private final Thread flusher;
    private long requested;
    private long completed;
    /** The last ticket a failed file write was meant to cover, and its error. */
    private long failedThrough;
    private boolean running = true;
    private RuntimeException failure;
    /** Open {@link #holdFileWrites()} handles: while any is open, no file write starts. */
    private int holds;
    /** Group commits begun, ended, and covered by a completed file write (numbered in gate order). */
    private long commitsBegun;
    private long commitsEnded;
    private long commitsDurable;

    H2GroupCommit(MVStore store) {
        this.store = store;
        this.flusher = new Thread(this::run, "kinto4j-h2-flusher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /**
     * Blocks until everything committed before this call is written to the database file; throws
     * the error of a file write that was meant to cover it and failed (not that of an earlier one).
     */
    void awaitDurable() {
        synchronized (this) {
            writeOnceMore(". The change is committed in memory but may not survive a crash.");
        }
    }

    /**
     * Asks for a file write that starts after this call and waits for it; the caller holds this
     * monitor. False when interrupted; throws the error of the write if it failed.
     */
    private boolean writeOnceMore(String consequence) {
        long ticket = ++requested;
        notifyAll();
        while (completed < ticket && failedThrough < ticket && running) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (completed < ticket && failedThrough >= ticket) {
            throw ServiceError.unavailable("The database file could not be written: " + Tx.rootMessage(failure)
                    + consequence);
        }
        return true;
    }

    /** Called under the write gate just before a group commit; returns its number. */
    synchronized long commitBegins() {
        return ++commitsBegun;
    }

    /** Called under the write gate once the commit numbered {@code commit} has returned (or failed). */
    synchronized void commitEnded(long commit) {
        commitsEnded = commit;
    }

    /**
     * Returns once every group commit begun before this call is in the file. A reader on another
     * connection sees a commit as soon as it is made, before its file write: what it read leaves
     * the process (an event) only after this. It waits for no file write when none is missing (the
     * usual case of a reader woken by a writer whose commit is durable); otherwise for the next
     * ones, which the committing writers have asked for anyway.
     */
    void awaitCommitsDurable() {
        synchronized (this) {
            long needed = commitsBegun;
            while (commitsDurable < needed && running) {
                // a commit still being made when a file write started is in the next one
                if (!writeOnceMore(".")) {
                    return;
                }
            }
        }
    }

    private void run() {
        while (true) {
            long target;
            long covered;
            synchronized (this) {
                while ((requested == completed || requested <= failedThrough || holds > 0) && running) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                target = requested;
                covered = commitsEnded;
            }
            try {
                store.commit();
                synchronized (this) {
                    completed = target;
                    commitsDurable = Math.max(commitsDurable, covered);
                    notifyAll();
                }
            } catch (RuntimeException e) {
                LOG.error("H2 could not write committed transactions to its file", e);
                synchronized (this) {
                    failedThrough = target;
                    failure = e;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Keeps the flusher from starting a file write until the returned handle is closed: commits
     * then stay in memory only, as between a commit and its file write (fault tests).
     */
    AutoCloseable holdFileWrites() {
        synchronized (this) {
            holds++;
        }
        return () -> {
            synchronized (this) {
                holds--;
                notifyAll();
            }
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        try {
            flusher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
