package org.kinto4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.kinto4j.server.config.ConfigLoader;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;

/**
 * The real server on a free port over a temporary H2 database (or the given storage), and a
 * small HTTP client for tests.
 */
public final class TestServer implements AutoCloseable {

    /**
     * One per server: a client shared by every test keeps the keep-alive connections of stopped
     * servers in its pool, and a new server given the same port by the system can then get a
     * request on one of them ("header parser received no bytes"; a GET is retried, a PUT is not:
     * the likely cause of a ChangeFeedTest failure seen once in CI).
     */
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Server server;
    private final Path dir;
    /** True when {@link #start} made {@link #dir}: it is deleted on close. */
    private boolean ownsDir;
    private final String base;

    private TestServer(Server server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.base = "http://127.0.0.1:" + server.port();
    }

    public static TestServer start() {
        return start("", Map.of());
    }

    public static TestServer start(String extraConfig) {
        return start(extraConfig, Map.of());
    }

    public static TestServer start(String extraConfig, Map<String, String> env) {
        try {
            Path dir = Files.createTempDirectory("kinto4j-test");
            try {
                TestServer s = startIn(dir, extraConfig, env);
                s.ownsDir = true;
                return s;
            } catch (RuntimeException e) {
                TempDirectories.delete(dir);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts in {@code dir} (H2 database and plugins folder inside it unless the config says otherwise). */
    public static TestServer startIn(Path dir, String extraConfig, Map<String, String> env) {
        try {
            Files.createDirectories(dir.resolve("plugins"));
            String conf = "http.port = 0\n"
                    + "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j\"\n"
                    + "plugins_dir = \"" + dir.resolve("plugins").toAbsolutePath() + "\"\n"
                    + extraConfig + "\n";
            Path file = dir.resolve("server.conf");
            Files.writeString(file, conf);
            ServerSettings settings = new ConfigLoader(env).load(file);
            return new TestServer(Server.start(settings, env), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String base() {
        return base;
    }

    public int port() {
        return server.port();
    }

    /** Commits stay in memory only, not written to the H2 file, until the handle is closed. */
    public AutoCloseable holdFileWrites() {
        return server.holdFileWrites();
    }

    @Override
    public void close() {
        server.close();
        if (ownsDir) {
            TempDirectories.delete(dir);
        }
    }

    // ---- HTTP --------------------------------------------------------------------------------

    /** A response with its body parsed as JSON when possible. */
    public record Response(int status, java.net.http.HttpHeaders headers, String text) {
        public JsonNode json() {
            try {
                return Json.parse(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public static String basic(String user) {
        String credentials = user.contains(":") ? user : user + ":secret";
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    public Response request(String method, String path, String user, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("Authorization", basic(user));
        }
        boolean hasContentType = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            hasContentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !hasContentType) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client that sends {@code user}'s credentials ({@code "alice"} or {@code "alice:password"}). */
    public Client as(String user) {
        return new Client(this, user);
    }

    public Response get(String path, String user) {
        return request("GET", path, user, null);
    }

    public Response put(String path, String user, String body) {
        return request("PUT", path, user, body);
    }

    public Response post(String path, String user, String body) {
        return request("POST", path, user, body);
    }

    public Response patch(String path, String user, String body) {
        return request("PATCH", path, user, body);
    }

    public Response delete(String path, String user) {
        return request("DELETE", path, user, null);
    }
}
