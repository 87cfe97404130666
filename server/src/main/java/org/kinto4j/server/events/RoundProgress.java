package org.kinto4j.server.events;

import org.kinto4j.server.storage.OutboxStore.OutboxRow;

/**
 * How far one delivery round got. The rows are delivered in seq order and a failing row stops
 * the round, so what it delivered or dead-lettered is always every row up to one seq: the
 * instance's new delivered mark.
 */
final class RoundProgress {

    private long through;
    private int passed;

    RoundProgress(long deliveredThrough) {
        this.through = deliveredThrough;
    }

    /** The row was delivered or dead-lettered; every row before it in the round was too. */
    void passed(OutboxRow row) {
        through = row.seq();
        passed++;
    }

    long through() {
        return through;
    }

    int passed() {
        return passed;
    }
}
