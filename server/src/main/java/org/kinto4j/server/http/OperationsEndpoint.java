package org.kinto4j.server.http;

import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.resource.RequestScope;

/** {@code /v1/__listeners__}: listener instances, counters and dead letters for operators. */
public interface OperationsEndpoint {

    ApiResponse handle(RequestScope scope, ApiRequest req, Caller caller, Route.Listeners route);
}
