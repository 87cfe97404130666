package org.kinto4j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** The server as a separate JVM (the test classpath), so tests can kill it with SIGKILL. */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code Main start --config} in {@code dir} and waits until {@code GET /v1/} answers. */
    public static ServerProcess start(Path dir, String config, int port, Map<String, String> env) {
        try {
            Path conf = dir.resolve("process.conf");
            Files.writeString(conf, "http.port = " + port + "\n" + config + "\n");
            Path log = dir.resolve("server-" + System.nanoTime() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "org.kinto4j.server.Main", "start", "--config", conf.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            ServerProcess p = new ServerProcess(pb.start(), port, log);
            HttpClient client = HttpClient.newHttpClient();
            try {
                awaitAnswering(p, client);
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitAnswering(ServerProcess p, HttpClient client) {
        Awaitility.await("kinto4j process answering on port " + p.port).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.process.isAlive()) {
                        throw new IllegalStateException("server process exited: " + Files.readString(p.log));
                    }
                    try {
                        return client.send(HttpRequest.newBuilder(URI.create(p.base() + "/v1/")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A request to this process, with basic auth for {@code user} (null: anonymous). */
    public TestServer.Response request(String method, String path, String user, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (user != null) {
            b.header("Authorization", TestServer.basic(user));
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new TestServer.Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The process id (for SIGSTOP/SIGCONT in tests). */
    public long pid() {
        return process.pid();
    }

    /** Sends a signal by name (STOP, CONT) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        if (new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: the shutdown hook runs. Returns the exit status. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
