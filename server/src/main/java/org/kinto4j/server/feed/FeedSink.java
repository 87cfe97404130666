package org.kinto4j.server.feed;

/** Where a stream's SSE frames go (the HTTP response); thread-safe. */
public interface FeedSink {

    /** Queues a frame for the client; false once the stream is closed. */
    boolean offer(byte[] frame);

    /** Bytes queued and not yet handed to the network. */
    long pendingBytes();

    /**
     * Waits until fewer than {@code bytes} are pending or the stream closes; false when it is
     * still over after {@code timeoutMillis}.
     */
    boolean awaitBelow(long bytes, long timeoutMillis) throws InterruptedException;

    /** Ends the stream (the client reconnects with Last-Event-ID); idempotent. */
    void close(String reason);

    boolean isOpen();
}
