package org.kinto4j.server.http;

import org.kinto4j.server.resource.ResourceKind;
import org.kinto4j.server.resource.Target;

/** Where a {@code /v1} path leads. */
public sealed interface Route {

    record Hello() implements Route {
    }

    record Heartbeat() implements Route {
    }

    record LbHeartbeat() implements Route {
    }

    record Batch() implements Route {
    }

    record Permissions() implements Route {
    }

    record Listeners(String instance, String action) implements Route {
    }

    record Resource(Target target) implements Route {
    }

    /** {@code /accounts} ({@code id} null) and {@code /accounts/{id}} (accounts plugin). */
    record Accounts(String id) implements Route {
    }

    /** {@code /__flush__} (flush plugin). */
    record Flush() implements Route {
    }

    /** {@code /buckets/{bid}/{name}}: a list a listener exposed (Kinto's history). */
    record BucketList(String bucketId, String name) implements Route {
    }

    /** {@code /buckets/{bid}/snapshot/collections/{cid}@{timestamp}} (Kinto's history snapshot). */
    record Snapshot(String bucketId, String collectionId, String timestamp) implements Route {
    }

    /** Parses a decoded path that starts with {@code /v1}; {@code null} when nothing matches. */
    static Route match(String path) {
        String rest = path.substring(3);
        switch (rest) {
            case "/":
                return new Hello();
            case "/__heartbeat__":
                return new Heartbeat();
            case "/__lbheartbeat__":
                return new LbHeartbeat();
            case "/batch":
                return new Batch();
            case "/permissions":
                return new Permissions();
            case "/accounts":
                return new Accounts(null);
            case "/__flush__":
                return new Flush();
            default:
                break;
        }
        if (rest.startsWith("/accounts/")) {
            String id = rest.substring("/accounts/".length());
            return id.isEmpty() || id.contains("/") ? null : new Accounts(id);
        }
        if (rest.startsWith("/__listeners__")) {
            String[] p = rest.split("/", -1);
            if (p.length == 2) {
                return new Listeners(null, null);
            }
            if (p.length == 3 && !p[2].isEmpty()) {
                return new Listeners(p[2], null);
            }
            if (p.length == 4 && !p[2].isEmpty() && !p[3].isEmpty()) {
                return new Listeners(p[2], p[3]);
            }
            return null;
        }
        if (!rest.startsWith("/buckets")) {
            return null;
        }
        String[] s = rest.split("/", -1);
        // s[0] is "" ; s[1] = "buckets"
        int n = s.length;
        for (int i = 1; i < n; i++) {
            if (s[i].isEmpty()) {
                return null;
            }
        }
        if (n == 2) {
            return res(ResourceKind.BUCKET, true, null, null, null);
        }
        String bid = s[2];
        if (n == 3) {
            return res(ResourceKind.BUCKET, false, bid, null, bid);
        }
        String seg = s[3];
        if (seg.equals("collections")) {
            if (n == 4) {
                return res(ResourceKind.COLLECTION, true, bid, null, null);
            }
            String cid = s[4];
            if (n == 5) {
                return res(ResourceKind.COLLECTION, false, bid, cid, cid);
            }
            if (!s[5].equals("records")) {
                return null;
            }
            if (n == 6) {
                return res(ResourceKind.RECORD, true, bid, cid, null);
            }
            if (n == 7) {
                return res(ResourceKind.RECORD, false, bid, cid, s[6]);
            }
            return null;
        }
        if (seg.equals("groups")) {
            if (n == 4) {
                return res(ResourceKind.GROUP, true, bid, null, null);
            }
            if (n == 5) {
                return res(ResourceKind.GROUP, false, bid, null, s[4]);
            }
            return null;
        }
        return bucketExtension(bid, s);
    }

    private static Route bucketExtension(String bid, String[] s) {
        if (s.length == 4) {
            return new BucketList(bid, s[3]);
        }
        int at = s.length == 6 ? s[5].lastIndexOf('@') : -1;
        if (at > 0 && s[3].equals("snapshot") && s[4].equals("collections")) {
            return new Snapshot(bid, s[5].substring(0, at), s[5].substring(at + 1));
        }
        return null;
    }

    private static Route res(ResourceKind kind, boolean plural, String bid, String cid, String id) {
        return new Resource(new Target(kind, plural, bid, cid, id));
    }

    /** The methods a route answers, for 405's Allow header. */
    static String allowed(Route route) {
        if (route instanceof Hello || route instanceof Heartbeat || route instanceof LbHeartbeat
                || route instanceof Permissions) {
            return "GET, HEAD, OPTIONS";
        }
        if (route instanceof Batch) {
            return "POST, OPTIONS";
        }
        if (route instanceof Listeners) {
            return "GET, POST, OPTIONS";
        }
        if (route instanceof Flush) {
            return "POST, OPTIONS";
        }
        if (route instanceof Accounts a) {
            return a.id() == null ? "DELETE, GET, HEAD, OPTIONS, POST" : "DELETE, GET, HEAD, OPTIONS, PATCH, PUT";
        }
        if (route instanceof BucketList) {
            return ExposedListEndpoint.ALLOWED;
        }
        if (route instanceof Snapshot) {
            return "GET, HEAD, OPTIONS";
        }
        Target t = ((Resource) route).target();
        return t.plural() ? "DELETE, GET, HEAD, OPTIONS, POST" : "DELETE, GET, HEAD, OPTIONS, PATCH, PUT";
    }
}
