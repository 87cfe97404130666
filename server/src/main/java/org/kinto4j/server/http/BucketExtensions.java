package org.kinto4j.server.http;

/**
 * The routes under a bucket that are not Kinto's core resources: lists exposed by listeners
 * ({@code /buckets/{bid}/history}) and the history snapshot. Without them those paths are 404.
 */
public final class BucketExtensions {

    static final BucketExtensions NONE = new BucketExtensions(null, null);

    private final ExposedListEndpoint lists;
    private final SnapshotEndpoint snapshot;

    /** {@code snapshot} may be null (no history). */
    public BucketExtensions(ExposedListEndpoint lists, SnapshotEndpoint snapshot) {
        this.lists = lists;
        this.snapshot = snapshot;
    }

    ApiResponse serve(KintoApi api, ApiRequest req, Route route) {
        if (route instanceof Route.BucketList list && lists != null && lists.serves(list.name())) {
            ApiResponse r = api.inTransaction(req, (scope, caller) -> lists.handle(scope, req, caller, list));
            if (r.status() >= 400) {
                r.expose(ApiResponse.ExposeHeaders.BASIC);
            }
            return r;
        }
        if (route instanceof Route.Snapshot snap && snapshot != null) {
            return api.inTransaction(req, (scope, caller) -> snapshot.handle(scope, req, caller, snap))
                    .expose(ApiResponse.ExposeHeaders.BASIC);
        }
        return ApiResponse.of(KintoException.unknownUrl()).expose(ApiResponse.ExposeHeaders.UNROUTED);
    }
}
