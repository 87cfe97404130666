package org.kinto4j.server.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.Sort;

/** A list's query string read into filters, sorts, page size and token, without a server. */
class ListParamsTest {

    private static ListParams parse(String... pairs) {
        List<Map.Entry<String, String>> query = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            query.add(Map.entry(pairs[i], pairs[i + 1]));
        }
        return ListParams.parse(query, 0, 10_000, 1_000_000L);
    }

    @Test
    void filtersSortsAndFieldsAreRead() throws Exception {
        ListParams p = parse("min_n", "3", "in_color", "red,blue", "title", "t", "_sort", "-n,title",
                "_fields", "title", "_unknown", "x");
        assertThat(p.filters()).extracting(Filter::field, Filter::operator).containsExactly(
                org.assertj.core.groups.Tuple.tuple("n", Filter.Operator.MIN),
                org.assertj.core.groups.Tuple.tuple("color", Filter.Operator.IN),
                org.assertj.core.groups.Tuple.tuple("title", Filter.Operator.EQ));
        assertThat(p.sorts()).containsExactly(new Sort("n", true), new Sort("title", false), Sort.LAST_MODIFIED_DESC);
        assertThat(p.fields()).containsExactly("title");
        assertThat(parse().sorts()).containsExactly(Sort.LAST_MODIFIED_DESC);
    }

    @Test
    void pageSizeIsCappedByPaginateByAndTheFetchLimit() throws Exception {
        assertThat(ListParams.effectiveLimit(50, 20, 10_000)).isEqualTo(20);
        assertThat(ListParams.effectiveLimit(0, 20, 10_000)).isEqualTo(10_000);
        assertThat(ListParams.effectiveLimit(null, 0, 500)).isEqualTo(500);
        assertThatThrownBy(() -> parse("_limit", "-1")).isInstanceOfSatisfying(ServiceError.class,
                e -> assertThat(e.getMessage()).contains("_limit").contains("less than minimum value 0"));
        assertThatThrownBy(() -> parse("_limit", "ten")).isInstanceOf(ServiceError.class)
                .hasMessageContaining("is not a number");
    }

    @Test
    void aNextPageTokenCarriesTheSortedValuesOfTheLastObjectAndResumesAfterIt() throws Exception {
        ListParams first = parse("_sort", "n", "_limit", "2");
        String token = first.nextToken(Json.parse("{\"id\":\"x\",\"n\":7,\"last_modified\":9}"), 2, "nonce-1");
        ListParams next = parse("_sort", "n", "_token", token);
        assertThat(next.after()).isEqualTo(Json.parse("{\"n\":7,\"last_modified\":9}"));
        assertThat(next.offset()).isEqualTo(2);
        assertThat(ListParams.tokenNonce(token)).isEqualTo("nonce-1");
        assertThatThrownBy(() -> parse("_token", "not base64 json")).isInstanceOf(ServiceError.class)
                .hasMessageContaining("_token has invalid content");
    }

    @Test
    void aNulCharacterIsRefusedNamingTheParameter() throws Exception {
        assertThatThrownBy(() -> parse("title", "a\0b")).isInstanceOfSatisfying(ServiceError.class,
                e -> assertThat(e.details().get(0).path("name").asText()).isEqualTo("title"));
    }
}
