package org.kinto4j.server.http;

import org.kinto4j.server.auth.AccountLogins;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.storage.StorageFlush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/__flush__} (Kinto's flush plugin): empties storage and permissions in the
 * request's transaction, forgets remembered logins, answers {@code 202 {}}. As in Kinto it
 * needs no authentication: it exists only when {@code includes} lists {@code flush}.
 */
public final class FlushEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FlushEndpoint.class);

    private final StorageFlush flush;
    private final AccountLogins logins;

    /** @param logins the account policy's remembered logins; null without the accounts plugin */
    public FlushEndpoint(StorageFlush flush, AccountLogins logins) {
        this.flush = flush;
        this.logins = logins;
    }

    ApiResponse handle(RequestScope scope, Caller caller) {
        flush.flush(scope.tx());
        if (logins != null) {
            scope.tx().afterEnd(logins::forgetAll);
        }
        LOG.warn("POST /v1/__flush__ by {}: every bucket, collection, group, record, account and permission deleted",
                caller.isAnonymous() ? "an anonymous user" : caller.userId());
        return new ApiResponse(202, Json.object());
    }
}
