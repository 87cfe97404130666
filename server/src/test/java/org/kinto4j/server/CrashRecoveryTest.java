package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void everyAcknowledgedRecordIsThereAfterSigkillAndRestart() throws Exception {
        String config = "storage.url = \"jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "/kinto4j\"";
        int port = ServerProcess.freePort();
        List<String> acknowledged = new ArrayList<>();
        try (ServerProcess first = ServerProcess.start(dir, config, port, Map.of())) {
            for (int i = 0; i < 200; i++) {
                TestServer.Response r = first.request("POST", "/v1/buckets/default/collections/crash/records", "alice",
                        "{\"data\":{\"n\":" + i + "}}");
                assertThat(r.status()).as(r.text()).isEqualTo(201);
                acknowledged.add(r.json().path("data").path("id").asText());
            }
            first.kill();
        }
        try (ServerProcess second = ServerProcess.start(dir, config, port, Map.of())) {
            TestServer.Response list = second.request("GET", "/v1/buckets/default/collections/crash/records?_limit=1000",
                    "alice", null);
            assertThat(list.status()).isEqualTo(200);
            for (String id : acknowledged) {
                assertThat(list.text()).contains(id);
            }
            second.terminate();
            assertThat(second.log()).as("SIGTERM runs the clean shutdown").contains("Stopping kinto4j").contains("kinto4j stopped");
        }
    }

}
