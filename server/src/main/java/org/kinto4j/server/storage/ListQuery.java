package org.kinto4j.server.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * What a plural request asks of storage.
 *
 * @param filters combined with AND
 * @param sorts the full sort order, tie-breaker included
 * @param after keyset pagination: only objects strictly after this pseudo-object in sort order
 *              ({@code null}: from the start)
 * @param onlyIds sharing restriction: only these ids ({@code null}: no restriction)
 */
public record ListQuery(List<Filter> filters, List<Sort> sorts, JsonNode after, Set<String> onlyIds) {

    public static final ListQuery ALL = new ListQuery(List.of(), List.of(Sort.LAST_MODIFIED_DESC), null, null);

    /** Tombstones are listed only when some filter is on {@code last_modified} (Kinto's rule). */
    public boolean includesTombstones() {
        return filters.stream().anyMatch(Filter::onLastModified);
    }

    public ListQuery withOnlyIds(Set<String> ids) {
        return new ListQuery(filters, sorts, after, ids);
    }

    public ListQuery withAfter(JsonNode last) {
        return new ListQuery(filters, sorts, last, onlyIds);
    }
}
