package org.kinto4j.examples.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.listener.Delivery;
import org.kinto4j.listener.Listener;
import org.kinto4j.listener.ListenerFactory;
import org.kinto4j.listener.ResourceEvent;
import org.kinto4j.testkit.InMemoryListenerStorage;
import org.kinto4j.testkit.TestEvent;
import org.kinto4j.testkit.TestListenerContext;
import org.kinto4j.testkit.TestResponse;

class TrackerListenerFactoryTest {

    private static final String ALICE = "basicauth:alice";
    private static final String BOB = "basicauth:bob";

    private final InMemoryListenerStorage storage = new InMemoryListenerStorage();
    private final TestListenerContext context = TestListenerContext.named("tracker");
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
        tracker.onEvent(bucketsCreatedBy(ALICE, "b1"));

        assertThat(storage.list("tracker", "", Map.of()))
                .singleElement()
                .satisfies(stored -> assertThat(stored)
                        .containsEntry("userid", ALICE)
                        .containsEntry("bucket_id", "b1"));
    }

    @Test
    void mergedEventStoresOneObjectPerCreatedBucket() throws Exception {
        tracker.onEvent(bucketsCreatedBy(ALICE, "b1", "b2", "b3"));

        assertThat(storage.list("tracker", "", Map.of()))
                .extracting(stored -> stored.get("bucket_id"))
                .containsExactlyInAnyOrder("b1", "b2", "b3");
    }

    @Test
    void eventsOtherThanBucketCreationStoreNothing() throws Exception {
        tracker.onEvent(TestEvent.created("record").bucket("b1").collection("c1").user(ALICE)
                .object(Map.of("id", "r1")).storage(storage).build());
        tracker.onEvent(TestEvent.deleted("bucket").user(ALICE).object(Map.of("id", "b1")).storage(storage).build());

        assertThat(storage.count("tracker", "", Map.of())).isZero();
    }

    @Test
    void anonymousBucketCreationStoresNothing() throws Exception {
        tracker.onEvent(TestEvent.created("bucket").object(Map.of("id", "b1")).storage(storage).build());

        assertThat(storage.count("tracker", "", Map.of())).isZero();
    }

    @Test
    void bucketEventWithoutNewIdFailsNamingTheObject() {
        ResourceEvent malformed = TestEvent.created("bucket").user(ALICE)
                .impacted(Map.of("new", Map.of("last_modified", 1L))).storage(storage).build();

        assertThatThrownBy(() -> tracker.onEvent(malformed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"new\" bucket id")
                .hasMessageContaining("last_modified");
    }

    @Test
    void outsideInTransactionDeliveryFailsSayingWhichDeliveryItNeeds() {
        ResourceEvent durable = TestEvent.created("bucket").user(ALICE).object(Map.of("id", "b1")).build();

        assertThatThrownBy(() -> tracker.onEvent(durable))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in_transaction")
                .hasMessageContaining("event_listeners.tracker");
    }

    @Test
    void aDeliveryOtherThanInTransactionIsRefusedAtCreation() {
        assertThatThrownBy(() -> new TrackerListenerFactory().create(context.delivery(Delivery.DURABLE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery = durable");
    }

    @Test
    void registersExactlyOneResponseHook() {
        assertThat(context.responseHooks()).hasSize(1);
    }

    @Test
    void responseToAuthenticatedUserCarriesTheirBucketsCreatedCount() throws Exception {
        tracker.onEvent(bucketsCreatedBy(ALICE, "b1"));
        tracker.onEvent(bucketsCreatedBy(ALICE, "b2"));
        tracker.onEvent(bucketsCreatedBy(BOB, "b3"));

        assertThat(respondTo(ALICE).headers()).containsEntry("Buckets-Created", "2");
        assertThat(respondTo(BOB).headers()).containsEntry("Buckets-Created", "1");
    }

    @Test
    void userWhoCreatedNothingIsToldZero() throws Exception {
        assertThat(respondTo(ALICE).headers()).containsEntry("Buckets-Created", "0");
    }

    @Test
    void anonymousResponseHasNoBucketsCreatedHeader() throws Exception {
        tracker.onEvent(bucketsCreatedBy(ALICE, "b1"));

        assertThat(respondTo(null).headers()).doesNotContainKey("Buckets-Created");
    }

    /** A create event of buckets with these ids, merged as Kinto merges one request's changes. */
    private ResourceEvent bucketsCreatedBy(String userId, String... ids) {
        TestEvent event = TestEvent.created("bucket").user(userId).storage(storage);
        for (String id : ids) {
            event.object(Map.of("id", id, "last_modified", 1L));
        }
        return event.build();
    }

    private TestResponse respondTo(String userId) throws Exception {
        return context.respond(TestResponse.of("GET", "/v1/").user(userId).storage(storage));
    }
}
