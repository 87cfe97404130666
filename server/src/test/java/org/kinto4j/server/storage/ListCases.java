package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.kinto4j.server.json.Json;

/**
 * The data set and the queries of the storage contract's list cases: mixed JSON types in one
 * field, missing fields, JSON nulls, unicode, numbers written as strings, nested and literal
 * dotted keys, arrays of scalars and of objects, and many ties in sort values.
 */
final class ListCases {

    private ListCases() {
    }

    static final String[] DOCUMENTS = {
        "{\"n\": 0, \"title\": \"zebra\", \"tags\": [\"a\", \"b\"], \"author\": {\"name\": \"Ann\"}, \"done\": true}",
        "{\"n\": 1, \"title\": \"Zebra\", \"tags\": [\"b\"], \"author\": {\"name\": \"bob\"}, \"done\": false}",
        "{\"n\": 2, \"title\": \"été\", \"tags\": [1, 2], \"author\": {\"name\": null}}",
        "{\"n\": 3, \"title\": \"Été\", \"tags\": [{\"k\": 1}], \"done\": true}",
        "{\"n\": 0, \"title\": \"\\ud83d\\ude00 smile\", \"tags\": [[1]], \"author\": {\"name\": \"Ann\"}}",
        "{\"n\": 1, \"title\": \"\\ufb00\", \"tags\": \"a\", \"done\": true}",
        "{\"n\": 2, \"title\": \"ABC\", \"tags\": [], \"author\": \"plain\"}",
        "{\"n\": 3, \"title\": \"abc\", \"tags\": [\"a\"], \"author.name\": \"literal\"}",
        "{\"n\": \"3\", \"title\": \"a_b%c\", \"tags\": [\"c\", \"a\"]}",
        "{\"n\": \"10\", \"title\": \"\", \"done\": false}",
        "{\"n\": \"2\", \"title\": null, \"author\": {\"name\": \"Zoë\"}}",
        "{\"n\": 2.5, \"title\": \"m*n\"}",
        "{\"n\": 2.0, \"title\": \"naïve café\"}",
        "{\"n\": null, \"title\": \"null n\"}",
        "{\"title\": \"no n\", \"done\": true}",
        "{\"n\": true, \"title\": 5}",
        "{\"n\": false, \"title\": [\"x\"]}",
        "{\"n\": [1, 2], \"title\": {\"a\": 1}}",
        "{\"n\": [3], \"title\": \"arr\"}",
        "{\"n\": {\"a\": 1}}",
        "{\"n\": {\"b\": 0, \"a\": 2}}",
        "{\"n\": -1, \"title\": \"neg\", \"author\": {\"name\": \"ann\"}}",
        "{\"n\": 100000000000000000000, \"title\": \"big\"}",
        "{\"n\": 1, \"title\": \"Zebra\", \"done\": \"yes\"}",
        "{\"n\": 0, \"title\": \"zebra\", \"done\": 0}",
    };

    static List<ObjectNode> documents() {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS.length; i++) {
            ObjectNode o = (ObjectNode) parse(DOCUMENTS[i]);
            o.put("id", String.format("o%02d", i));
            out.add(o);
        }
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static Filter f(String field, Filter.Operator op, String json) {
        return Filter.of(field, op, parse(json));
    }

    static Filter list(String field, Filter.Operator op, String... json) {
        List<JsonNode> values = new ArrayList<>();
        for (String j : json) {
            values.add(parse(j));
        }
        return Filter.ofList(field, op, values);
    }

