package org.kinto4j.server.feed;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.storage.Tx;

/**
 * Whether one stream's caller may read a record, checked for every event. Whether the whole
 * collection is readable is remembered until the hub sees a change that can alter permissions
 * (a bucket, collection or group written); a record readable only through its own ACL is checked
 * against storage each time.
 */
final class FeedAccess {

    private final Authorizer authorizer;
    private final Function<Tx, Caller> callerLookup;
    private final Map<String, Boolean> collectionReadable = new HashMap<>();
    private Caller caller;
    private volatile boolean stale = true;

    FeedAccess(Authorizer authorizer, Function<Tx, Caller> callerLookup) {
        this.authorizer = authorizer;
        this.callerLookup = callerLookup;
    }

    /** Forgets remembered decisions and the caller's principals (groups may have changed). */
    void invalidate() {
        stale = true;
    }

    synchronized boolean mayRead(Tx tx, FeedEvent event) {
        if (stale) {
            stale = false;
            caller = callerLookup.apply(tx);
            collectionReadable.clear();
        }
        String collection = event.collectionUri();
        Boolean whole = collectionReadable.get(collection);
        if (whole == null) {
            whole = authorizer.allowed(tx, caller, collection + "/records", "read", "record");
            collectionReadable.put(collection, whole);
        }
        return whole || authorizer.allowed(tx, caller, collection + "/records/" + event.recordId(), "read", "record");
    }
}
