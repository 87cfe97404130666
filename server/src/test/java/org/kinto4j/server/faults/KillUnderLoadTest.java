package org.kinto4j.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.ServerProcess;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.json.Json;

/**
 * SIGKILL while six clients write at once (creations with permissions, replacements, patches,
 * deletions, batches, new collections), then a restart on the same database: every write that
 * was acknowledged with a 2xx is there with its data, nothing is half-written (every object has
 * its permissions, every batch is all or nothing, every collection timestamp covers its
 * objects and tombstones), and the restarted server goes on with later timestamps.
 */
class KillUnderLoadTest {

    private static final int WRITERS = 6;
    private static final int KILL_AFTER_ACKNOWLEDGED = 240;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /** What a writer knows about one object it owns: its last acknowledged state and any unanswered write. */
    private static final class Known {
        final String path;
        JsonNode acknowledged; // data of the last 2xx write, or null when the last 2xx was a delete
        boolean acknowledgedDeleted;
        boolean everAcknowledged;
        JsonNode pending; // data sent without an answer (the kill came first); "deleted" marker for deletes
        boolean pendingDelete;
        boolean hasPending;
        boolean readableByOthers;

        Known(String path) {
            this.path = path;
        }
    }

    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                return Json.parse(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private static Reply send(String base, String method, String path, String user, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", TestServer.basic(user)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void everyAcknowledgedWriteSurvivesSigkillUnderConcurrentLoad(String storage) throws Exception {
        PostgresDatabase pg = storage.equals("postgresql") ? PostgresDatabase.create() : null;
        String url = pg != null ? pg.url() : "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j";
        String config = "storage.url = \"" + url + "\"";
        int port = ServerProcess.freePort();
        List<Map<String, Known>> known = new ArrayList<>();
        List<List<String>> batches = new ArrayList<>();
        AtomicInteger acknowledged = new AtomicInteger();
        try {
            try (ServerProcess first = ServerProcess.start(dir, config, port, Map.of())) {
                String base = first.base();
                assertThat(send(base, "PUT", "/v1/buckets/k9", "alice",
                        "{\"permissions\":{\"write\":[\"system.Authenticated\"]}}").status()).isEqualTo(201);
                for (int c = 0; c < 3; c++) {
                    assertThat(send(base, "PUT", "/v1/buckets/k9/collections/c" + c, "alice", null).status()).isEqualTo(201);
                }
                AtomicBoolean killed = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Map<String, Known> mine = new LinkedHashMap<>();
                    List<String> myBatches = new ArrayList<>();
                    known.add(mine);
                    batches.add(myBatches);
                    int writer = w;
                    futures.add(pool.submit(() -> {
                        write(base, writer, mine, myBatches, acknowledged, killed);
                        return null;
                    }));
                }
                Awaitility.await("acknowledged writes before the kill").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(10)).until(() -> acknowledged.get() >= KILL_AFTER_ACKNOWLEDGED);
                killed.set(true);
                first.kill();
                pool.shutdown();
                assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                for (Future<?> f : futures) {
                    f.get();
                }
            }
            System.out.println("KillUnderLoadTest[" + storage + "]: " + acknowledged.get() + " writes acknowledged before SIGKILL");

            try (ServerProcess second = ServerProcess.start(dir, config, port, Map.of())) {
                verify(second.base(), known, batches);
                second.terminate();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** One writer: its own objects only, so its acknowledged view is the truth for them. */
    private static void write(String base, int writer, Map<String, Known> mine, List<String> myBatches,
            AtomicInteger acknowledged, AtomicBoolean killed) {
        String user = "writer" + writer;
        String coll = "/v1/buckets/k9/collections/c" + (writer % 3);
        int n = 0;
        while (!killed.get() && n < 5_000) {
            n++;
            int op = n % 7;
            Known target;
            String method;
            String path;
            String body;
            switch (op) {
                case 0, 1 -> { // PUT a new record, readable by every authenticated user
                    path = coll + "/records/w" + writer + "-" + n;
                    target = mine.computeIfAbsent(path, Known::new);
                    target.readableByOthers = true;
                    method = "PUT";
                    body = "{\"data\":{\"n\":" + n + ",\"writer\":" + writer + "},"
                            + "\"permissions\":{\"read\":[\"system.Authenticated\"]}}";
                }
                case 2 -> { // replace an earlier record
                    path = coll + "/records/w" + writer + "-" + (n - 2);
                    target = mine.get(path);
                    method = "PUT";
                    body = "{\"data\":{\"n\":" + n + ",\"replaced\":true},\"permissions\":{\"read\":[\"system.Authenticated\"]}}";
                }
                case 3 -> { // patch it
                    path = coll + "/records/w" + writer + "-" + (n - 3);
                    target = mine.get(path);
                    method = "PATCH";
                    body = "{\"data\":{\"patched\":" + n + "}}";
                }
                case 4 -> { // delete another
                    path = coll + "/records/w" + writer + "-" + (n - 3);
                    target = mine.get(path);
                    method = "DELETE";
                    body = null;
                }
                case 5 -> { // a batch of three creations: all or nothing
                    String prefix = "b" + writer + "-" + n + "-";
                    StringBuilder sb = new StringBuilder("{\"defaults\":{\"method\":\"PUT\"},\"requests\":[");
                    for (int i = 0; i < 3; i++) {
                        sb.append(i > 0 ? "," : "").append("{\"path\":\"").append(coll.substring(3)).append("/records/")
                                .append(prefix).append(i).append("\",\"body\":{\"data\":{\"batch\":").append(n).append("}}}");
                    }
                    sb.append("]}");
                    try {
                        Reply r = send(base, "POST", "/v1/batch", user, sb.toString());
                        boolean all = r.status() == 200;
                        if (all) {
                            for (JsonNode sub : r.json().path("responses")) {
                                all &= sub.path("status").asInt() == 201;
                            }
                        }
                        assertThat(all).as("batch answered %s", r.body()).isTrue();
                        myBatches.add(coll + "/records/" + prefix + "|ack");
                        acknowledged.incrementAndGet();
                    } catch (IOException e) {
                        myBatches.add(coll + "/records/" + prefix + "|pending");
                        return;
                    }
                    continue;
                }
                default -> { // a new collection with its own permissions
                    path = "/v1/buckets/k9/collections/w" + writer + "-" + n;
                    target = mine.computeIfAbsent(path, Known::new);
                    target.readableByOthers = true;
                    method = "PUT";
                    body = "{\"data\":{\"n\":" + n + "},\"permissions\":{\"read\":[\"system.Authenticated\"]}}";
                }
            }
            if (target == null) {
                continue;
            }
            JsonNode sent = body == null ? null : parse(body).path("data");
            try {
                Reply r = send(base, method, path, user, body);
                assertThat(r.status()).as("%s %s answered %s", method, path, r.body()).isBetween(200, 299);
                JsonNode data = r.json().path("data");
                target.everAcknowledged = true;
                target.acknowledgedDeleted = method.equals("DELETE");
                target.acknowledged = data;
                acknowledged.incrementAndGet();
            } catch (IOException e) {
                target.hasPending = true;
                target.pendingDelete = method.equals("DELETE");
                target.pending = sent;
                return; // the server is gone
            }
        }
    }

    private static JsonNode parse(String s) {
        try {
            return Json.parse(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void verify(String base, List<Map<String, Known>> known, List<List<String>> batches) throws IOException {
        int checked = 0;
        for (int w = 0; w < known.size(); w++) {
            String user = "writer" + w;
            for (Known k : known.get(w).values()) {
                if (!k.everAcknowledged && !k.hasPending) {
                    continue;
                }
                Reply own = send(base, "GET", k.path, user, null);
                if (own.status() == 404) {
                    boolean fine = (k.everAcknowledged && k.acknowledgedDeleted && !k.hasPending)
                            || (k.hasPending && k.pendingDelete) || (!k.everAcknowledged && k.hasPending);
                    assertThat(fine).as("%s is missing; acknowledged %s (deleted: %s), pending %s (delete: %s)", k.path,
                            k.acknowledged, k.acknowledgedDeleted, k.pending, k.pendingDelete).isTrue();
                    checked++;
                    continue;
                }
                assertThat(own.status()).as("GET %s: %s", k.path, own.body()).isEqualTo(200);
                JsonNode data = own.json().path("data");
                boolean isAcknowledged = k.everAcknowledged && !k.acknowledgedDeleted && sameFields(k.acknowledged, data);
                boolean isPending = k.hasPending && !k.pendingDelete && containsFields(data, k.pending);
                assertThat(isAcknowledged || isPending)
                        .as("%s holds %s; acknowledged %s (deleted: %s), pending %s", k.path, data, k.acknowledged,
                                k.acknowledgedDeleted, k.pending).isTrue();
                if (isAcknowledged && !isPending) {
                    assertThat(data.path("last_modified").asLong()).isEqualTo(k.acknowledged.path("last_modified").asLong());
                }
                // Its permissions were committed with it: the writer still sees itself as writer...
                assertThat(own.json().path("permissions").path("write")).as("write ACL of %s", k.path).isNotEmpty();
                // ...and another user can read what was shared with every authenticated user.
                if (k.readableByOthers) {
                    assertThat(send(base, "GET", k.path, "someone-else", null).status()).as("read ACL of %s", k.path)
                            .isEqualTo(200);
                }
                checked++;
            }
        }
        for (List<String> mine : batches) {
            for (String b : mine) {
                String prefix = b.substring(0, b.indexOf('|'));
                boolean acked = b.endsWith("|ack");
                int present = 0;
                for (int i = 0; i < 3; i++) {
                    if (send(base, "GET", prefix + i, "alice", null).status() == 200) {
                        present++;
                    }
                }
                assertThat(present).as("batch %s (%s): records present", prefix, acked ? "acknowledged" : "unanswered")
                        .isIn(acked ? List.of(3) : List.of(0, 3));
            }
        }
        assertThat(checked).isGreaterThan(KILL_AFTER_ACKNOWLEDGED / 3);

        // Every collection timestamp covers its objects and tombstones, and later writes go above it.
        for (int c = 0; c < 3; c++) {
            String records = "/v1/buckets/k9/collections/c" + c + "/records";
            Reply list = send(base, "GET", records + "?_since=0&_sort=-last_modified&_limit=1", "alice", null);
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            JsonNode newest = list.json().path("data").path(0);
            long etag = Long.parseLong(headerEtag(base, records));
            if (!newest.isMissingNode()) {
                assertThat(etag).as("collection timestamp of c%d vs its newest object", c)
                        .isEqualTo(newest.path("last_modified").asLong());
            }
            Reply after = send(base, "POST", records, "alice", "{\"data\":{\"after\":\"restart\"}}");
            assertThat(after.status()).isEqualTo(201);
            assertThat(after.json().path("data").path("last_modified").asLong()).isGreaterThan(etag);
        }
    }

    private static String headerEtag(String base, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path + "?_limit=1"))
                .header("Authorization", TestServer.basic("alice")).build();
        try {
            HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
            return r.headers().firstValue("ETag").orElseThrow().replace("\"", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The stored object is exactly what the acknowledgement returned. */
    private static boolean sameFields(JsonNode acknowledged, JsonNode stored) {
        return acknowledged != null && acknowledged.equals(stored);
    }

    /** The stored object carries every field that an unanswered write sent. */
    private static boolean containsFields(JsonNode stored, JsonNode sent) {
        if (sent == null || !sent.isObject()) {
            return false;
        }
        for (var it = sent.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().equals(stored.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
