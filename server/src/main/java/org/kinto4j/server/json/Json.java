package org.kinto4j.server.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON codec of the server: a single thread-safe mapper, created once. Integers of any
 * size are kept exactly (Kinto stores {@code 2**65} unchanged).
 */
public final class Json {

    /** Nesting deeper than this is refused (the body is rejected with 400 "Invalid JSON"). */
    public static final int MAX_NESTING_DEPTH = 200;

    private static final JsonNodeFactory NODES = new FiniteNumbers();
    private static final ObjectMapper MAPPER = createMapper(true);
    /** Keeps no field names: for JSON whose names are data, which would fill and churn the shared table. */
    private static final ObjectMapper DATA_NAMES_MAPPER = createMapper(false);

    private Json() {
    }

    private static ObjectMapper createMapper(boolean canonicalizeNames) {
        JsonFactory factory = JsonFactory.builder()
                .configure(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES, canonicalizeNames)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNameLength(Integer.MAX_VALUE) // a key is bounded by the body size, as upstream's
                        .build())
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.setNodeFactory(NODES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * Parses a document; throws {@link JsonProcessingException} with the parser's location, or
     * {@link IllegalArgumentException} for a number a double cannot hold.
     */
    public static JsonNode parse(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    /** Whether {@code e} (thrown by {@link #parse}) is a number too big for a double. */
    public static boolean isNumberTooBig(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FiniteNumbers.NumberTooBig) {
                return true;
            }
        }
        return false;
    }

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /**
     * Parses JSON whose field names are data (timestamps as keys), so that they do not go into
     * the symbol table the other parsers share: Jackson keeps every field name it reads there to
     * reuse it, and a stream of names each seen once made every parse of the process search
     * long collision chains (measured: 7 % of a PostgreSQL server's CPU, from the change feed's
     * notices).
     */
    public static JsonNode parseDataNamed(String text) throws JsonProcessingException {
        return DATA_NAMES_MAPPER.readTree(text);
    }

    /** Parses JSON that the server itself wrote (storage); failures are bugs. */
    public static ObjectNode parseStored(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored JSON is unreadable", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Converts a tree to plain JDK values (Map, List, String, Long/BigInteger, Double, Boolean, null). */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                list.add(toJava(item));
            }
            return Collections.unmodifiableList(list);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isBigDecimal()) {
            return node.decimalValue();
        }
        return node.doubleValue();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> toJavaMap(ObjectNode node) {
        return (Map<String, Object>) toJava(node);
    }

    /** Converts plain JDK values (as plugins give them) to a tree. */
    public static JsonNode fromJava(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = object();
            map.forEach((k, v) -> o.set(String.valueOf(k), fromJava(v)));
            return o;
        }
        if (value instanceof Iterable<?> it) {
            ArrayNode a = array();
            it.forEach(v -> a.add(fromJava(v)));
            return a;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Number n) {
            return NODES.numberNode(n.doubleValue());
        }
        return NODES.textNode(value.toString());
    }
}
