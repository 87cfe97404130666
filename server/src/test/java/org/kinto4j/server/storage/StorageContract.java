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

    // ---- list cases: every filter and sort, keyset pages and counts, identical on every dialect

    private List<ObjectNode> fillListCases(String parent) {
        inTx(tx -> {
            for (ObjectNode o : ListCases.documents()) {
                objects.create(tx, "record", parent, o, null);
            }
            objects.create(tx, "record", parent, (ObjectNode) ListCases.parse("{\"id\": \"gone\", \"n\": 2}"), null);
            return null;
        });
        ObjectNode gone = inTx(tx -> objects.get(tx, "record", parent, "gone")).orElseThrow();
        inTx(tx -> objects.delete(tx, "record", parent, "gone", gone.get("last_modified").asLong(), null));
        return inTx(tx -> objects.list(tx, "record", parent, ListQuery.ALL, 0));
    }

    private static List<String> ids(List<ObjectNode> objects) {
        return objects.stream().map(o -> o.get("id").asText()).toList();
    }

    @Test
    void everyFilterAndSortGivesTheJavaRulesAnswerInPagesAndCounts() {
        List<ObjectNode> all = fillListCases("/q");
        assertThat(all).hasSize(ListCases.DOCUMENTS.length);
        try (Tx tx = transactions.begin()) {
            for (List<Filter> filters : ListCases.filters()) {
                for (List<Sort> sorts : ListCases.sorts()) {
                    ListQuery query = new ListQuery(filters, sorts, null, null);
                    List<String> expected = ids(all.stream().filter(o -> filters.stream().allMatch(f -> f.matches(o)))
                            .sorted(ObjectStore.comparator(sorts)).toList());
                    String what = filters + " sorted by " + sorts;
                    assertThat(ids(objects.list(tx, "record", "/q", query, 0))).as(what).isEqualTo(expected);
                    assertThat(objects.count(tx, "record", "/q", query)).as(what).isEqualTo(expected.size());
                    assertThat(pagedIds(tx, "/q", query, 4)).as("pages of 4: " + what).isEqualTo(expected);
                }
            }
        }
    }

    /** Follows keyset pages as the HTTP layer does (asks for one more than the page size). */
    private List<String> pagedIds(Tx tx, String parent, ListQuery query, int size) {
        List<String> out = new ArrayList<>();
        ListQuery next = query;
        for (int guard = 0; guard < 100; guard++) {
            List<ObjectNode> page = objects.list(tx, "record", parent, next, size + 1);
            List<ObjectNode> kept = page.subList(0, Math.min(size, page.size()));
            out.addAll(ids(kept));
            if (page.size() <= size) {
                return out;
            }
            next = query.withAfter(ListCases.after(kept.get(kept.size() - 1), query.sorts()));
        }
        throw new AssertionError("pagination did not end: " + out);
    }

    @Test
    void sortsFollowKintosOrderAcrossTypesWithMissingFieldsLastAndTiesByTimestamp() {
        fillListCases("/q");
        ListQuery byN = new ListQuery(List.of(), List.of(new Sort("n", false), Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(ids(inTx(tx -> objects.list(tx, "record", "/q", byN, 0)))).containsExactly(
                "o13", "o09", "o10", "o08", "o21", "o24", "o04", "o00", "o23", "o05", "o01", "o12", "o06", "o02",
                "o11", "o07", "o03", "o22", "o16", "o15", "o18", "o17", "o19", "o20", "o14");
        ListQuery byTitleDesc = new ListQuery(List.of(ListCases.f("title", Filter.Operator.MIN, "\"Z\"")),
                List.of(new Sort("title", true), Sort.LAST_MODIFIED_DESC), null, null);
        // Missing first when descending; strings by code point; "3" as a string is not the number 3.
        assertThat(ids(inTx(tx -> objects.list(tx, "record", "/q", byTitleDesc, 6)))).containsExactly(
                "o20", "o19", "o17", "o16", "o15", "o04");
        ListQuery threeAsString = new ListQuery(List.of(ListCases.f("n", Filter.Operator.EQ, "\"3\"")),
                List.of(Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(ids(inTx(tx -> objects.list(tx, "record", "/q", threeAsString, 0)))).containsExactly("o08");
        ListQuery likeUnicode = new ListQuery(List.of(ListCases.f("title", Filter.Operator.LIKE, "\"ÉTÉ\"")),
                List.of(Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(ids(inTx(tx -> objects.list(tx, "record", "/q", likeUnicode, 0)))).containsExactly("o03", "o02");
        ListQuery shared = ListQuery.ALL.withOnlyIds(Set.of("o01", "o02", "gone", "nope"));
        assertThat(ids(inTx(tx -> objects.list(tx, "record", "/q", shared, 0)))).containsExactly("o02", "o01");
        assertThat(this.<Long>inTx(tx -> objects.count(tx, "record", "/q", shared))).isEqualTo(2);
    }

    @Test
    void pagesWhoseSortValuesTieAcrossTheBoundaryLoseAndRepeatNothing() {
        inTx(tx -> {
            for (int i = 0; i < 40; i++) {
                objects.create(tx, "record", "/ties", obj(String.format("t%02d", i), "n", i % 3), null);
            }
            return null;
        });
        for (List<Sort> sorts : List.of(List.of(new Sort("n", false), Sort.LAST_MODIFIED_DESC),
                List.of(new Sort("n", true), Sort.LAST_MODIFIED_DESC), List.of(new Sort("n", false), new Sort("last_modified", false)))) {
            ListQuery query = new ListQuery(List.of(), sorts, null, null);
            List<String> full = ids(inTx(tx -> objects.list(tx, "record", "/ties", query, 0)));
            assertThat(full).hasSize(40).doesNotHaveDuplicates();
            for (int size : new int[] {1, 3, 7, 13}) {
                List<String> paged = this.<List<String>>inTx(tx -> pagedIds(tx, "/ties", query, size));
                assertThat(paged).as("pages of %d sorted by %s", size, sorts).isEqualTo(full);
            }
        }
    }

    @Test
    void scansLargerThanOneChunkReturnEveryObjectOnce() {
        int n = 2500;
        inTx(tx -> {
            objects.create(tx, "record", "/big", obj("first", "n", -1), 5000L);
            for (int i = 0; i < n; i++) {
                // Older forced timestamps are kept as they are (unique per collection), so the
                // objects sit below "first" in last_modified order and the scan pages across chunks.
                objects.create(tx, "record", "/big", obj(String.format("b%04d", i), "n", i), 1000L + i);
            }
            return null;
        });
        ListQuery dataFilter = new ListQuery(List.of(ListCases.f("n", Filter.Operator.MIN, "0")),
                List.of(Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(this.<List<ObjectNode>>inTx(tx -> objects.list(tx, "record", "/big", dataFilter, 0)))
                .hasSize(n).extracting(o -> o.get("id").asText()).doesNotHaveDuplicates();
        assertThat(this.<List<ObjectNode>>inTx(tx -> objects.list(tx, "record", "/big", dataFilter, 1200))).hasSize(1200);
        assertThat(this.<Long>inTx(tx -> objects.count(tx, "record", "/big", dataFilter))).isEqualTo(n);
        ListQuery byN = new ListQuery(List.of(), List.of(new Sort("n", true), Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(ids(inTx(tx -> objects.list(tx, "record", "/big", byN, 3)))).containsExactly("b2499", "b2498", "b2497");
    }
}
