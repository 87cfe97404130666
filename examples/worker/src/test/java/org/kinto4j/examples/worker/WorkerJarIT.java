package org.kinto4j.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the packaged {@code target/worker.jar} with {@code java -jar}, as a user would. */
class WorkerJarIT {

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        RunningWorker worker = start("--help");

        assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        worker.drained();
        assertThat(worker.process.exitValue()).isZero();
        assertThat(String.join("\n", worker.stdout)).contains("Usage: java -jar worker.jar", "--url", "--list");
    }

    @Test
    void unknownOptionIsNamedOnStderrWithExitStatusTwo() throws Exception {
        RunningWorker worker = start("--bogus");

        assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        worker.drained();
        assertThat(worker.process.exitValue()).isEqualTo(2);
        assertThat(worker.stderr).first().isEqualTo("worker: unknown option '--bogus'; valid options are --url, --list and --help");
        assertThat(worker.stdout).isEmpty();
    }

    @Test
    void printsPushedEventsInOrderOnStdoutWithoutLoggingNoise() throws Exception {
        String url = TestRedis.url();
        String listName = TestRedis.uniqueListName();
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> producer = client.connect()) {
            RunningWorker worker = start("--url", url, "--list", listName);

            producer.sync().rpush(listName, "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(worker.stdout).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"));

            worker.process.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops the loop
            assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).as("worker exits after SIGTERM").isTrue();
            worker.drained();
            assertThat(worker.process.exitValue()).as("the JVM's status after SIGTERM").isEqualTo(143);
            assertThat(worker.stderr).singleElement().asString()
                    .startsWith("worker: connected to redis://")
                    .endsWith(", waiting for events on list '" + listName + "' (Ctrl-C to stop)");
            producer.sync().del(listName);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void unreachableRedisIsReportedWithExitStatusOne() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RunningWorker worker = start("--url", "redis://127.0.0.1:" + closedPort + "/0");

        assertThat(worker.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        worker.drained();
        assertThat(worker.process.exitValue()).isEqualTo(1);
        assertThat(worker.stderr).singleElement().asString()
                .contains("worker: Redis at redis://127.0.0.1:" + closedPort + "/0 failed")
                .contains("Is redis-server running there?");
    }

    private RunningWorker start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("kinto4j.worker.jar", "target/worker.jar"));
        assertThat(jar).as("run `mvn package` first").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        return new RunningWorker(process);
    }

    /** A worker process whose stdout and stderr lines are collected as they come. */
    private static final class RunningWorker {
        final Process process;
        final List<String> stdout = new CopyOnWriteArrayList<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();
        private final Thread stdoutReader;
        private final Thread stderrReader;

        RunningWorker(Process process) {
            this.process = process;
            this.stdoutReader = collect(process.getInputStream(), stdout);
            this.stderrReader = collect(process.getErrorStream(), stderr);
        }

        /** Waits until both streams reached their end (call after the process exited). */
        void drained() throws InterruptedException {
            stdoutReader.join(Duration.ofSeconds(10).toMillis());
            stderrReader.join(Duration.ofSeconds(10).toMillis());
        }

        private static Thread collect(InputStream stream, List<String> lines) {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    in.lines().forEach(lines::add);
                } catch (IOException e) {
                    lines.add("<read failed: " + e + ">");
                }
            });
            reader.setDaemon(true);
            reader.start();
            return reader;
        }
    }
}
