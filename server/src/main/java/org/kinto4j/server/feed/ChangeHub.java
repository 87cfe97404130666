package org.kinto4j.server.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's fan-out of record changes to open streams. One thread learns of commits
 * ({@link Notice}s from this process's requests and, on PostgreSQL, from other processes), then
 * reads what changed from storage after a per-collection cursor, oldest first, so each
 * collection's events go out in commit order with no gap whoever committed them, and hands them
 * to the streams watching that collection or its bucket.
 */
final class ChangeHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeHub.class);
    private static final int PAGE = 500;
    private static final int MAX_HINTS_PER_COLLECTION = 10_000;
    private static final long RETRY_MILLIS = 200;
    private static final long REGISTRATION_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Registration(FeedSubscriber subscriber, CompletableFuture<Void> done, long queuedAt) {
    }

    private record Unregistration(FeedSubscriber subscriber) {
    }

    private record Commit(List<Notice> notices) {
    }

    /** What a notice said of one version: its action, author and, from this process, the version itself. */
    private record Hint(String action, String userId, ObjectNode version) {
    }

    private final Transactions transactions;
    private final FeedReader reader;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    // Owned by the hub thread.
    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, Set<FeedSubscriber>> byCollection = new HashMap<>();
    private final Map<String, Set<FeedSubscriber>> byBucket = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final NavigableMap<Long, Hint> none = new TreeMap<>();
    private final Map<String, NavigableMap<Long, Hint>> hints = new HashMap<>();

    ChangeHub(Transactions transactions, FeedReader reader) {
        this.transactions = transactions;
        this.reader = reader;
        this.thread = new Thread(this::run, "kinto4j-feed-hub");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void notice(Notice notice) {
        inbox.add(notice);
    }

    /** The notices of one commit, applied together: the hub never reads storage between two of them. */
    void notices(List<Notice> commit) {
        if (!commit.isEmpty()) {
            inbox.add(new Commit(List.copyOf(commit)));
        }
    }

    /** Registers a stream; completes once its collections have live cursors. */
    CompletableFuture<Void> register(FeedSubscriber subscriber) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inbox.add(new Registration(subscriber, done, System.nanoTime()));
        return done;
    }

    void unregister(FeedSubscriber subscriber) {
        inbox.add(new Unregistration(subscriber));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        boolean retrying = false;
        while (running) {
            try {
                Object first = inbox.poll(retrying ? RETRY_MILLIS : 1_000, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch);
                } else if (!retrying) {
                    continue;
                }
                try (Tx tx = transactions.begin()) {
                    for (Object item : batch) {
                        apply(tx, item);
                    }
                    flushDirty(tx);
                    tx.rollback();
                }
                if (retrying) {
                    LOG.info("Change feed: reading changes works again");
                }
                retrying = false;
                batch.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Dirty collections stay dirty: they are read again shortly, whether or not another
                // change comes. The batch is applied again (notices and unregistrations are
                // idempotent; streams that already started are not started twice).
                if (!retrying) {
                    LOG.warn("Change feed: reading changes failed, retrying every {} ms", RETRY_MILLIS, e);
                }
                retrying = true;
                batch.removeIf(item -> item instanceof Registration r && (r.done().isDone() || gaveUp(r, e)));
            }
        }
    }

    /** A stream that could not start within {@link #REGISTRATION_PATIENCE_NANOS} is closed (the client retries). */
    private static boolean gaveUp(Registration r, RuntimeException cause) {
        if (System.nanoTime() - r.queuedAt() < REGISTRATION_PATIENCE_NANOS) {
            return false;
        }
        r.done().completeExceptionally(cause);
        return true;
    }

    private void apply(Tx tx, Object item) {
        if (item instanceof Notice n) {
            onNotice(n);
        } else if (item instanceof Commit c) {
            c.notices().forEach(this::onNotice);
        } else if (item instanceof Registration r) {
            if (r.subscriber().isOpen()) {
                add(tx, r.subscriber());
            }
            r.done().complete(null);
        } else if (item instanceof Unregistration u) {
            remove(u.subscriber());
        }
    }

    private void onNotice(Notice n) {
        if (n.resourceName().equals("*")) {
            dirty.addAll(cursors.keySet());
            byBucket.values().forEach(subs -> subs.forEach(s -> s.access().invalidate()));
            return;
        }
        if (n.isRecord()) {
            String uri = FeedEvent.collectionUri(n.bucketId(), n.collectionId());
            if (watched(uri, n.bucketId())) {
                NavigableMap<Long, Hint> known = hints.computeIfAbsent(uri, k -> new TreeMap<>());
                n.hints().forEach((ts, action) -> known.put(ts, new Hint(action, n.userId(), n.versions().get(ts))));
                while (known.size() > MAX_HINTS_PER_COLLECTION) {
                    known.pollFirstEntry();
                }
                dirty.add(uri);
            }
            return;
        }
        // A bucket, collection or group changed: permissions or group memberships may have too.
        if (n.resourceName().equals("group")) {
            allSubscribers().forEach(s -> s.access().invalidate());
        } else {
            Set<FeedSubscriber> inBucket = new HashSet<>(byBucket.getOrDefault(n.bucketId(), Set.of()));
            byCollection.forEach((uri, subs) -> {
                if (uri.startsWith("/buckets/" + n.bucketId() + "/")) {
                    inBucket.addAll(subs);
                }
            });
            inBucket.forEach(s -> s.access().invalidate());
        }
        if (n.hints().containsValue("delete") && !n.resourceName().equals("group")) {
            // A deleted bucket's or collection's records are purged without tombstones: one
            // created again with the same id starts afresh.
            String prefix = n.collectionId() == null ? "/buckets/" + n.bucketId() + "/collections/"
                    : FeedEvent.collectionUri(n.bucketId(), n.collectionId());
            cursors.replaceAll((uri, cursor) -> uri.equals(prefix) || (n.collectionId() == null
                    && uri.startsWith(prefix)) ? 0L : cursor);
            hints.keySet().removeIf(uri -> uri.equals(prefix) || (n.collectionId() == null && uri.startsWith(prefix)));
        }
    }

    private boolean watched(String collectionUri, String bucketId) {
        return byCollection.containsKey(collectionUri) || byBucket.containsKey(bucketId);
    }

    private List<FeedSubscriber> allSubscribers() {
        List<FeedSubscriber> all = new ArrayList<>();
        byCollection.values().forEach(all::addAll);
        byBucket.values().forEach(all::addAll);
        return all;
    }

    private void add(Tx tx, FeedSubscriber s) {
        String bucketId = s.bucketId();
        if (s.collectionId() != null) {
            String uri = FeedEvent.collectionUri(bucketId, s.collectionId());
            if (!cursors.containsKey(uri)) {
                cursors.put(uri, reader.newest(tx, uri));
            }
            byCollection.computeIfAbsent(uri, k -> new LinkedHashSet<>()).add(s);
            return;
        }
        if (!byBucket.containsKey(bucketId)) {
            reader.newestPerCollection(tx, bucketId).forEach(cursors::putIfAbsent);
        }
        byBucket.computeIfAbsent(bucketId, k -> new LinkedHashSet<>()).add(s);
    }

    private void remove(FeedSubscriber s) {
        String bucketId = s.bucketId();
        if (s.collectionId() != null) {
            String uri = FeedEvent.collectionUri(bucketId, s.collectionId());
            Set<FeedSubscriber> subs = byCollection.get(uri);
            if (subs != null && subs.remove(s) && subs.isEmpty()) {
                byCollection.remove(uri);
                if (!byBucket.containsKey(bucketId)) {
                    cursors.remove(uri);
                }
            }
            return;
        }
        Set<FeedSubscriber> subs = byBucket.get(bucketId);
        if (subs != null && subs.remove(s) && subs.isEmpty()) {
            byBucket.remove(bucketId);
            String prefix = "/buckets/" + bucketId + "/collections/";
            cursors.keySet().removeIf(uri -> uri.startsWith(prefix) && !byCollection.containsKey(uri));
        }
    }

    private void flushDirty(Tx tx) {
        for (String uri : dirty) {
            String bucketId = uri.split("/", -1)[2];
            if (!watched(uri, bucketId)) {
                continue;
            }
            long cursor = cursors.getOrDefault(uri, 0L);
            NavigableMap<Long, Hint> known = hints.getOrDefault(uri, none);
            List<FeedReader.Row> rows;
            do {
                rows = reader.collectionSince(tx, uri, cursor, PAGE);
                if (!rows.isEmpty()) {
                    transactions.awaitCommitsDurable();
                }
                for (FeedReader.Row row : rows) {
                    publishOverwritten(tx, uri, bucketId, known.subMap(cursor, false, row.timestamp(), false));
                    cursor = Math.max(cursor, row.timestamp());
                    publish(tx, uri, bucketId, event(row, known.remove(row.timestamp())));
                }
                cursors.put(uri, cursor);
            } while (rows.size() == PAGE);
            known.headMap(cursor, true).clear();
            if (known.isEmpty()) {
                hints.remove(uri);
            }
        }
        dirty.clear();
    }

    /**
     * Versions this process wrote that were overwritten before the hub read storage (a record
     * created then updated within a few milliseconds): each change is still one event.
     * Versions written by other processes are known only as stored, so there the latest wins.
     */
    private void publishOverwritten(Tx tx, String uri, String bucketId, NavigableMap<Long, Hint> between) {
        for (Hint hint : between.values()) {
            if (hint.version() != null) {
                ObjectNode version = hint.version();
                String action = version.path("deleted").asBoolean(false) ? "delete"
                        : hint.action().equals("delete") ? "update" : hint.action();
                publish(tx, uri, bucketId, FeedEvent.of(uri, version, action, hint.userId()));
            }
        }
        between.clear();
    }

    private static FeedEvent event(FeedReader.Row row, Hint hint) {
        String action = row.deleted() ? "delete" : hint != null && !hint.action().equals("delete") ? hint.action() : "update";
        return FeedEvent.of(row.parentUri(), row.object(), action, hint == null ? null : hint.userId());
    }

    private void publish(Tx tx, String uri, String bucketId, FeedEvent event) {
        for (FeedSubscriber s : byCollection.getOrDefault(uri, Set.of())) {
            s.offer(tx, event);
        }
        for (FeedSubscriber s : byBucket.getOrDefault(bucketId, Set.of())) {
            s.offer(tx, event);
        }
    }
}
