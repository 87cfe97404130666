package org.kinto4j.server.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import org.kinto4j.server.feed.FeedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSE response written with the servlet container's non-blocking output: frames are queued
 * and written whenever the connection can take more, by whichever thread queues or by the
 * container when the socket drains, so no thread waits on a slow client and none is held per
 * stream.
 */
final class SseSink implements FeedSink, WriteListener, AsyncListener {

    private static final Logger LOG = LoggerFactory.getLogger(SseSink.class);

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final String description;
    private long pending;
    private boolean dirty;
    private boolean closed;
    private Runnable onClose = () -> { };

    SseSink(AsyncContext async, ServletOutputStream out, String description) {
        this.async = async;
        this.out = out;
        this.description = description;
    }

    /** Runs once when the stream ends (at once if it already has). */
    void onClose(Runnable action) {
        boolean now;
        synchronized (this) {
            now = closed;
            onClose = action;
        }
        if (now) {
            action.run();
        }
    }

    @Override
    public synchronized boolean offer(byte[] frame) {
        if (closed) {
            return false;
        }
        queue.add(frame);
        pending += frame.length;
        pump();
        return !closed;
    }

    @Override
    public synchronized long pendingBytes() {
        return pending;
    }

    @Override
    public synchronized boolean awaitBelow(long bytes, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!closed && pending >= bytes) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    /** Writes while the connection is ready; the container calls {@link #onWritePossible} when it is again. */
    private void pump() {
        try {
            while (!closed && out.isReady()) {
                byte[] next = queue.poll();
                if (next != null) {
                    pending -= next.length;
                    out.write(next);
                    dirty = true;
                    notifyAll();
                } else if (dirty) {
                    dirty = false;
                    out.flush();
                } else {
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            close("write failed: " + e.getMessage());
        }
    }

    @Override
    public synchronized void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        close("connection error: " + t);
    }

    @Override
    public void close(String reason) {
        Runnable action;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            pending = 0;
            notifyAll();
            action = onClose;
        }
        if (reason.contains("slow")) {
            LOG.info("Change stream {} closed: {} (the client resumes with Last-Event-ID)", description, reason);
        } else {
            LOG.debug("Change stream {} closed: {}", description, reason);
        }
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
        action.run();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close("completed");
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close("timed out");
    }

    @Override
    public void onError(AsyncEvent event) {
        close("connection error: " + event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
