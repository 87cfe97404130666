package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;

/**
 * The listener API additions made for the history plugin, used by a third-party plugin through the real loader:
 * {@code ListenerStorage.permissions/setPermissions} and {@code ListenerContext.exposeUnderBuckets}.
 */
class ExposedResourcePluginTest {

    @TempDir
    Path dir;

    private static final String AUDIT = """
            package audit;

            import java.util.*;
            import org.kinto4j.listener.*;

            public class AuditFactory implements ListenerFactory {
                @Override public String name() { return "audit"; }
                @Override public Listener create(ListenerContext context) {
                    context.exposeUnderBuckets(new ExposedResource("audit", "audit",
                            Map.of("description", "Who touched what")));
                    return event -> {
                        for (Map<String, Object> impacted : event.impactedObjects()) {
                            Map<?, ?> obj = (Map<?, ?>) impacted.get("new");
                            String bucket = "/buckets/" + event.payload().get("bucket_id");
                            String uri = bucket + "/collections/" + obj.get("id");
                            Map<String, List<String>> acl = event.storage().permissions(uri);
                            Map<String, Object> entry = new LinkedHashMap<>();
                            entry.put("uri", uri);
                            entry.put("writers", acl.getOrDefault("write", List.of()));
                            Map<String, Object> stored = event.storage().create("audit", bucket, entry);
                            event.storage().setPermissions("audit", bucket, (String) stored.get("id"),
                                    Map.of("read", acl.getOrDefault("read", List.of())));
                        }
                    };
                }
            }
            """;

    @Test
    void aPluginStoresReadsAclsAndServesItsObjectsUnderBuckets() {
        PluginJar.create().factory("audit.AuditFactory").source("audit.AuditFactory", AUDIT)
                .writeTo(dir.resolve("plugins/audit.jar"));
        try (TestServer s = TestServer.startIn(dir, "event_listeners { audit { use = audit, resources = [collection] } }",
                Map.of())) {
            String alice = s.get("/v1/", "alice").json().at("/user/id").asText();
            String bob = s.get("/v1/", "bob").json().at("/user/id").asText();
            s.put("/v1/buckets/b", "alice", null);
            s.put("/v1/buckets/b/collections/open", "alice", "{\"permissions\":{\"read\":[\"" + bob + "\"]}}");
            s.put("/v1/buckets/b/collections/closed", "alice", null);

            JsonNode all = s.get("/v1/buckets/b/audit?_sort=uri", "alice").json().get("data");
            assertThat(all).hasSize(2);
            assertThat(all.get(0).get("uri").asText()).isEqualTo("/buckets/b/collections/closed");
            assertThat(all.get(0).get("writers").get(0).asText()).isEqualTo(alice);
            JsonNode bobs = s.get("/v1/buckets/b/audit", "bob").json().get("data");
            assertThat(bobs).hasSize(1);
            assertThat(bobs.get(0).get("uri").asText()).isEqualTo("/buckets/b/collections/open");
            assertThat(s.get("/v1/", null).json().at("/capabilities/audit/description").asText())
                    .isEqualTo("Who touched what");
            assertThat(s.get("/v1/buckets/b/history", "alice").status()).isEqualTo(404);
        }
    }
}
