package org.kinto4j.server.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.errors.ServiceError;

/**
 * The embedded H2 database's writers, one at a time (the write gate), sharing one transaction.
 * A writer joins the open shared transaction under a savepoint of its own; when it is done it
 * either keeps its work or rolls back to its savepoint, then, if another writer is already
 * waiting for the gate, hands the still open transaction over and waits; the last writer of the
 * group commits once for all, then every waiting member returns. So N concurrent writes pay for
 * one commit, and none is acknowledged before the commit that holds it (durability then comes
 * from {@link H2GroupCommit}). A failed commit fails every member that kept its work.
 */
final class WriteGroup {

    private static final int MAX_MEMBERS = 32;

    private final Jdbi jdbi;
    /** Told of each group commit, so that readers can wait for the commits they may have seen; may be null. */
    private final H2GroupCommit groupCommit;
    private final ReentrantLock gate = new ReentrantLock(true);
    private Handle shared;
    private Batch batch;
    private int members;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();

    WriteGroup(Jdbi jdbi) {
        this(jdbi, null);
    }

    WriteGroup(Jdbi jdbi, H2GroupCommit groupCommit) {
        this.jdbi = jdbi;
        this.groupCommit = groupCommit;
    }

    /** One writer's place in a group: its savepoint and the commit it waits for. */
    final class Member {
        private final String savepoint;
        private final Batch group;
        private final boolean adoptedOwn;
        private boolean left;

        private Member(String savepoint, Batch group, boolean adoptedOwn) {
            this.savepoint = savepoint;
            this.group = group;
            this.adoptedOwn = adoptedOwn;
        }

        Handle handle() {
            return shared;
        }

        /** Whether the writer's own connection became the group's (the writer must not close it). */
        boolean adoptedOwn() {
            return adoptedOwn;
        }

        /**
         * Ends this writer's part, keeping or undoing its work, and releases the gate. With
         * {@code keep}, returns once the group's commit has happened (throws if it failed).
         */
        void leave(boolean keep) {
            if (left) {
                return;
            }
            left = true;
            leaveGroup(this, keep);
            if (keep) {
                group.await();
            }
        }
    }

    /**
     * Takes the write gate and a savepoint in the shared transaction. When no group is open,
     * {@code own} (the writer's connection) opens a transaction and becomes the shared one and
     * belongs to the group from then on ({@link Member#adoptedOwn()}); so a writer never needs a
     * second pool connection while it holds the gate.
     */
    Member join(Handle own) {
        try {
            if (!gate.tryLock(30, TimeUnit.SECONDS)) {
                throw ServiceError.unavailable("Storage is busy: no write slot within 30 s.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceError.unavailable("Interrupted while waiting for a write slot.");
        }
        boolean adopted = false;
        try {
            if (shared == null) {
                if (!own.isInTransaction()) {
                    own.begin();
                }
                shared = own;
                adopted = true;
                batch = new Batch();
                members = 0;
            }
            String savepoint = "k4j_w" + members++;
            shared.savepoint(savepoint);
            return new Member(savepoint, batch, adopted);
        } catch (RuntimeException e) {
            if (adopted) {
                shared = null; // still the caller's: it rolls back and closes it
            }
            endGroup(e);
            gate.unlock();
            throw ServiceError.unavailable("Storage is unavailable: " + Tx.rootMessage(e) + ".").retryAfter(3);
        }
    }

    /** Commits of shared transactions so far (tests, operations). */
    long commits() {
        return commits.get();
    }

    /** Whether a writer is waiting for the gate (tests). */
    boolean writersWaiting() {
        return gate.hasQueuedThreads();
    }

    private void leaveGroup(Member member, boolean keep) {
        try {
            if (!keep) {
                shared.rollbackToSavepoint(member.savepoint);
            }
            if (!gate.hasQueuedThreads() || members >= MAX_MEMBERS) {
                RuntimeException failure = null;
                long commit = groupCommit == null ? 0 : groupCommit.commitBegins();
                try {
                    shared.commit();
                    commits.incrementAndGet();
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    if (groupCommit != null) {
                        groupCommit.commitEnded(commit);
                    }
                }
                endGroup(failure);
            }
        } catch (RuntimeException e) {
            endGroup(e);
        } finally {
            gate.unlock();
        }
    }

    /** Closes the shared transaction (rolled back unless committed) and releases its members. */
    private void endGroup(RuntimeException failure) {
        Handle h = shared;
        Batch b = batch;
        shared = null;
        batch = null;
        members = 0;
        if (h != null) {
            try {
                if (h.isInTransaction()) {
                    h.rollback();
                }
            } catch (RuntimeException ignored) {
                // the connection is going back to the pool, or away
            } finally {
                h.close();
            }
        }
        if (b != null) {
            b.finish(failure);
        }
    }

    /** One shared transaction's outcome, awaited by its members. */
    private static final class Batch {
        private boolean done;
        private RuntimeException failure;

        synchronized void finish(RuntimeException error) {
            done = true;
            failure = error;
            notifyAll();
        }

        synchronized void await() {
            boolean interrupted = false;
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
