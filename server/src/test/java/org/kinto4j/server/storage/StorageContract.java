package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;

/** The storage contract, run against every dialect (H2 and PostgreSQL subclasses). */
abstract class StorageContract {

    Database database;
    Transactions transactions;
    final ObjectStore objects = new ObjectStore(System::currentTimeMillis);
    final PermissionStore permissions = new PermissionStore();

    abstract String jdbcUrl();

    void cleanup() {
    }

    @BeforeEach
    void open() {
        database = new Database(new ServerSettings.Storage(jdbcUrl(), "", "", 8, java.time.Duration.ofSeconds(5)));
        new Migrations(database.jdbi(), database.dialect()).migrate();
        transactions = new Transactions(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        cleanup();
    }

    private <T> T inTx(java.util.function.Function<Tx, T> work) {
        try (Tx tx = transactions.begin()) {
            T result = work.apply(tx);
            tx.commit();
            return result;
        }
    }

    private static ObjectNode obj(String id, String field, int value) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put(field, value);
        return o;
    }

    @Test
    void createGetUpdateDeleteLeavesATombstone() {
        ObjectNode created = inTx(tx -> objects.create(tx, "record", "/buckets/b/collections/c", obj("r1", "n", 1), null));
        long lm = created.get("last_modified").asLong();
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", "/buckets/b/collections/c", "r1"))).isPresent();
        ObjectNode updated = inTx(tx -> objects.update(tx, "record", "/buckets/b/collections/c", obj("r1", "n", 2), lm, null));
        assertThat(updated.get("last_modified").asLong()).isGreaterThan(lm);
        ObjectNode tomb = inTx(tx -> objects.delete(tx, "record", "/buckets/b/collections/c", "r1",
                updated.get("last_modified").asLong(), null));
        assertThat(tomb.get("deleted").asBoolean()).isTrue();
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", "/buckets/b/collections/c", "r1"))).isEmpty();
        ListQuery since = new ListQuery(List.of(Filter.of("last_modified", Filter.Operator.GT,
                Json.mapper().getNodeFactory().numberNode(0L))), List.of(Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(this.<List<ObjectNode>>inTx(tx -> objects.list(tx, "record", "/buckets/b/collections/c", since, 0)))
                .singleElement().satisfies(o -> assertThat(o.get("deleted").asBoolean()).isTrue());
        assertThat(this.<List<ObjectNode>>inTx(tx -> objects.list(tx, "record", "/buckets/b/collections/c", ListQuery.ALL, 0))).isEmpty();
        assertThat(this.<Long>inTx(tx -> objects.collectionTimestamp(tx, "record", "/buckets/b/collections/c")))
                .isEqualTo(tomb.get("last_modified").asLong());
    }

    @Test
    void rolledBackWritesLeaveNothing() {
        try (Tx tx = transactions.begin()) {
            objects.create(tx, "record", "/p", obj("r1", "n", 1), null);
            permissions.replaceAcl(tx, "/p/records/r1", Map.of("write", Set.of("u")));
            tx.rollback();
        }
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", "/p", "r1"))).isEmpty();
        assertThat(this.<Map<String, Set<String>>>inTx(tx -> permissions.acl(tx, "/p/records/r1"))).isEmpty();
    }

    @Test
    void listsFilterSortAndPage() {
        inTx(tx -> {
            for (int i = 0; i < 10; i++) {
                objects.create(tx, "record", "/l", obj("r" + i, "n", i % 3), null);
            }
            return null;
        });
        ListQuery byN = new ListQuery(List.of(Filter.of("n", Filter.Operator.EQ, Json.mapper().getNodeFactory().numberNode(1))),
                List.of(new Sort("id", false), Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(this.<List<ObjectNode>>inTx(tx -> objects.list(tx, "record", "/l", byN, 0))).extracting(o -> o.get("id").asText())
                .containsExactly("r1", "r4", "r7");
        List<ObjectNode> firstPage = inTx(tx -> objects.list(tx, "record", "/l", ListQuery.ALL, 4));
        assertThat(firstPage).extracting(o -> o.get("id").asText()).containsExactly("r9", "r8", "r7", "r6");
        List<ObjectNode> next = inTx(tx -> objects.list(tx, "record", "/l", ListQuery.ALL.withAfter(firstPage.get(3)), 4));
        assertThat(next).extracting(o -> o.get("id").asText()).containsExactly("r5", "r4", "r3", "r2");
        assertThat(this.<Long>inTx(tx -> objects.count(tx, "record", "/l", ListQuery.ALL))).isEqualTo(10);
        assertThat(this.<Long>inTx(tx -> objects.count(tx, "record", "/l", byN))).isEqualTo(3);
    }

    @Test
    void forcedTimestampsFollowKintosRules() {
        ObjectNode a = inTx(tx -> objects.create(tx, "record", "/f", obj("a", "n", 1), 1000L));
        assertThat(a.get("last_modified").asLong()).isEqualTo(1000L);
        ObjectNode b = inTx(tx -> objects.create(tx, "record", "/f", obj("b", "n", 1), 1000L));
        assertThat(b.get("last_modified").asLong()).isEqualTo(1001L);
        ObjectNode c = inTx(tx -> objects.create(tx, "record", "/f", obj("c", "n", 1), 500L));
        assertThat(c.get("last_modified").asLong()).isEqualTo(500L);
        assertThat(this.<Long>inTx(tx -> objects.collectionTimestamp(tx, "record", "/f"))).isEqualTo(1001L);
    }

    @Test
    void purgeUnderRemovesDescendantsOnly() {
        inTx(tx -> {
            objects.create(tx, "collection", "/buckets/a", obj("c", "n", 1), null);
            objects.create(tx, "record", "/buckets/a/collections/c", obj("r", "n", 1), null);
            objects.create(tx, "collection", "/buckets/ab", obj("c", "n", 1), null);
            permissions.replaceAcl(tx, "/buckets/a/collections/c", Map.of("write", Set.of("u")));
            permissions.replaceAcl(tx, "/buckets/ab/collections/c", Map.of("write", Set.of("u")));
            return null;
        });
        inTx(tx -> {
            objects.purgeUnder(tx, "/buckets/a");
            permissions.deleteAclsUnder(tx, "/buckets/a");
            return null;
        });
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "collection", "/buckets/a", "c"))).isEmpty();
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", "/buckets/a/collections/c", "r"))).isEmpty();
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "collection", "/buckets/ab", "c"))).isPresent();
        assertThat(this.<Map<String, Set<String>>>inTx(tx -> permissions.acl(tx, "/buckets/ab/collections/c"))).containsKey("write");
        assertThat(this.<Map<String, Set<String>>>inTx(tx -> permissions.acl(tx, "/buckets/a/collections/c"))).isEmpty();
    }

    @Test
    void aclsAndGroupMemberships() {
        inTx(tx -> {
            permissions.replaceAcl(tx, "/buckets/b", Map.of("read", Set.of("alice", "bob"), "write", Set.of("alice")));
            permissions.replaceAcl(tx, "/buckets/b/collections/c1", Map.of("read", Set.of("carol")));
            permissions.addUserPrincipal(tx, "dave", "/buckets/b/groups/g");
            permissions.addUserPrincipal(tx, PermissionStore.AUTHENTICATED, "/buckets/b/groups/all");
            return null;
        });
        assertThat(this.<Map<String, Set<String>>>inTx(tx -> permissions.acl(tx, "/buckets/b")).get("read")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(this.<Boolean>inTx(tx -> permissions.anyGranted(tx, List.of(Map.entry("/buckets/b", "write")), Set.of("bob")))).isFalse();
        assertThat(this.<Boolean>inTx(tx -> permissions.anyGranted(tx, List.of(Map.entry("/buckets/b", "read")), Set.of("bob")))).isTrue();
        assertThat(this.<Set<String>>inTx(tx -> permissions.childIdsGranted(tx, "/buckets/b/collections", Set.of("read"), Set.of("carol"))))
                .containsExactly("c1");
        assertThat(this.<Set<String>>inTx(tx -> permissions.userPrincipals(tx, "dave")))
                .containsExactlyInAnyOrder("/buckets/b/groups/g", "/buckets/b/groups/all");
        inTx(tx -> {
            permissions.removePrincipal(tx, "/buckets/b/groups/g");
            return null;
        });
        assertThat(this.<Set<String>>inTx(tx -> permissions.userPrincipals(tx, "dave"))).containsExactly("/buckets/b/groups/all");
    }

    @Test
    void concurrentWritersGetStrictlyIncreasingTimestampsAndNoErrors() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Long> stamps = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    String id = "t" + thread + "-" + i;
                    ObjectNode o = inTx(tx -> objects.create(tx, "record", "/concurrent", obj(id, "n", thread), null));
                    stamps.add(o.get("last_modified").asLong());
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(stamps).hasSize(threads * perThread).doesNotHaveDuplicates();
        List<ObjectNode> all = inTx(tx -> objects.list(tx, "record", "/concurrent", ListQuery.ALL, 0));
        assertThat(all).hasSize(threads * perThread);
        assertThat(this.<Long>inTx(tx -> objects.collectionTimestamp(tx, "record", "/concurrent")))
                .isEqualTo(Collections.max(stamps));
    }
}
