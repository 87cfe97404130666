package org.kinto4j.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;

/**
 * At least 10,000 malformed requests from four clients at once: no 5xx, every error in Kinto's
 * format, the server still answers afterwards and its heap does not grow with the abuse.
 * The corpus is reproducible: the seed is printed and can be fixed with -Dkinto4j.fuzz.seed=N.
 */
@KintoServer
class FuzzTest {

    private static final int CLIENTS = 4;
    private static final int PER_CLIENT = 2_600;

    private final TestServer server;

    FuzzTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        assertThat(alice.put("/v1/buckets/" + FuzzCorpus.BUCKET).status()).isEqualTo(201);
        assertThat(alice.put("/v1/buckets/" + FuzzCorpus.BUCKET + "/collections/c").status()).isEqualTo(201);
        assertThat(alice.put("/v1/buckets/" + FuzzCorpus.BUCKET + "/collections/c/records/r1",
                "{\"data\":{\"title\":\"one\",\"arr\":[1,2]}}").status()).isEqualTo(201);
        assertThat(alice.put("/v1/buckets/" + FuzzCorpus.BUCKET + "/groups/g",
                "{\"data\":{\"members\":[]}}").status()).isEqualTo(201);
    }

    @Test
    void tenThousandMalformedRequestsGetKintoErrorsAndNeverA5xx() throws Exception {
        long seed = Long.getLong("kinto4j.fuzz.seed", System.nanoTime());
        System.out.println("FuzzTest seed: " + seed + " (rerun with -Dkinto4j.fuzz.seed=" + seed + ")");
        long heapBefore = heapAfterGc();

        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> failuresByKind = new ConcurrentHashMap<>();
        Map<String, java.util.concurrent.atomic.AtomicLong> nanosByKind = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<String> serverErrors = Collections.synchronizedList(new ArrayList<>());
        AppenderBase<ILoggingEvent> errorLines = errorCollector(serverErrors);
        Logger root = (Logger) org.slf4j.LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        errorLines.start();
        root.addAppender(errorLines);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                long clientSeed = seed + c;
                futures.add(pool.submit(() -> {
                    FuzzCorpus corpus = new FuzzCorpus(clientSeed);
                    try (RawHttp keepAlive = new RawHttp(server.port())) {
                        for (int i = 0; i < PER_CLIENT; i++) {
                            FuzzCorpus.Request req = corpus.next();
                            long t0 = System.nanoTime();
                            String failure = exchange(req, keepAlive, statuses);
                            nanosByKind.computeIfAbsent(req.kind().replaceAll("/.*", ""),
                                    k -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(System.nanoTime() - t0);
                            sent.incrementAndGet();
                            if (failure != null) {
                                failuresByKind.computeIfAbsent(req.kind().replaceAll("/.*", ""), k -> new AtomicInteger())
                                        .incrementAndGet();
                                if (failures.size() < 40) {
                                    failures.add(failure);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            root.detachAppender(errorLines);
        }
        System.out.println("FuzzTest: " + sent.get() + " requests, statuses " + new TreeMap<>(statuses));
        Map<String, Long> msByKind = new TreeMap<>();
        nanosByKind.forEach((k, v) -> msByKind.put(k, v.get() / 1_000_000));
        System.out.println("FuzzTest: client time per kind (ms) " + msByKind);

        assertThat(failures).as("requests answered with a 5xx, a non-Kinto error body or no answer (by kind: "
                + new TreeMap<>(failuresByKind) + "; seed " + seed + "; the server logged: "
                + (serverErrors.isEmpty() ? "no ERROR line" : String.join("\n", serverErrors)) + ")").isEmpty();
        assertThat(sent.get()).isGreaterThanOrEqualTo(10_000);

        // Still answering, reads and writes (in a bucket the fuzz never touched).
        assertThat(server.get("/v1/", null).status()).isEqualTo(200);
        assertThat(server.put("/v1/buckets/after", "carol", null).status()).isEqualTo(201);
        assertThat(server.put("/v1/buckets/after/collections/c", "carol", null).status()).isEqualTo(201);
        TestServer.Response created = server.post("/v1/buckets/after/collections/c/records", "carol",
                "{\"data\":{\"after\":\"fuzz\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().path("data").path("id").asText();
        assertThat(server.get("/v1/buckets/after/collections/c/records/" + id, "carol").status()).isEqualTo(200);

        long heapAfter = heapAfterGc();
        System.out.printf("FuzzTest: heap after GC %d MB before, %d MB after%n", heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter - heapBefore).as("heap growth in bytes after the fuzz run").isLessThan(64L << 20);
    }

    /** Sends one request; returns a description of what is wrong, or null. */
    private String exchange(FuzzCorpus.Request req, RawHttp keepAlive, Map<String, AtomicInteger> statuses) {
        RawHttp.Response r;
        try {
            if (req.oneShot()) {
                try (RawHttp once = new RawHttp(server.port())) {
                    r = once.send(req.bytes(), req.head());
                }
            } else {
                r = keepAlive.send(req.bytes(), req.head());
            }
        } catch (IOException e) {
            keepAlive.close();
            return "[" + req.kind() + "] " + req.summary() + " => no response: " + e;
        }
        statuses.computeIfAbsent(r.status() + "", k -> new AtomicInteger()).incrementAndGet();
        if (r.status() >= 500) {
            return "[" + req.kind() + "] " + req.summary() + " => " + KintoErrors.describe(r.status(), r.body());
        }
        if (r.status() >= 400) {
            String problem = req.head()
                    ? (r.header("content-type") != null && r.header("content-type").startsWith("application/json") ? null
                            : "Content-Type " + r.header("content-type"))
                    : KintoErrors.problem(r.status(), r.header("content-type"), r.body());
            if (problem != null) {
                return "[" + req.kind() + "] " + req.summary() + " => " + problem + ": "
                        + KintoErrors.describe(r.status(), r.body());
            }
        }
        return null;
    }

    /** Keeps the server's first ERROR lines with their stack traces, so that a rare failure explains itself. */
    private static AppenderBase<ILoggingEvent> errorCollector(List<String> into) {
        return new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                if (e.getLevel().isGreaterOrEqual(Level.ERROR) && into.size() < 3) {
                    into.add(e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
                }
            }
        };
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
