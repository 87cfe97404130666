package org.kinto4j.server.events;

import java.util.List;

/**
 * Sees every request's events right after its commit, after the listeners: the change feed uses
 * it to learn of commits (and, on PostgreSQL, to tell the other processes).
 */
public interface CommitObserver {

    CommitObserver NONE = events -> { };

    /** Right after a successful commit, on the request thread, before the response; may wait briefly (at most a second). */
    void afterCommit(List<ChangeEvent> events);
}
