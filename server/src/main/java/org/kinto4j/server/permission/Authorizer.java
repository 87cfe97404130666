package org.kinto4j.server.permission;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * Kinto's authorization (upstream kinto/authorization.py, https://docs.kinto-storage.org/en/stable/api/1.x/permissions.html): a permission on an object is granted by the
 * inheritance tree's (ancestor, permission) pairs, checked first against the
 * {@code <resource>_<perm>_principals} settings, then against stored ACLs.
 */
public final class Authorizer {

    private static final Map<String, Map<String, List<String[]>>> TREE = Map.of(
            "bucket", Map.of(
                    "write", pairs("bucket:write"),
                    "read", pairs("bucket:write", "bucket:read"),
                    "read:attributes", pairs("bucket:write", "bucket:read", "bucket:collection:create", "bucket:group:create"),
                    "group:create", pairs("bucket:write", "bucket:group:create"),
                    "collection:create", pairs("bucket:write", "bucket:collection:create")),
            "group", Map.of(
                    "write", pairs("bucket:write", "group:write"),
                    "read", pairs("bucket:write", "bucket:read", "group:write", "group:read")),
            "collection", Map.of(
                    "write", pairs("bucket:write", "collection:write"),
                    "read", pairs("bucket:write", "bucket:read", "collection:write", "collection:read"),
                    "read:attributes", pairs("bucket:write", "bucket:read", "collection:write", "collection:read",
                            "collection:record:create"),
                    "record:create", pairs("bucket:write", "collection:write", "collection:record:create")),
            "record", Map.of(
                    "write", pairs("bucket:write", "collection:write", "record:write"),
                    "read", pairs("bucket:write", "bucket:read", "collection:write", "collection:read",
                            "record:write", "record:read")),
            "account", Map.of(
                    "write", pairs("account:write"),
                    "read", pairs("account:write", "account:read")));

    private final PermissionStore store;
    private final ServerSettings settings;

    public Authorizer(PermissionStore store, ServerSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    private static List<String[]> pairs(String... typeAndPermission) {
        List<String[]> out = new ArrayList<>();
        for (String s : typeAndPermission) {
            int colon = s.indexOf(':');
            out.add(new String[] {s.substring(0, colon), s.substring(colon + 1)});
        }
        return List.copyOf(out);
    }

    /**
     * Whether the caller holds {@code permission} on {@code objectUri} (plural or object URI,
     * without {@code /v1}); {@code resourceName} is the resource the request addresses.
     */
    public boolean allowed(Tx tx, Caller caller, String objectUri, String permission, String resourceName) {
        return allowedAndExists(tx, caller, objectUri, permission, resourceName, null).granted();
    }

    /**
     * {@link #allowed} and whether {@code object} exists, read together ({@code exists} is false
     * when {@code object} is null).
     */
    public PermissionStore.Check allowedAndExists(Tx tx, Caller caller, String objectUri, String permission,
            String resourceName, PermissionStore.ObjectKey object) {
        List<Map.Entry<String, String>> bound = inherited(objectUri, permission);
        if (bound.isEmpty()) {
            bound = List.of(Map.entry(resourceName, permission));
        }
        boolean bySettings = false;
        for (Map.Entry<String, String> pair : bound) {
            Set<String> granted = settings.principals(settingName(resourceName, pair.getValue()));
            for (String p : caller.principals()) {
                if (granted.contains(p)) {
                    bySettings = true;
                    break;
                }
            }
        }
        if (bySettings || caller.principals().isEmpty()) {
            boolean exists = object != null && store.grantedAndExists(tx, List.of(), Set.of(), object).exists();
            return new PermissionStore.Check(bySettings, exists);
        }
        return store.grantedAndExists(tx, bound, caller.principals(), object);
    }

    static String settingName(String resourceName, String permission) {
        if (permission.startsWith(resourceName)) {
            return permission.replace(':', '_') + "_principals";
        }
        return resourceName + "_" + permission + "_principals";
    }

    /** The (object URI, permission) pairs that grant {@code permission} on {@code uri}. */
    public static List<Map.Entry<String, String>> inherited(String uri, String permission) {
        String[] parts = uri.split("/", -1);
        boolean plural = parts.length % 2 == 0;
        String objectUri = uri;
        if (plural) {
            int cut = uri.lastIndexOf('/');
            objectUri = uri.substring(0, cut);
            parts = objectUri.split("/", -1);
        }
        if (parts.length <= 2) {
            return List.of();
        }
        String type = parts[parts.length - 2];
        if (type.endsWith("s")) {
            type = type.substring(0, type.length() - 1);
        }
        Map<String, List<String[]>> rows = TREE.get(type);
        if (rows == null) {
            return List.of();
        }
        String perm = permission;
        if (!plural && perm.equals("read") && rows.containsKey("read:attributes")) {
            perm = "read:attributes";
        }
        List<String[]> row = rows.get(perm);
        if (row == null) {
            return List.of();
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String[] pair : row) {
            String ancestor = ancestorOfType(objectUri, pair[0]);
            if (ancestor != null) {
                out.add(Map.entry(ancestor, pair[1]));
            }
        }
        return out;
    }

    private static String ancestorOfType(String objectUri, String type) {
        String[] parts = objectUri.split("/", -1);
        for (int end = parts.length; end >= 3; end -= 2) {
            String t = parts[end - 2];
            if (t.equals(type + "s")) {
                return String.join("/", java.util.Arrays.copyOfRange(parts, 0, end));
            }
        }
        return null;
    }
}
