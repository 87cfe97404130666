package org.kinto4j.examples.tracker;

import java.util.Optional;

import org.kinto4j.listener.ResponseContext;
import org.kinto4j.listener.ResponseHook;

/**
 * Adds {@code Buckets-Created: N} to every response sent to an authenticated user, N being the
 * number of buckets that user has created. Anonymous responses are left alone. Stateless,
 * hence thread-safe.
 */
final class BucketsCreatedHeader implements ResponseHook {

    static final String HEADER_NAME = "Buckets-Created";

    @Override
    public void onResponse(ResponseContext response) {
        Optional<String> userId = response.userId();
        if (userId.isEmpty()) {
            return;
        }
        long created = TrackedBuckets.countCreatedBy(response.storage(), userId.get());
        response.setHeader(HEADER_NAME, Long.toString(created));
    }
}
