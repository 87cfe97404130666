package org.kinto4j.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer.Response;

/**
 * Three kinto4j processes (separate JVMs) on one PostgreSQL serve one client as one server:
 * concurrent clients spread round-robin get no 5xx and no 409, every acknowledged write is
 * readable from every process, a plural DELETE is paginated through different processes (its
 * tokens single-use everywhere), and a group membership change is honoured at once by every
 * process although each caches users' principals.
 */
class ThreeProcessesTest {

    private static final int CLIENTS = 6;
    private static final int WRITES_PER_CLIENT = 30;

    @TempDir
    static Path dir;

    private static PostgresDatabase pg;
    private static final List<ServerProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startThree() throws Exception {
        pg = PostgresDatabase.create();
        String conf = "storage.url = \"" + pg.url() + "\"\nplugins_dir = \"" + dir.resolve("plugins") + "\"\n";
        ExecutorService starter = Executors.newFixedThreadPool(3);
        try {
            List<Future<ServerProcess>> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path home = dir.resolve("p" + i);
                java.nio.file.Files.createDirectories(home);
                started.add(starter.submit(() -> ServerProcess.start(home, conf, ServerProcess.freePort(), Map.of())));
            }
            Exception failure = null;
            for (Future<ServerProcess> f : started) {
                try {
                    processes.add(f.get());
                } catch (Exception e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            starter.shutdown();
        }
        // Each process caches principals only once it listens to membership changes.
        for (ServerProcess p : processes) {
            await().atMost(Duration.ofSeconds(20)).until(() -> p.log().contains("Listening to PostgreSQL notifications"));
        }
    }

    @AfterAll
    static void stop() {
        processes.forEach(ServerProcess::close);
        if (pg != null) {
            pg.close();
        }
    }

    private static ServerProcess process(int i) {
        return processes.get(Math.floorMod(i, processes.size()));
    }

    @Test
    void concurrentClientsRoundRobinGetNoErrorAndEveryWriteIsEverywhere() throws Exception {
        assertThat(process(0).request("PUT", "/v1/buckets/shared", "alice", null).status()).isEqualTo(201);
        assertThat(process(1).request("PUT", "/v1/buckets/shared/collections/c", "alice", null).status()).isEqualTo(201);
        AtomicInteger turn = new AtomicInteger();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < WRITES_PER_CLIENT; i++) {
                        ServerProcess p = process(turn.getAndIncrement());
                        Response r = i % 3 == 2
                                // the same few ids written from every process at once: creations and replacements
                                ? p.request("PUT", "/v1/buckets/shared/collections/c/records/same" + (i % 4), "alice",
                                        "{\"data\": {\"by\": " + client + "}}")
                                : p.request("POST", "/v1/buckets/shared/collections/c/records", "alice",
                                        "{\"data\": {\"client\": " + client + ", \"i\": " + i + "}}");
                        if (r.status() >= 500 || r.status() == 409 || r.status() >= 400) {
                            failures.add(r.status() + " " + r.text());
                            continue;
                        }
                        JsonNode data = r.json().path("data");
                        acknowledged.merge(data.path("id").asText(), data.path("last_modified").asLong(), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        assertThat(failures).isEmpty();
        for (int i = 0; i < 3; i++) {
            Response list = process(i).request("GET", "/v1/buckets/shared/collections/c/records?_limit=1000", "alice", null);
            assertThat(list.status()).isEqualTo(200);
            Map<String, Long> seen = new java.util.HashMap<>();
            Set<Long> timestamps = new HashSet<>();
            for (JsonNode r : list.json().path("data")) {
                seen.put(r.path("id").asText(), r.path("last_modified").asLong());
                assertThat(timestamps.add(r.path("last_modified").asLong())).as("timestamps are unique").isTrue();
            }
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                assertThat(seen).containsKey(ack.getKey());
                assertThat(seen.get(ack.getKey())).isGreaterThanOrEqualTo(ack.getValue());
            }
            String someId = acknowledged.keySet().iterator().next();
            assertThat(process(i).request("GET", "/v1/buckets/shared/collections/c/records/" + someId, "alice", null)
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void pluralDeletePagesContinueOnAnyProcessAndTokensAreSingleUse() {
        assertThat(process(0).request("PUT", "/v1/buckets/del", "alice", null).status()).isEqualTo(201);
        assertThat(process(0).request("PUT", "/v1/buckets/del/collections/c", "alice", null).status()).isEqualTo(201);
        for (int i = 0; i < 7; i++) {
            assertThat(process(i).request("POST", "/v1/buckets/del/collections/c/records", "alice", "{\"data\": {}}")
                    .status()).isEqualTo(201);
        }
        Response page = process(0).request("DELETE", "/v1/buckets/del/collections/c/records?_limit=2", "alice", null);
        int deleted = 0;
        int hop = 1;
        List<String> used = new ArrayList<>();
        while (true) {
            assertThat(page.status()).isEqualTo(200);
            deleted += page.json().path("data").size();
            String next = page.header("Next-Page");
            if (next == null) {
                break;
            }
            URI uri = URI.create(next);
            String path = uri.getRawPath() + "?" + uri.getRawQuery();
            used.add(path);
            page = process(hop++).request("DELETE", path, "alice", null);
        }
        assertThat(deleted).isEqualTo(7);
        assertThat(used).hasSize(3);
        assertThat(process(0).request("GET", "/v1/buckets/del/collections/c/records", "alice", null).json()
                .path("data")).isEmpty();
        // A token already used on one process is refused by every other.
        for (int i = 0; i < 3; i++) {
            Response again = process(i).request("DELETE", used.get(0), "alice", null);
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.json().path("message").asText()).contains("_token");
        }
    }

    @Test
    void groupMembershipChangesAreHonouredAtOnceByEveryProcess() {
        String bob = process(0).request("GET", "/v1/", "bob", null).json().path("user").path("id").asText();
        assertThat(bob).startsWith("basicauth:");
        assertThat(process(0).request("PUT", "/v1/buckets/team", "alice", null).status()).isEqualTo(201);
        assertThat(process(1).request("PUT", "/v1/buckets/team/groups/readers", "alice",
                "{\"data\": {\"members\": []}}").status()).isEqualTo(201);
        assertThat(process(2).request("PUT", "/v1/buckets/team/collections/notes", "alice",
                "{\"permissions\": {\"read\": [\"/buckets/team/groups/readers\"]}}").status()).isEqualTo(201);
        String notes = "/v1/buckets/team/collections/notes/records";
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                // twice per process: the second answer comes from the cached principals
                assertThat(process(i).request("GET", notes, "bob", null).status()).isEqualTo(403);
            }
        }
        assertThat(process(0).request("PATCH", "/v1/buckets/team/groups/readers", "alice",
                "{\"data\": {\"members\": [\"" + bob + "\"]}}").status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(process(i).request("GET", notes, "bob", null).status()).as("process %d after the join", i)
                    .isEqualTo(200);
        }
        assertThat(process(1).request("PATCH", "/v1/buckets/team/groups/readers", "alice",
                "{\"data\": {\"members\": []}}").status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(process(i).request("GET", notes, "bob", null).status()).as("process %d after the leave", i)
                    .isEqualTo(403);
        }
    }
}
