package org.kinto4j.server.http;

import org.kinto4j.server.errors.ServiceError;

/**
 * Kinto's answer for each {@link ServiceError} the layers below raise: status, errno, error
 * text and headers are chosen here, and only here.
 */
public final class KintoErrors {

    private KintoErrors() {
    }

    /** {@code defaultRetryAfterSeconds}: the Retry-After of conflicts and unavailable storage unless the error says. */
    public static KintoException of(ServiceError e, int defaultRetryAfterSeconds) {
        String retryAfter = Integer.toString(e.retryAfterSeconds() != null ? e.retryAfterSeconds()
                : defaultRetryAfterSeconds);
        return switch (e.kind()) {
            case INVALID -> new KintoException(400, KintoException.INVALID_PARAMETERS, "Invalid parameters",
                    e.getMessage(), e.details());
            case UNAUTHENTICATED -> KintoException.unauthorized();
            case FORBIDDEN -> KintoException.forbidden();
            case OBJECT_NOT_FOUND -> new KintoException(404, KintoException.INVALID_RESOURCE_ID, "Not Found", null,
                    e.details());
            case PARENT_NOT_FOUND -> new KintoException(404, KintoException.MISSING_RESOURCE, "Not Found", null,
                    e.details());
            case MODIFIED_MEANWHILE -> modifiedMeanwhile(e);
            case CONFLICT -> KintoException.conflict(e.getMessage()).withHeader("Retry-After", retryAfter);
            case UNAVAILABLE -> KintoException.backend(e.getMessage()).withHeader("Retry-After", retryAfter);
        };
    }

    private static KintoException modifiedMeanwhile(ServiceError e) {
        KintoException k = new KintoException(412, KintoException.MODIFIED_MEANWHILE, "Precondition Failed",
                e.getMessage(), e.details());
        if (e.currentVersion() != null) {
            k.withHeader("ETag", HttpDates.etag(e.currentVersion()))
                    .withHeader("Last-Modified", HttpDates.httpDate(e.currentVersion()));
        }
        return k;
    }
}
