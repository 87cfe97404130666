package org.kinto4j.server.resource;

import java.util.List;
import org.kinto4j.server.http.ApiRequest;

/** Content negotiation shared with endpoints outside this package. */
public final class ResourceHandlerAccess {

    private ResourceHandlerAccess() {
    }

    /** 415 unless the body is JSON (or the Content-Type is absent). */
    public static void checkContentType(ApiRequest req) {
        ResourceHandler.checkContentType(req, List.of(ResourceHandler.JSON));
    }
}
