package org.kinto4j.server.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinto4j.server.TestServer;

/** Listener storage refuses Kinto's own resource names (reads and writes) and keeps plugin names, history included. */
class ReservedStorageNamesTest {

    @TempDir
    Path dir;

    @Test
    void builtInNamesAreRefusedWithTheReservedListAndHistoryIsAllowed() throws Exception {
        Path out = dir.resolve("out.txt");
        PluginJar.create().factory("probe.ProbeFactory").source("probe.ProbeFactory", """
                package probe;

                import java.nio.file.*;
                import java.util.Map;
                import org.kinto4j.listener.*;

                public class ProbeFactory implements ListenerFactory {
                    @Override public String name() { return "probe"; }
                    @Override public Listener create(ListenerContext context) {
                        Path out = Path.of(context.settings().string("file"));
                        return event -> {
                            StringBuilder sb = new StringBuilder();
                            for (String name : new String[] {"bucket", "collection", "group", "record", "account", "history", "tracker"}) {
                                try {
                                    event.storage().create(name, "/buckets/b", Map.of("id", "x-" + name));
                                    sb.append(name).append(" ok ").append(event.storage().count(name, "/buckets/b", Map.of())).append('\\n');
                                } catch (IllegalArgumentException e) {
                                    sb.append(name).append(" refused ").append(e.getMessage()).append('\\n');
                                }
                            }
                            try {
                                event.storage().get("record", "/buckets/b/collections/c", "r1");
                                sb.append("read ok\\n");
                            } catch (IllegalArgumentException e) {
                                sb.append("read refused\\n");
                            }
                            Files.writeString(out, sb.toString());
                        };
                    }
                }
                """).writeTo(dir.resolve("plugins/probe.jar"));
        try (TestServer s = TestServer.startIn(dir, "event_listeners { probe { use = probe, resources = [bucket], file = \""
                + out + "\" } }", Map.of())) {
            assertThat(s.put("/v1/buckets/b", "alice", null).status()).isEqualTo(201);
            List<String> lines = Files.readAllLines(out);
            for (String name : List.of("bucket", "collection", "group", "record", "account")) {
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(name + " refused resource name '" + name
                        + "' is reserved: account, bucket, collection, group, record are Kinto's own resources"));
            }
            assertThat(lines).contains("history ok 1", "tracker ok 1", "read refused");
            assertThat(s.get("/v1/buckets/b/collections", "alice").json().path("data").size())
                    .as("no collection written behind Kinto's back").isZero();
        }
    }
}
