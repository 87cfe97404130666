package org.kinto4j.server.feed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final int MAX_HINTS = 20_000;

    private record Registration(FeedSubscriber subscriber, CompletableFuture<Void> done) {
    }

    private record Unregistration(FeedSubscriber subscriber) {
    }

    private record Hint(String action, String userId) {
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
    private final LinkedHashMap<String, Hint> hints = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Hint> eldest) {
            return size() > MAX_HINTS;
        }
    };

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

    /** Registers a stream; completes once its collections have live cursors. */
    CompletableFuture<Void> register(FeedSubscriber subscriber) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inbox.add(new Registration(subscriber, done));
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
        while (running) {
            try {
                Object first = inbox.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                inbox.drainTo(batch);
                try (Tx tx = transactions.begin()) {
                    for (Object item : batch) {
                        apply(tx, item);
                    }
                    flushDirty(tx);
                    tx.rollback();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Cursors did not move: the next notice reads the same changes again.
                LOG.warn("Change feed: reading changes failed, will retry on the next change: {}", e.toString());
                for (Object item : batch) {
                    if (item instanceof Registration r) {
                        r.done().completeExceptionally(e);
                    }
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void apply(Tx tx, Object item) {
        if (item instanceof Notice n) {
            onNotice(n);
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
            n.hints().forEach((ts, action) -> hints.put(uri + "#" + ts, new Hint(action, n.userId())));
            if (watched(uri, n.bucketId())) {
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
            List<FeedReader.Row> rows;
            do {
                rows = reader.collectionSince(tx, uri, cursor, PAGE);
                for (FeedReader.Row row : rows) {
                    cursor = Math.max(cursor, row.timestamp());
                    publish(tx, uri, bucketId, event(row));
                }
                cursors.put(uri, cursor);
            } while (rows.size() == PAGE);
        }
        dirty.clear();
    }

    private FeedEvent event(FeedReader.Row row) {
        Hint hint = hints.remove(row.parentUri() + "#" + row.timestamp());
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
