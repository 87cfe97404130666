package org.kinto4j.examples.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.listener.Action;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.ResponseHook;

class TrackerListenerFactoryTest {

    private static final String ALICE = "basicauth:alice";
    private static final String BOB = "basicauth:bob";

    private final InMemoryListenerStorage storage = new InMemoryListenerStorage();
    private final TestListenerContext context = new TestListenerContext();
    private Listener tracker;

    @BeforeEach
    void createInstance() throws Exception {
        tracker = new TrackerListenerFactory().create(context);
    }

    @Test
    void isFoundByServiceLoaderUnderTheNameTracker() {
        List<String> names = ServiceLoader.load(ListenerFactory.class).stream()
                .map(provider -> provider.get().name())
                .toList();

        assertThat(names).containsExactly("tracker");
    }

    @Test
    void bucketCreationStoresUserAndBucketIdInTheTrackerResource() throws Exception {
        tracker.onEvent(TestEvent.created("bucket", ALICE, storage, "b1"));

        assertThat(storage.list("tracker", "", Map.of()))
                .singleElement()
                .satisfies(stored -> assertThat(stored)
                        .containsEntry("userid", ALICE)
                        .containsEntry("bucket_id", "b1"));
    }

    @Test
    void mergedEventStoresOneObjectPerCreatedBucket() throws Exception {
        tracker.onEvent(TestEvent.created("bucket", ALICE, storage, "b1", "b2", "b3"));

        assertThat(storage.list("tracker", "", Map.of()))
                .extracting(stored -> stored.get("bucket_id"))
                .containsExactlyInAnyOrder("b1", "b2", "b3");
    }

    @Test
    void eventsOtherThanBucketCreationStoreNothing() throws Exception {
        tracker.onEvent(TestEvent.created("record", ALICE, storage, "r1"));
        tracker.onEvent(new TestEvent(Action.DELETE, "bucket", Optional.of(ALICE),
                List.of(Map.of("new", Map.of("id", "b1", "deleted", true), "old", Map.of("id", "b1"))), storage));

        assertThat(storage.count("tracker", "", Map.of())).isZero();
    }

    @Test
    void anonymousBucketCreationStoresNothing() throws Exception {
        tracker.onEvent(TestEvent.created("bucket", null, storage, "b1"));

        assertThat(storage.count("tracker", "", Map.of())).isZero();
    }

    @Test
    void bucketEventWithoutNewIdFailsNamingTheObject() {
        TestEvent malformed = new TestEvent(Action.CREATE, "bucket", Optional.of(ALICE),
                List.of(Map.of("old", Map.of("id", "b1"))), storage);

        assertThatThrownBy(() -> tracker.onEvent(malformed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"new\" bucket id")
                .hasMessageContaining("old");
    }

    @Test
    void outsideInTransactionDeliveryFailsSayingWhichDeliveryItNeeds() {
        TestEvent durable = new TestEvent(Action.CREATE, "bucket", Optional.of(ALICE),
                List.of(Map.of("new", Map.of("id", "b1"))), null);

        assertThatThrownBy(() -> tracker.onEvent(durable))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in_transaction")
                .hasMessageContaining("event_listeners.tracker");
    }

    @Test
    void registersExactlyOneResponseHook() {
        assertThat(context.responseHooks).hasSize(1);
    }

    @Test
    void responseToAuthenticatedUserCarriesTheirBucketsCreatedCount() throws Exception {
        tracker.onEvent(TestEvent.created("bucket", ALICE, storage, "b1"));
        tracker.onEvent(TestEvent.created("bucket", ALICE, storage, "b2"));
        tracker.onEvent(TestEvent.created("bucket", BOB, storage, "b3"));

        TestResponse aliceResponse = respondTo(ALICE);
        TestResponse bobResponse = respondTo(BOB);

        assertThat(aliceResponse.headers).containsEntry("Buckets-Created", "2");
        assertThat(bobResponse.headers).containsEntry("Buckets-Created", "1");
    }

    @Test
    void userWhoCreatedNothingIsToldZero() throws Exception {
        assertThat(respondTo(ALICE).headers).containsEntry("Buckets-Created", "0");
    }

    @Test
    void anonymousResponseHasNoBucketsCreatedHeader() throws Exception {
        tracker.onEvent(TestEvent.created("bucket", ALICE, storage, "b1"));

        assertThat(respondTo(null).headers).doesNotContainKey("Buckets-Created");
    }

    private TestResponse respondTo(String userId) throws Exception {
        TestResponse response = new TestResponse(userId, storage);
        for (ResponseHook hook : context.responseHooks) {
            hook.onResponse(response);
        }
        return response;
    }
}
