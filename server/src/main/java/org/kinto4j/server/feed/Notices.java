package org.kinto4j.server.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kinto4j.listener.Action;
import org.kinto4j.server.events.ChangeEvent;
import org.kinto4j.server.json.Json;

/** {@link Notice}s from a request's events, and their compact JSON form for PostgreSQL NOTIFY. */
final class Notices {

    /** PostgreSQL's NOTIFY payload limit is 8000 bytes; above this the action hints are left out. */
    static final int MAX_PAYLOAD = 7_500;

    private Notices() {
    }

    static List<Notice> of(String origin, List<ChangeEvent> events) {
        List<Notice> out = new ArrayList<>();
        for (ChangeEvent e : events) {
            if (e.action() == Action.READ) {
                continue;
            }
            String action = e.action().value();
            String parent = e.parentId() == null ? "" : e.parentId();
            String[] p = parent.split("/", -1);
            switch (e.resourceName()) {
                case "record" -> {
                    if (p.length < 5) {
                        continue;
                    }
                    Map<Long, String> hints = new HashMap<>();
                    Map<Long, ObjectNode> versions = new HashMap<>();
                    for (JsonNode entry : e.impacted()) {
                        long ts = entry.path("new").path("last_modified").asLong();
                        hints.put(ts, action);
                        if (entry.path("new") instanceof ObjectNode written && written.hasNonNull("id")) {
                            versions.put(ts, written);
                        }
                    }
                    out.add(new Notice(origin, "record", p[2], p[4], e.userId(), hints, versions));
                }
                case "collection" -> {
                    for (JsonNode entry : e.impacted()) {
                        String id = entry.path("new").path("id").asText(entry.path("old").path("id").asText());
                        out.add(new Notice(origin, "collection", p[2], id, e.userId(), Map.of(0L, action)));
                    }
                }
                case "bucket" -> {
                    for (JsonNode entry : e.impacted()) {
                        String id = entry.path("new").path("id").asText(entry.path("old").path("id").asText());
                        out.add(new Notice(origin, "bucket", id, null, e.userId(), Map.of(0L, action)));
                    }
                }
                case "group" -> out.add(new Notice(origin, "group", p.length > 2 ? p[2] : "", null, e.userId(),
                        Map.of(0L, action)));
                default -> {
                }
            }
        }
        return out;
    }

    static String toJson(Notice n) {
        ObjectNode o = Json.object();
        o.put("o", n.origin());
        o.put("r", n.resourceName());
        o.put("b", n.bucketId());
        if (n.collectionId() != null) {
            o.put("c", n.collectionId());
        }
        if (n.userId() != null) {
            o.put("u", n.userId());
        }
        ObjectNode h = o.putObject("h");
        n.hints().forEach((ts, action) -> h.put(Long.toString(ts), action));
        String json = Json.write(o);
        if (json.length() > MAX_PAYLOAD) {
            o.remove("h");
            json = Json.write(o);
        }
        return json;
    }

    static Notice fromJson(String json) throws IOException {
        JsonNode o = Json.parseDataNamed(json);
        Map<Long, String> hints = new HashMap<>();
        o.path("h").properties().forEach(e -> hints.put(Long.parseLong(e.getKey()), e.getValue().asText()));
        return new Notice(o.path("o").asText(), o.path("r").asText(), o.path("b").asText(),
                o.hasNonNull("c") ? o.get("c").asText() : null, o.hasNonNull("u") ? o.get("u").asText() : null, hints);
    }
}
