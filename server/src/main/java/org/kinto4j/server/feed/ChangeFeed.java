package org.kinto4j.server.feed;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.ChangeEvent;
import org.kinto4j.server.events.CommitObserver;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.storage.Dialect;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live change feed: opens streams of a collection's or a bucket's record changes (replay
 * from a timestamp first, then live), learns of commits from this process's requests (and from
 * other processes through {@link PgChangeChannel} on PostgreSQL), and keeps idle streams alive
 * with heartbeats.
 */
public final class ChangeFeed implements CommitObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int PAGE = 500;
    /** The first bytes of a stream, sent once it is registered: they commit the 200 response. */
    private static final byte[] OPENING = "retry: 3000\n: kinto4j change feed\n\n".getBytes(
            java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ServerSettings.Changes settings;
    private final Transactions transactions;
    private final Authorizer authorizer;
    private final PermissionStore permissions;
    private final FeedReader reader = new FeedReader();
    private final ChangeHub hub;
    private final PgChangeChannel channel;
    private final String origin = UUID.randomUUID().toString();
    private final Set<FeedSubscriber> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService replays;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean closed;

    public ChangeFeed(ServerSettings.Changes settings, ServerSettings.Storage storage, Transactions transactions,
            Authorizer authorizer, PermissionStore permissions) {
        this.settings = settings;
        this.transactions = transactions;
        this.authorizer = authorizer;
        this.permissions = permissions;
        this.hub = new ChangeHub(transactions, reader);
        this.channel = transactions.dialect() == Dialect.POSTGRESQL ? new PgChangeChannel(storage, origin, hub::notice)
                : null;
        this.replays = Executors.newFixedThreadPool(2, daemon("kinto4j-feed-replay"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("kinto4j-feed-heartbeat"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        hub.start();
        if (channel != null) {
            channel.start();
        }
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleAtFixedRate(() -> open.forEach(s -> s.heartbeat(HEARTBEAT)), every, every,
                TimeUnit.MILLISECONDS);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Opens a stream of {@code bucketId}'s changes, or only {@code collectionId}'s when not null,
     * for {@code userId} (null: anonymous). With {@code since}, what changed after it is replayed
     * from storage first. The caller checked read access already.
     */
    public FeedSubscriber open(String bucketId, String collectionId, Long since, String userId, FeedSink sink) {
        Function<Tx, Caller> caller = tx -> userId == null ? Caller.ANONYMOUS
                : Caller.authenticated(userId, permissions.userPrincipals(tx, userId));
        FeedSubscriber s = new FeedSubscriber(bucketId, collectionId, new FeedAccess(authorizer, caller), sink,
                settings.maxPendingBytes());
        open.add(s);
        if (closed) {
            s.close("server shutting down");
            return s;
        }
        hub.register(s).whenComplete((ok, failure) -> {
            if (failure != null) {
                s.close("could not start: " + failure);
                return;
            }
            // Only now does the client see the response: a change it makes next is not missed.
            sink.offer(OPENING);
            if (since == null) {
                s.goLive();
            } else {
                replays.execute(() -> replay(s, since));
            }
        });
        return s;
    }

    /** The stream's sink closed (client gone, too slow, shutdown). */
    public void closed(FeedSubscriber s) {
        if (open.remove(s)) {
            hub.unregister(s);
        }
    }

    /** Sends what changed after {@code since}, page by page, then switches the stream to live. */
    private void replay(FeedSubscriber s, long since) {
        long waitMillis = settings.slowClientTimeout().toMillis();
        try {
            long ts = since;
            String afterParent = null;
            int read;
            do {
                List<FeedEvent> page = new java.util.ArrayList<>();
                try (Tx tx = transactions.begin()) {
                    List<FeedReader.Row> rows = s.collectionId() != null
                            ? reader.collectionSince(tx, FeedEvent.collectionUri(s.bucketId(), s.collectionId()), ts, PAGE)
                            : reader.bucketSince(tx, s.bucketId(), ts, afterParent, PAGE);
                    read = rows.size();
                    if (read > 0) {
                        transactions.awaitCommitsDurable();
                    }
                    for (FeedReader.Row row : rows) {
                        ts = row.timestamp();
                        afterParent = row.parentUri();
                        FeedEvent event = FeedEvent.of(row.parentUri(), row.object(),
                                row.deleted() ? "delete" : "update", null);
                        if (s.mayRead(tx, event)) {
                            page.add(event);
                        }
                    }
                    tx.rollback();
                }
                for (FeedEvent event : page) {
                    s.replayed(event, waitMillis);
                    if (!s.isOpen()) {
                        return;
                    }
                }
            } while (read == PAGE);
            s.goLive();
        } catch (InterruptedException e) {
            s.close("server shutting down");
        } catch (RuntimeException e) {
            LOG.warn("Change feed: replay for /buckets/{} failed: {}", s.bucketId(), e.toString());
            s.close("replay failed");
        }
    }

    @Override
    public void afterCommit(List<ChangeEvent> events) {
        // A stream is in `open` before the hub registers it, and registering reads its collections'
        // newest timestamps from storage: commits that found no stream here need not reach the hub.
        boolean followedHere = !open.isEmpty();
        if (events.isEmpty() || !settings.enabled() || (!followedHere && channel == null)) {
            return; // no stream here and no other process to tell: 3 % of a record POST's CPU saved (bench/RESULTS.md)
        }
        List<Notice> notices = Notices.of(origin, events);
        if (followedHere) {
            hub.notices(notices);
        }
        if (channel != null) {
            channel.announce(notices);
        }
    }

    /** Ends every stream (clients reconnect elsewhere with Last-Event-ID), then stops the threads. */
    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        replays.shutdownNow();
        open.forEach(s -> s.close("server shutting down"));
        if (channel != null) {
            channel.close();
        }
        hub.close();
    }
}
