package org.kinto4j.server.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.storage.Database;
import org.kinto4j.server.storage.Migrations;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;

/**
 * The hub on a real H2 database, driven with notices by hand. Each change of this process is one
 * event even when the record was changed again before the hub read storage. The hub's reads can
 * fail (a database restarting, a pool exhausted): a failed read is tried again on its own, so a
 * stream does not stay behind until some later change happens to wake the hub, and a stream that
 * asked to start while reads fail starts once they work.
 */
class ChangeHubTest {

    private static final String COLLECTION = "/buckets/b/collections/c";

    @TempDir
    Path dir;

    private Database database;
    private Transactions transactions;
    private final ObjectStore objects = new ObjectStore(System::currentTimeMillis);
    private final PermissionStore permissions = new PermissionStore();
    private final FlakyReader reader = new FlakyReader();
    private ChangeHub hub;

    /** A reader whose next {@code failures} reads throw. */
    private static final class FlakyReader extends FeedReader {
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        private void maybeFail() {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                throw new IllegalStateException("storage unavailable (test)");
            }
        }

        @Override
        List<Row> collectionSince(Tx tx, String collectionUri, long since, int limit) {
            maybeFail();
            return super.collectionSince(tx, collectionUri, since, limit);
        }

        @Override
        long newest(Tx tx, String collectionUri) {
            maybeFail();
            return super.newest(tx, collectionUri);
        }
    }

    /** Frames the hub sends to one stream. */
    private static final class RecordingSink implements FeedSink {
        final List<String> frames = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

        @Override
        public boolean offer(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
            return open;
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public boolean awaitBelow(long bytes, long timeoutMillis) {
            return true;
        }

        @Override
        public void close(String reason) {
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    @BeforeEach
    void open() {
        database = new Database(new ServerSettings.Storage("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
                "", "", 4, Duration.ofSeconds(5)));
        new Migrations(database.jdbi(), database.dialect()).migrate();
        transactions = new Transactions(database);
        try (Tx tx = transactions.begin()) {
            permissions.replaceAcl(tx, COLLECTION, Map.of("read", Set.of(Caller.EVERYONE)));
            tx.commit();
        }
        hub = new ChangeHub(transactions, reader);
        hub.start();
    }

    @AfterEach
    void close() {
        hub.close();
        database.close();
    }

    private FeedSubscriber subscriber(RecordingSink sink) {
        Authorizer authorizer = new Authorizer(permissions, new ConfigLoader(Map.of()).load(null));
        FeedSubscriber s = new FeedSubscriber("b", "c", new FeedAccess(authorizer, tx -> Caller.ANONYMOUS), sink,
                1 << 20);
        s.goLive();
        return s;
    }

    private long writeRecord(String id) {
        return create(id).path("last_modified").asLong();
    }

    private ObjectNode create(String id) {
        try (Tx tx = transactions.begin()) {
            ObjectNode record = Json.object();
            record.put("id", id);
            record.put("title", "first");
            ObjectNode stored = objects.create(tx, "record", COLLECTION, record, null);
            tx.commit();
            return stored.deepCopy();
        }
    }

    private ObjectNode update(ObjectNode previous, String title) {
        try (Tx tx = transactions.begin()) {
            ObjectNode record = previous.deepCopy();
            record.put("title", title);
            ObjectNode stored = objects.update(tx, "record", COLLECTION, record,
                    previous.path("last_modified").asLong(), null);
            tx.commit();
            return stored.deepCopy();
        }
    }

    private ObjectNode delete(ObjectNode previous) {
        try (Tx tx = transactions.begin()) {
            ObjectNode stored = objects.delete(tx, "record", COLLECTION, previous.path("id").asText(),
                    previous.path("last_modified").asLong(), null);
            tx.commit();
            return stored.deepCopy();
        }
    }

    private static Notice created(long ts) {
        return new Notice("test", "record", "b", "c", null, Map.of(ts, "create"));
    }

    /** What this process's request tells the hub after its commit: the action and the version written. */
    private static Notice written(String action, ObjectNode version) {
        long ts = version.path("last_modified").asLong();
        return new Notice("test", "record", "b", "c", "basicauth:alice", Map.of(ts, action), Map.of(ts, version));
    }

    private static String frame(String action, ObjectNode version) {
        return "event: " + action + "\nid: " + version.path("last_modified").asLong() + "\n";
    }

    /**
     * While no stream is open, ChangeFeed hands the hub no commits: a stream registering later
     * starts from its collection's newest timestamp read from storage, so the commits made before
     * it are not sent live and the next one is.
     */
    @Test
    void aStreamRegisteredAfterCommitsNobodyFollowedStartsFromStorage() throws Exception {
        writeRecord("unfollowed");
        RecordingSink sink = new RecordingSink();
        FeedSubscriber s = subscriber(sink);
        hub.register(s).get();
        hub.notices(List.of(created(writeRecord("followed"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.frames.isEmpty());
        assertThat(sink.frames).hasSize(1);
        assertThat(sink.frames.get(0)).contains("\"id\":\"followed\"");
    }

    @Test
    void aVersionOverwrittenBeforeTheHubReadStorageIsStillOneEvent() throws Exception {
        RecordingSink sink = new RecordingSink();
        hub.register(subscriber(sink)).get();
        // as a batch request that creates, updates and deletes one record: storage holds only the tombstone
        ObjectNode created = create("r0");
        ObjectNode updated = update(created, "second");
        ObjectNode deleted = delete(updated);
        hub.notices(List.of(written("create", created), written("update", updated), written("delete", deleted)));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.frames.size() >= 3);
        assertThat(sink.frames).hasSize(3);
        assertThat(sink.frames.get(0)).startsWith(frame("create", created)).contains("\"title\":\"first\"");
        assertThat(sink.frames.get(1)).startsWith(frame("update", updated)).contains("\"title\":\"second\"");
        assertThat(sink.frames.get(2)).startsWith(frame("delete", deleted)).contains("\"deleted\":true");
    }

    @Test
    void versionsOfAnotherProcessAreKnownOnlyAsStoredSoTheLatestWins() throws Exception {
        RecordingSink sink = new RecordingSink();
        hub.register(subscriber(sink)).get();
        ObjectNode created = create("r3");
        ObjectNode updated = update(created, "second");
        long ts = updated.path("last_modified").asLong();
        hub.notice(new Notice("other", "record", "b", "c", null, Map.of(created.path("last_modified").asLong(),
                "create", ts, "update")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sink.frames.isEmpty());
        assertThat(sink.frames).hasSize(1);
        assertThat(sink.frames.get(0)).startsWith(frame("update", updated));
    }

    @Test
    void aChangeWhoseReadFailedArrivesWithoutAnotherChange() throws Exception {
        RecordingSink sink = new RecordingSink();
        hub.register(subscriber(sink)).get();
        reader.failures.set(3);
        long ts = writeRecord("r1");
        hub.notice(created(ts));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.frames.stream().anyMatch(f -> f.contains("\"r1\"")));
        assertThat(reader.failed.get()).isEqualTo(3);
        assertThat(sink.frames).hasSize(1);
        assertThat(sink.frames.get(0)).startsWith("event: create\nid: " + ts + "\n");
    }

    @Test
    void aStreamThatAskedToStartWhileReadsFailStartsOnceTheyWork() throws Exception {
        reader.failures.set(2);
        RecordingSink sink = new RecordingSink();
        hub.register(subscriber(sink)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reader.failed.get()).isEqualTo(2);
        long ts = writeRecord("r2");
        hub.notice(created(ts));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.frames.stream().anyMatch(f -> f.contains("\"r2\"")));
    }
}
