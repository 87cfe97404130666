package org.kinto4j.server.events;

import java.util.List;
import org.kinto4j.server.storage.Tx;

/**
 * Sees every request's events around its commit, after the listeners: the change feed uses it to
 * learn of commits (and, on PostgreSQL, to tell other processes within the transaction).
 */
public interface CommitObserver {

    CommitObserver NONE = new CommitObserver() {
        @Override
        public void beforeCommit(Tx tx, List<ChangeEvent> events) {
        }

        @Override
        public void afterCommit(List<ChangeEvent> events) {
        }
    };

    /** Inside the transaction, after every listener ran; may add statements to it. */
    void beforeCommit(Tx tx, List<ChangeEvent> events);

    /** Right after a successful commit, on the request thread; must not block. */
    void afterCommit(List<ChangeEvent> events);
}
