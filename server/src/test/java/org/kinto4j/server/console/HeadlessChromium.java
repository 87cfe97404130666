package org.kinto4j.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.kinto4j.server.TempDirectories;
import org.kinto4j.server.json.Json;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools protocol (a WebSocket):
 * navigate, evaluate JavaScript in the page, take screenshots. Without Chromium on the PATH the
 * test is skipped with a message, except with {@code CI=true}, where it fails.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static HeadlessChromium launch(int width, int height) throws Exception {
        String binary = find("chromium", "chromium-browser", "google-chrome");
        Path profile = Files.createTempDirectory("kinto4j-chromium");
        Process p = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "about:blank").redirectErrorStream(true).start();
        String browserUrl = devToolsUrl(p);
        URI browser = URI.create(browserUrl);
        String list = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + browser.getHost() + ":" + browser.getPort()
                + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageUrl = null;
        for (JsonNode target : Json.parse(list)) {
            if (target.path("type").asText().equals("page")) {
                pageUrl = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            p.destroyForcibly();
            throw new IllegalStateException("Chromium has no page target: " + list);
        }
        Receiver receiver = new Receiver();
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(pageUrl), receiver).get(30, TimeUnit.SECONDS);
        HeadlessChromium chromium = new HeadlessChromium(p, profile, ws);
        receiver.owner = chromium;
        chromium.call("Page.enable", Json.object());
        return chromium;
    }

    private static String find(String... names) {
        String path = System.getenv("PATH");
        for (String name : names) {
            for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        String message = "Chromium was not found on the PATH (" + String.join(", ", names) + "): the console test "
                + "drives Debian's headless chromium (apt-get install chromium; .ci/run installs it).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " CI=true, so this is a failure rather than a skip.");
        }
        Assumptions.abort(message);
        return null;
    }

    /** Reads Chromium's output until it prints the DevTools WebSocket address. */
    private static String devToolsUrl(Process p) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    int at = line.indexOf("ws://");
                    if (line.contains("DevTools listening on") && at >= 0) {
                        url.complete(line.substring(at).trim());
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            url.completeExceptionally(new IllegalStateException("Chromium exited: " + output));
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(60, TimeUnit.SECONDS);
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        ObjectNode message = Json.object();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params);
        socket.sendText(Json.write(message), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = result.get(30, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    void navigate(String url) throws Exception {
        ObjectNode params = Json.object();
        params.put("url", url);
        call("Page.navigate", params);
    }

    /** Evaluates an expression in the page (promises awaited) and returns its value. */
    JsonNode eval(String expression) throws Exception {
        ObjectNode params = Json.object();
        params.put("expression", expression);
        params.put("returnByValue", true);
        params.put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page error: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    boolean isTrue(String expression) {
        try {
            return eval(expression).asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    void screenshot(Path file) throws Exception {
        ObjectNode params = Json.object();
        params.put("format", "png");
        params.put("captureBeyondViewport", true);
        String data = call("Page.captureScreenshot", params).path("data").asText();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        TempDirectories.delete(profile);
    }

    /** Collects fragmented text frames and completes the call waiting for each answer. */
    private static final class Receiver implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = Json.parse(text.toString());
                    if (message.has("id") && owner != null) {
                        CompletableFuture<JsonNode> f = owner.pending.remove(message.get("id").asInt());
                        if (f != null) {
                            f.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: ignored
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
