package org.kinto4j.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kinto4j.server.resource.ResourceKind;

/** Which endpoint a decoded path names, without a server. */
class RouteTest {

    @Test
    void resourcePathsNameTheirKindPluralityAndIds() {
        Route.Resource records = (Route.Resource) Route.match("/v1/buckets/b/collections/c/records");
        assertThat(records.target().kind()).isEqualTo(ResourceKind.RECORD);
        assertThat(records.target().plural()).isTrue();
        Route.Resource record = (Route.Resource) Route.match("/v1/buckets/b/collections/c/records/r");
        assertThat(record.target().objectId()).isEqualTo("r");
        assertThat(record.target().bucketId()).isEqualTo("b");
        assertThat(record.target().collectionId()).isEqualTo("c");
        Route.Resource group = (Route.Resource) Route.match("/v1/buckets/b/groups/g");
        assertThat(group.target().kind()).isEqualTo(ResourceKind.GROUP);
    }

    @Test
    void serviceEndpointsAreRecognised() {
        assertThat(Route.match("/v1/")).isInstanceOf(Route.Hello.class);
        assertThat(Route.match("/v1/__heartbeat__")).isInstanceOf(Route.Heartbeat.class);
        assertThat(Route.match("/v1/batch")).isInstanceOf(Route.Batch.class);
        assertThat(Route.match("/v1/accounts/alice")).isEqualTo(new Route.Accounts("alice"));
        assertThat(Route.match("/v1/__listeners__/hook/requeue")).isEqualTo(new Route.Listeners("hook", "requeue"));
    }

    @Test
    void emptySegmentsAndUnknownChildrenMatchNothing() {
        assertThat(Route.match("/v1/buckets//collections")).isNull();
        assertThat(Route.match("/v1/buckets/b/collections/c/things")).isNull();
        assertThat(Route.match("/v1/buckets/b/collections/c/records/r/extra")).isNull();
        assertThat(Route.match("/v1/accounts/a/b")).isNull();
        assertThat(Route.match("/v1/nothing")).isNull();
    }
}