    /** Filter combinations, each run with every sort of {@link #sorts()}. */
    static List<List<Filter>> filters() {
        Filter.Operator eq = Filter.Operator.EQ;
        return List.of(
                List.of(),
                List.of(f("n", eq, "2")),
                List.of(f("n", eq, "\"3\"")),
                List.of(f("n", eq, "2.0")),
                List.of(f("n", Filter.Operator.NOT, "1")),
                List.of(f("n", Filter.Operator.LT, "2")),
                List.of(f("n", Filter.Operator.GT, "2")),
                List.of(f("n", Filter.Operator.MIN, "\"2\"")),
                List.of(f("n", Filter.Operator.MAX, "\"2\"")),
                List.of(f("n", Filter.Operator.MIN, "true")),
                List.of(f("n", Filter.Operator.LT, "null")),
                List.of(f("n", Filter.Operator.EQ, "null")),
                List.of(list("n", Filter.Operator.IN, "1", "\"3\"", "2.5", "[3]")),
                List.of(list("n", Filter.Operator.EXCLUDE, "0", "1", "\"10\"")),
                List.of(f("title", Filter.Operator.LIKE, "\"zeb\"")),
                List.of(f("title", Filter.Operator.LIKE, "\"été\"")),
                List.of(f("title", Filter.Operator.LIKE, "\"a_b%*\"")),
                List.of(f("title", Filter.Operator.LIKE, "\"*c*f*\"")),
                List.of(f("title", Filter.Operator.LT, "\"a\"")),
                List.of(f("title", Filter.Operator.GT, "\"zebra\"")),
                List.of(f("done", Filter.Operator.HAS, "true")),
                List.of(f("done", Filter.Operator.HAS, "false")),
                List.of(f("done", Filter.Operator.NOT, "true")),
                List.of(list("tags", Filter.Operator.CONTAINS, "\"a\"")),
                List.of(list("tags", Filter.Operator.CONTAINS, "\"a\"", "\"b\"")),
                List.of(list("tags", Filter.Operator.CONTAINS)),
                List.of(list("tags", Filter.Operator.CONTAINS_ANY, "\"c\"", "2")),
                List.of(list("tags", Filter.Operator.CONTAINS, "{\"k\": 1}")),
                List.of(list("tags", Filter.Operator.CONTAINS, "[1]")),
                List.of(list("tags", Filter.Operator.CONTAINS, "1.0")),
                List.of(f("author.name", eq, "\"Ann\"")),
                List.of(f("author.name", eq, "\"literal\"")),
                List.of(f("author.name", Filter.Operator.HAS, "true")),
                List.of(f("author.name", Filter.Operator.NOT, "\"Ann\"")),
                List.of(f("id", eq, "\"o05\"")),
                List.of(list("id", Filter.Operator.IN, "\"o01\"", "\"o02\"", "\"o23\"")),
                List.of(list("id", Filter.Operator.EXCLUDE, "\"o01\"")),
                List.of(f("id", Filter.Operator.GT, "\"o20\"")),
                List.of(f("n", Filter.Operator.MIN, "0"), f("n", Filter.Operator.MAX, "2"),
                        f("title", Filter.Operator.NOT, "\"zebra\"")));
    }

    /** Sorts as the HTTP layer builds them: {@code -last_modified} appended as the tie-breaker. */
    static List<List<Sort>> sorts() {
        Sort lm = Sort.LAST_MODIFIED_DESC;
        return List.of(
                List.of(lm),
                List.of(new Sort("last_modified", false)),
                List.of(new Sort("n", false), lm),
                List.of(new Sort("n", true), lm),
                List.of(new Sort("title", false), lm),
                List.of(new Sort("title", true), lm),
                List.of(new Sort("author.name", false), new Sort("n", true), lm),
                List.of(new Sort("tags", true), lm),
                List.of(new Sort("done", false), new Sort("title", false), lm),
                List.of(new Sort("id", true), lm),
                List.of(new Sort("last_modified", false), new Sort("n", true)));
    }

    /** The pseudo-object of a {@code _token}: the last object's sort values (as ListParams builds it). */
    static ObjectNode after(ObjectNode last, List<Sort> sorts) {
        ObjectNode out = Json.object();
        for (Sort s : sorts) {
            JsonNode v = JsonOrder.at(last, s.field());
            if (v != null) {
                out.set(s.field(), v);
            }
        }
        return out;
    }
}
