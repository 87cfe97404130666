package org.kinto4j.server.storage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.kinto4j.server.json.Json;

/**
 * The top-level members of a stored document that a query reads (its filter and sort fields,
 * for a dotted field both the literal dotted key and its first segment, as {@link JsonOrder#at}
 * resolves it), read from the stored text with a streaming parser that skips every other member.
 */
final class NeededFields {

    private static final ObjectReader TREE = Json.mapper().readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Set<String> names;

    private NeededFields(Set<String> names) {
        this.names = names;
    }

    static NeededFields of(ListQuery query) {
        Set<String> names = new HashSet<>();
        for (Filter f : query.filters()) {
            add(names, f.field());
        }
        for (Sort s : query.sorts()) {
            add(names, s.field());
        }
        return new NeededFields(Set.copyOf(names));
    }

    private static void add(Set<String> names, String path) {
        names.add(path);
        int dot = path.indexOf('.');
        if (dot > 0) {
            names.add(path.substring(0, dot));
        }
    }

    /** The needed members of {@code data} (a stored JSON object), as an object of their own. */
    ObjectNode read(String data) {
        ObjectNode out = Json.object();
        if (names.isEmpty()) {
            return out;
        }
        try (JsonParser p = Json.mapper().createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored object is not a JSON object");
            }
            int found = 0;
            while (found < names.size() && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (names.contains(name)) {
                    out.set(name, TREE.<JsonNode>readValue(p));
                    found++;
                } else {
                    p.skipChildren();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("stored object is not valid JSON", e);
        }
    }
}
