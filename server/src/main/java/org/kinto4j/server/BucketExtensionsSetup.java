package org.kinto4j.server;

import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.http.BucketExtensions;
import org.kinto4j.server.http.ExposedListEndpoint;
import org.kinto4j.server.http.KintoApi;
import org.kinto4j.server.http.SnapshotEndpoint;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.resource.HelloView;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;

/**
 * Part of the composition root: serves the lists listeners exposed under buckets, announces
 * their capabilities, and, when one of them is {@code history}, Kinto's snapshot endpoint.
 */
final class BucketExtensionsSetup {

    private BucketExtensionsSetup() {
    }

    static void wire(KintoApi api, HelloView hello, ListenerRegistry listeners, ObjectStore objects,
            PermissionStore permissions, Authorizer authorizer, ServerSettings settings) {
        if (listeners.exposures().isEmpty()) {
            return;
        }
        ExposedListEndpoint lists = new ExposedListEndpoint(listeners, objects, permissions, authorizer, settings,
                System::currentTimeMillis);
        for (ListenerRegistry.Exposure e : listeners.exposures()) {
            hello.addCapability(e.resource().capability(), Json.fromJava(e.resource().capabilityInfo()));
        }
        SnapshotEndpoint snapshot = lists.serves("history") ? new SnapshotEndpoint(objects, authorizer) : null;
        api.withBucketExtensions(new BucketExtensions(lists, snapshot));
    }
}
