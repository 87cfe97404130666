package org.kinto4j.server.feed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kinto4j.server.storage.Tx;

/**
 * One open stream: a collection's or a whole bucket's record changes, for one caller. Live
 * events from the hub are buffered while the stream replays from storage; then the buffer is
 * drained and later events sent as they come, always skipping an event whose id is not above the
 * last one sent for its collection (the replay may have read changes the hub also delivers,
 * before or after the switch), so the client gets every change once, in order. Memory is bounded: a live
 * stream whose client does not keep up with {@code maxPendingBytes} queued is closed, and the
 * client resumes with Last-Event-ID.
 */
public final class FeedSubscriber {

    private final String bucketId;
    private final String collectionId;
    private final FeedAccess access;
    private final FeedSink sink;
    private final long maxPendingBytes;
    private final Object lock = new Object();
    private final Map<String, Long> lastSent = new HashMap<>();
    private List<FeedEvent> buffer = new ArrayList<>();
    private long bufferedBytes;
    private boolean live;

    FeedSubscriber(String bucketId, String collectionId, FeedAccess access, FeedSink sink, long maxPendingBytes) {
        this.bucketId = bucketId;
        this.collectionId = collectionId;
        this.access = access;
        this.sink = sink;
        this.maxPendingBytes = maxPendingBytes;
    }

    public String bucketId() {
        return bucketId;
    }

    /** The collection id, or null for a bucket stream. */
    public String collectionId() {
        return collectionId;
    }

    FeedAccess access() {
        return access;
    }

    boolean isOpen() {
        return sink.isOpen();
    }

    /** A live event from the hub (hub thread). */
    void offer(Tx tx, FeedEvent event) {
        if (!sink.isOpen() || !access.mayRead(tx, event)) {
            return;
        }
        synchronized (lock) {
            if (!live) {
                bufferedBytes += event.frame().length;
                if (bufferedBytes > maxPendingBytes) {
                    sink.close("too many live events while replaying");
                    return;
                }
                buffer.add(event);
                return;
            }
            sendLive(event);
        }
    }

    /** A replayed event (replay thread), already permission-checked; waits for the client to keep up. */
    void replayed(FeedEvent event, long waitMillis) throws InterruptedException {
        if (!sink.awaitBelow(maxPendingBytes / 2, waitMillis)) {
            sink.close("client too slow during replay");
            return;
        }
        synchronized (lock) {
            lastSent.merge(event.collectionUri(), event.timestamp(), Math::max);
        }
        sink.offer(event.frame());
    }

    boolean mayRead(Tx tx, FeedEvent event) {
        return access.mayRead(tx, event);
    }

    /** Ends the replay: sends the buffered live events not already replayed, then goes live. */
    void goLive() {
        synchronized (lock) {
            for (FeedEvent event : buffer) {
                sendLive(event);
            }
            buffer = null;
            bufferedBytes = 0;
            live = true;
        }
    }

    private void sendLive(FeedEvent event) {
        Long last = lastSent.get(event.collectionUri());
        if (last != null && event.timestamp() <= last) {
            return;
        }
        lastSent.put(event.collectionUri(), event.timestamp());
        long pending = sink.pendingBytes();
        if (pending > 0 && pending + event.frame().length > maxPendingBytes) {
            sink.close("client too slow: more than " + maxPendingBytes + " bytes pending");
            return;
        }
        sink.offer(event.frame());
    }

    /** A comment line that keeps proxies from closing an idle stream; skipped when the client lags. */
    void heartbeat(byte[] comment) {
        synchronized (lock) {
            if (live && sink.pendingBytes() == 0) {
                sink.offer(comment);
            }
        }
    }

    void close(String reason) {
        sink.close(reason);
    }
}
