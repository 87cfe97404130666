package org.kinto4j.builtin.webhook;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long sending a request may block. A socket's reads have a timeout, its writes have
 * none: a receiver that accepts the connection but stops reading would hold a large request's
 * write forever. Requests up to {@link #UNGUARDED_BYTES} fit in the kernel's buffers of a live
 * connection and are written directly; a larger one is written while a timer thread stands ready
 * to close the connection at the deadline (created on first need).
 */
final class WriteWatchdog implements AutoCloseable {

    static final int UNGUARDED_BYTES = 64 * 1024;

    private ScheduledThreadPoolExecutor timer;

    void write(BlockingHttpClient.Connection c, byte[] request, long deadline) throws IOException {
        if (request.length <= UNGUARDED_BYTES) {
            c.out.write(request);
            c.out.flush();
            return;
        }
        long delayNanos = Math.max(1, deadline - System.nanoTime());
        boolean[] fired = new boolean[1];
        ScheduledFuture<?> alarm = timer().schedule(() -> {
            synchronized (fired) {
                fired[0] = true;
            }
            c.close();
        }, delayNanos, TimeUnit.NANOSECONDS);
        try {
            c.out.write(request);
            c.out.flush();
        } catch (IOException e) {
            synchronized (fired) {
                if (fired[0]) {
                    throw new SocketTimeoutException("the receiver did not read the request in time");
                }
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "kinto4j-webhook-write-timeout");
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
