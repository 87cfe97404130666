package org.kinto4j.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.TestServer;

/**
 * Many writers on one collection, on H2 and on PostgreSQL: creations (also of the same new id at
 * the same moment), replacements, patches and deletions all succeed (no 409, no 5xx), every
 * write gets its own timestamp, each writer sees its timestamps strictly increase, and the
 * collection timestamp is the highest of them. Read-modify-write loops guarded by If-Match lose
 * no update.
 */
class ConcurrentWritersTest {

    private static final int WRITERS = 8;
    private static final int WRITES_PER_WRITER = 30;
    private static final int COUNTER_CLIENTS = 6;
    private static final int INCREMENTS_PER_CLIENT = 12;

    /** The server over the named storage; PostgreSQL is skipped (or failed under CI) without KINTO4J_TEST_POSTGRES_URL. */
    private static Fixture fixture(String storage) {
        if (storage.equals("postgresql")) {
            PostgresDatabase pg = PostgresDatabase.create();
            return new Fixture(TestServer.start("storage.url = \"" + pg.url() + "\""), pg);
        }
        return new Fixture(TestServer.start(), null);
    }

    private record Fixture(TestServer server, PostgresDatabase pg) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                if (pg != null) {
                    pg.close();
                }
            }
        }
    }

    /** A write's outcome as seen by its writer. */
    private record Write(int writer, String what, int status, long timestamp, String body) {
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void concurrentWritersGetNoConflictAndStrictlyIncreasingTimestamps(String storage) throws Exception {
        try (Fixture f = fixture(storage)) {
            TestServer s = f.server();
            assertThat(s.put("/v1/buckets/cw", "alice", "{\"permissions\":{\"write\":[\"system.Authenticated\"]}}")
                    .status()).isEqualTo(201);
            assertThat(s.put("/v1/buckets/cw/collections/c", "alice", null).status()).isEqualTo(201);
            String records = "/v1/buckets/cw/collections/c/records";

            CyclicBarrier go = new CyclicBarrier(WRITERS);
            List<Callable<List<Write>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                String user = "writer" + w;
                writers.add(() -> {
                    List<Write> out = new ArrayList<>();
                    go.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        TestServer.Response r;
                        String what;
                        switch (i % 6) {
                            case 0, 1 -> {
                                what = "POST";
                                r = s.post(records, user, "{\"data\":{\"writer\":" + writer + ",\"i\":" + i + "}}");
                            }
                            case 2 -> {
                                // Every writer creates the same new id at about the same time.
                                what = "PUT same new id";
                                r = s.put(records + "/race-" + i, user, "{\"data\":{\"writer\":" + writer + "}}");
                            }
                            case 3 -> {
                                what = "PUT own";
                                r = s.put(records + "/own-" + writer, user, "{\"data\":{\"i\":" + i + "}}");
                            }
                            case 4 -> {
                                what = "PATCH shared";
                                r = s.patch(records + "/race-" + (i - 2), user, "{\"data\":{\"w" + writer + "\":" + i + "}}");
                            }
                            default -> {
                                what = "DELETE own then re-create";
                                r = s.delete(records + "/own-" + writer, user);
                            }
                        }
                        long ts = r.status() < 300 && r.text() != null && !r.text().isEmpty()
                                ? r.json().path("data").path("last_modified").asLong(-1) : -1;
                        out.add(new Write(writer, what, r.status(), ts, r.text()));
                    }
                    return out;
                });
            }
            List<Write> all = runAll(writers);

            Map<String, Integer> statuses = new TreeMap<>();
            for (Write w : all) {
                statuses.merge(w.what() + " " + w.status(), 1, Integer::sum);
            }
            System.out.println("ConcurrentWritersTest[" + storage + "]: " + statuses);
            List<Write> failed = all.stream().filter(w -> w.status() >= 300).toList();
            assertThat(failed).as("writes answered other than 2xx (409 and 5xx are the faults looked for)").isEmpty();

            // Every write has its own timestamp...
            Set<Long> seen = new HashSet<>();
            for (Write w : all) {
                assertThat(w.timestamp()).as(w.toString()).isPositive();
                assertThat(seen.add(w.timestamp())).as("timestamp %d given twice", w.timestamp()).isTrue();
            }
            // ...each writer's timestamps strictly increase...
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                List<Long> mine = all.stream().filter(x -> x.writer() == writer).map(Write::timestamp).toList();
                for (int i = 1; i < mine.size(); i++) {
                    assertThat(mine.get(i)).as("writer %d write %d", writer, i).isGreaterThan(mine.get(i - 1));
                }
            }
            // ...and the collection timestamp is the highest, matching what a sync client reads.
            long max = Collections.max(seen);
            TestServer.Response list = s.get(records + "?_since=0&_sort=last_modified", "alice");
            assertThat(list.status()).as(list.text()).isEqualTo(200);
            assertThat(list.header("ETag")).isEqualTo("\"" + max + "\"");
            long previous = 0;
            for (JsonNode o : list.json().path("data")) {
                assertThat(o.path("last_modified").asLong()).isGreaterThan(previous);
                previous = o.path("last_modified").asLong();
            }
            assertThat(previous).isEqualTo(max);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void ifMatchReadModifyWriteLosesNoUpdate(String storage) throws Exception {
        try (Fixture f = fixture(storage)) {
            TestServer s = f.server();
            s.put("/v1/buckets/cnt", "alice", "{\"permissions\":{\"write\":[\"system.Authenticated\"]}}");
            s.put("/v1/buckets/cnt/collections/c", "alice", null);
            String counter = "/v1/buckets/cnt/collections/c/records/counter";
            assertThat(s.put(counter, "alice", "{\"data\":{\"n\":0,\"by\":[]}}").status()).isEqualTo(201);

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            CyclicBarrier go = new CyclicBarrier(COUNTER_CLIENTS);
            List<Callable<List<Write>>> clients = new ArrayList<>();
            for (int c = 0; c < COUNTER_CLIENTS; c++) {
                int client = c;
                clients.add(() -> {
                    go.await(30, TimeUnit.SECONDS);
                    List<Write> done = new ArrayList<>();
                    int attempts = 0;
                    while (done.size() < INCREMENTS_PER_CLIENT) {
                        attempts++;
                        assertThat(attempts).as("client %d needs too many retries", client).isLessThan(5_000);
                        TestServer.Response read = s.get(counter, "bob" + client);
                        statuses.computeIfAbsent(read.status(), k -> new AtomicInteger()).incrementAndGet();
                        assertThat(read.status()).isEqualTo(200);
                        long n = read.json().path("data").path("n").asLong();
                        TestServer.Response write = s.request("PATCH", counter, "bob" + client,
                                "{\"data\":{\"n\":" + (n + 1) + "}}", "If-Match", read.header("ETag"));
                        statuses.computeIfAbsent(write.status(), k -> new AtomicInteger()).incrementAndGet();
                        if (write.status() == 412) {
                            continue; // someone else won: read again
                        }
                        assertThat(write.status()).as(write.text()).isEqualTo(200);
                        done.add(new Write(client, "increment", 200,
                                write.json().path("data").path("last_modified").asLong(), null));
                    }
                    return done;
                });
            }
            List<Write> increments = runAll(clients);
            System.out.println("ConcurrentWritersTest[" + storage + "] If-Match statuses: " + new TreeMap<>(statuses));

            assertThat(statuses.keySet()).as("only 200 and 412 answers").isSubsetOf(Set.of(200, 412));
            JsonNode finalState = s.get(counter, "alice").json().path("data");
            assertThat(finalState.path("n").asLong()).as("no increment lost")
                    .isEqualTo((long) COUNTER_CLIENTS * INCREMENTS_PER_CLIENT);
            Set<Long> timestamps = new HashSet<>();
            increments.forEach(w -> timestamps.add(w.timestamp()));
            assertThat(timestamps).hasSize(increments.size());
            assertThat(finalState.path("last_modified").asLong()).isEqualTo(Collections.max(timestamps));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void firstRequestsOfANewUserCreateTheDefaultBucketOnce(String storage) throws Exception {
        try (Fixture f = fixture(storage)) {
            TestServer s = f.server();
            CyclicBarrier go = new CyclicBarrier(WRITERS);
            List<Callable<List<Write>>> clients = new ArrayList<>();
            for (int c = 0; c < WRITERS; c++) {
                int client = c;
                clients.add(() -> {
                    go.await(30, TimeUnit.SECONDS);
                    TestServer.Response r = s.post("/v1/buckets/default/collections/tasks/records", "newcomer",
                            "{\"data\":{\"client\":" + client + "}}");
                    return List.of(new Write(client, "POST default", r.status(), 0, r.text()));
                });
            }
            List<Write> all = runAll(clients);
            assertThat(all).allSatisfy(w -> assertThat(w.status()).as(w.body()).isEqualTo(201));
            TestServer.Response list = s.get("/v1/buckets/default/collections/tasks/records", "newcomer");
            assertThat(list.json().path("data")).hasSize(WRITERS);
        }
    }

    private static <T> List<T> runAll(List<Callable<List<T>>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (Callable<List<T>> t : tasks) {
                futures.add(pool.submit(t));
            }
            List<T> all = new ArrayList<>();
            for (Future<List<T>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
