package org.kinto4j.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.standardwebhooks.Webhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.kinto4j.server.json.Json;

/**
 * A webhook receiver on loopback (the JDK's HTTP server) that verifies every request with the
 * official Standard Webhooks library, once per secret it knows, and records it. Answers 200
 * unless told otherwise with {@link #answerNext}; a request that fails verification gets 400
 * and is recorded in {@link #verificationFailures()}.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    record Request(String id, long timestamp, String signature, String body, long nanos, int status) {
        JsonNode json() {
            try {
                return Json.parse(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final List<Webhook> verifiers = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Deque<String[]> script = new ArrayDeque<>();
    private HttpServer server;
    private int port;

    WebhookReceiver(String... secrets) {
        for (String s : secrets) {
            verifiers.add(new Webhook(s));
        }
    }

    static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    WebhookReceiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    /** Stops listening: deliveries fail with "connection refused" until {@link #start()} again (same port). */
    void stop() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** The next request gets this status and these headers (name, value, ...). */
    synchronized void answerNext(int status, String... headers) {
        String[] answer = new String[headers.length + 1];
        answer[0] = Integer.toString(status);
        System.arraycopy(headers, 0, answer, 1, headers.length);
        script.add(answer);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests answered 2xx. */
    synchronized List<Request> accepted() {
        return requests.stream().filter(r -> r.status() / 100 == 2).toList();
    }

    /** Every event accepted, in order, arrays (batches) flattened. */
    synchronized List<JsonNode> acceptedEvents() {
        List<JsonNode> out = new ArrayList<>();
        for (Request r : accepted()) {
            JsonNode body = r.json();
            if (body.isArray()) {
                body.forEach(out::add);
            } else {
                out.add(body);
            }
        }
        return out;
    }

    synchronized List<String> verificationFailures() {
        return List.copyOf(failures);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        int status = 200;
        String[] answer;
        synchronized (this) {
            answer = script.poll();
            for (Webhook verifier : verifiers) {
                try {
                    verifier.verify(body, headers);
                } catch (Exception e) {
                    failures.add(e + " for " + headers);
                    status = 400;
                }
            }
            if (status == 200 && answer != null) {
                status = Integer.parseInt(answer[0]);
            }
            requests.add(new Request(first(headers, "webhook-id"), Long.parseLong(first(headers, "webhook-timestamp")),
                    first(headers, "webhook-signature"), body, System.nanoTime(), status));
        }
        if (answer != null) {
            for (int i = 1; i + 1 < answer.length; i += 2) {
                exchange.getResponseHeaders().add(answer[i], answer[i + 1]);
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? "0" : v.get(0);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
