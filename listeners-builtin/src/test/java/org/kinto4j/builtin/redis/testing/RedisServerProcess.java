package org.kinto4j.builtin.redis.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private {@code redis-server} on a free port of 127.0.0.1, started as a child process so a
 * test can stop and restart it. Nothing is persisted ({@code --save "" --appendonly no}).
 * Test-only.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path binary;
    private final int port;
    private final String password;
    private final Path workDirectory;
    private Process process;

    private RedisServerProcess(Path binary, int port, String password) {
        this.binary = binary;
        this.port = port;
        this.password = password;
        try {
            this.workDirectory = Files.createTempDirectory("redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on a free port, not started yet: its address refuses connections. */
    public static RedisServerProcess onFreePort(Path binary) {
        return new RedisServerProcess(binary, freePort(), null);
    }

    /** Like {@link #onFreePort}, requiring {@code password} ({@code --requirepass}). */
    public static RedisServerProcess onFreePortWithPassword(Path binary, String password) {
        return new RedisServerProcess(binary, freePort(), password);
    }

    public int port() {
        return port;
    }

    /** {@code redis://[:password@]127.0.0.1:PORT/0}. */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port + "/0";
    }

    /** Starts the server and waits until it answers. */
    public RedisServerProcess start() {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", workDirectory.toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(workDirectory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary, e);
        }
        await("redis-server on port " + port + " to accept connections (log: "
                + workDirectory.resolve("redis.log") + ")")
                .atMost(STARTUP).pollInterval(Duration.ofMillis(20))
                .until(() -> process.isAlive() ? answersPing() : failStartup());
        return this;
    }

    /** Stops the server (SIGTERM) and waits until it has exited and the port is closed. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
        await("port " + port + " to close").atMost(STARTUP).until(() -> !accepts());
    }

    /** Stops the server and deletes its working directory (its log). */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(workDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left in the temp folder
        }
    }

    private boolean failStartup() throws IOException {
        throw new IllegalStateException("redis-server exited with status " + process.exitValue()
                + ": " + Files.readString(workDirectory.resolve("redis.log")));
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[64];
            InputStream in = socket.getInputStream();
            int read = in.read(reply);
            String answer = read > 0 ? new String(reply, 0, read, StandardCharsets.US_ASCII) : "";
            // without the password Redis answers -NOAUTH: it is up all the same
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port of 127.0.0.1 nothing listens on (at the time of the call). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
