package org.kinto4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Impacted;
import org.kinto4j.listener.ResourceEvent;

/** Events built by the testkit have the server's shape. */
class TestEventTest {

    @Test
    void aRecordCreationHasKintosPayloadAndItsJson() {
        ResourceEvent event = TestEvent.created("record").bucket("blog").collection("posts").user("basicauth:alice")
                .timestamp(42L).id("e1").object(Map.of("id", "p1")).build();

        assertEquals("e1", event.id());
        assertEquals(Action.CREATE, event.action());
        assertEquals(Optional.of("basicauth:alice"), event.userId());
        assertEquals(List.of("timestamp", "action", "uri", "user_id", "resource_name", "bucket_id", "collection_id",
                "record_id"), List.copyOf(event.payload().keySet()));
        assertEquals("/buckets/blog/collections/posts/records/p1", event.payload().get("uri"));
        assertEquals("{\"timestamp\":42,\"action\":\"create\",\"uri\":\"/buckets/blog/collections/posts/records/p1\","
                + "\"user_id\":\"basicauth:alice\",\"resource_name\":\"record\",\"bucket_id\":\"blog\","
                + "\"collection_id\":\"posts\",\"record_id\":\"p1\"}", event.json());
    }

    @Test
    void severalObjectsMakeOneMergedEventInOrder() {
        ResourceEvent event = TestEvent.created("bucket").object(Map.of("id", "b1")).object(Map.of("id", "b2")).build();

        assertEquals(List.of("b1", "b2"), event.impacted().stream().map(Impacted::id).toList());
        assertEquals("/buckets/b1", event.payload().get("uri"));
        assertEquals(Optional.empty(), event.userId());
    }

    @Test
    void aDeletionHasTheTombstoneAsNewAndTheObjectAsOld() {
        ResourceEvent event = TestEvent.deleted("collection").timestamp(7L).object(Map.of("id", "c1", "title", "x")).build();

        Impacted deleted = event.impacted().get(0);
        assertEquals(Map.of("id", "c1", "last_modified", 7L, "deleted", true), deleted.newObject());
        assertEquals(Optional.of(Map.of("id", "c1", "title", "x")), deleted.oldObject());
        assertEquals("/buckets/" + TestEvent.DEFAULT_BUCKET + "/collections/c1", event.payload().get("uri"));
    }

    @Test
    void storageIsOnlyThereWhenGivenAsOnlyInTransactionDeliveryHasIt() {
        InMemoryListenerStorage storage = new InMemoryListenerStorage();

        assertEquals(storage, TestEvent.created("bucket").storage(storage).build().storage());
        IllegalStateException outside = assertThrows(IllegalStateException.class,
                () -> TestEvent.created("bucket").build().storage());
        assertTrue(outside.getMessage().contains("in_transaction"));
    }

    @Test
    void aMalformedImpactedEntryIsReportedByImpacted() {
        ResourceEvent event = TestEvent.created("bucket").impacted(Map.of("old", Map.of("id", "b1"))).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, event::impacted);
        assertTrue(e.getMessage().contains("\"new\""));
    }
}
