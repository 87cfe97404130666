package org.kinto4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory storage follows the server's rules for ids, timestamps, order and filters. */
class InMemoryListenerStorageTest {

    private final InMemoryListenerStorage storage = new InMemoryListenerStorage();

    @Test
    void createAssignsIdAndIncreasingLastModifiedAndRefusesAnExistingId() {
        Map<String, Object> first = storage.create("audit", "", Map.of("user", "alice"));
        Map<String, Object> second = storage.create("audit", "", Map.of("id", "fixed", "user", "bob"));

        assertTrue(first.get("id") instanceof String);
        assertEquals("fixed", second.get("id"));
        assertTrue((Long) second.get("last_modified") > (Long) first.get("last_modified"));
        assertThrows(IllegalStateException.class, () -> storage.create("audit", "", Map.of("id", "fixed")));
    }

    @Test
    void listsAreNewestFirstFilteredByEqualityAndKeptApartByResourceAndParent() {
        storage.put("audit", "b1", "a", Map.of("user", "alice"));
        storage.put("audit", "b1", "b", Map.of("user", "bob"));
        storage.put("audit", "b1", "c", Map.of("user", "alice"));
        storage.put("audit", "b2", "d", Map.of("user", "alice"));
        storage.put("other", "b1", "e", Map.of("user", "alice"));

        assertEquals(List.of("c", "a"), storage.list("audit", "b1", Map.of("user", "alice")).stream()
                .map(o -> o.get("id")).toList());
        assertEquals(3, storage.count("audit", "b1", Map.of()));
        assertTrue(storage.delete("audit", "b1", "a"));
        assertEquals(2, storage.count("audit", "b1", Map.of()));
    }
}
