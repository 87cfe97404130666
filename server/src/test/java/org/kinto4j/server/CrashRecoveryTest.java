package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledged writes survive kill -9 of the server (H2's write delay is switched off). */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestServer.basic("alice"))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAcknowledgedRecordIsThereAfterSigkillAndRestart() throws Exception {
        String config = "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j\"";
        int port = ServerProcess.freePort();
        List<String> acknowledged = new ArrayList<>();
        try (ServerProcess first = ServerProcess.start(dir, config, port, Map.of())) {
            String records = first.base() + "/v1/buckets/default/collections/crash/records";
            for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = send("POST", records, "{\"data\":{\"n\":" + i + "}}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                acknowledged.add(idOf(r.body()));
            }
            first.kill();
        }
        try (ServerProcess second = ServerProcess.start(dir, config, port, Map.of())) {
            HttpResponse<String> list = send("GET", second.base()
                    + "/v1/buckets/default/collections/crash/records?_limit=1000", null);
            assertThat(list.statusCode()).isEqualTo(200);
            for (String id : acknowledged) {
                assertThat(list.body()).contains(id);
            }
            second.terminate();
            assertThat(second.log()).as("SIGTERM runs the clean shutdown").contains("Stopping kinto4j").contains("kinto4j stopped");
        }
    }

    private static String idOf(String body) throws Exception {
        return org.kinto4j.server.json.Json.parse(body).path("data").path("id").asText();
    }
}
