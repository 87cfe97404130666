package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * {@link ListenerStorage} over one transaction. Kinto's own resource names are refused: writing
 * a {@code record} or {@code bucket} this way would bypass permissions, schemas and tombstones.
 */
public final class ListenerStorageView implements ListenerStorage {

    /** What the server itself stores in the objects table ({@code history} is the history plugin's, allowed). */
    static final Set<String> RESERVED = new TreeSet<>(List.of("account", "bucket", "collection", "group", "record"));

    private final Tx tx;
    private final ObjectStore objects;
    private final PermissionStore permissions;

    public ListenerStorageView(Tx tx, ObjectStore objects) {
        this(tx, objects, null);
    }

    /** A view that also reads and writes ACLs ({@code permissions} may be null: then it cannot). */
    public ListenerStorageView(Tx tx, ObjectStore objects, PermissionStore permissions) {
        this.tx = tx;
        this.objects = objects;
        this.permissions = permissions;
    }

    @Override
    public Map<String, List<String>> permissions(String objectUri) {
        requirePermissions();
        Map<String, List<String>> out = new TreeMap<>();
        permissions.acl(tx, objectUri).forEach((perm, principals) -> out.put(perm, List.copyOf(principals)));
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void setPermissions(String resourceName, String parentId, String id,
            Map<String, ? extends Collection<String>> acl) {
        requirePermissions();
        if (RESERVED.contains(resourceName)) {
            throw new IllegalArgumentException("listeners cannot set permissions of the server's own resource '"
                    + resourceName + "'");
        }
        permissions.replaceAcl(tx, parentId + "/" + resourceName + "/" + id, acl);
    }

    private void requirePermissions() {
        if (permissions == null) {
            throw new UnsupportedOperationException("permissions are only available through event.storage() "
                    + "of in_transaction listeners");
        }
    }

    @Override
    public Map<String, Object> create(String resourceName, String parentId, Map<String, Object> object) {
        refuseReserved(resourceName);
        ObjectNode node = (ObjectNode) Json.fromJava(object).deepCopy();
        if (!node.path("id").isTextual()) {
            node.put("id", UUID.randomUUID().toString());
        }
        String id = node.get("id").textValue();
        if (objects.get(tx, resourceName, parentId, id).isPresent()) {
            throw new IllegalStateException("an object " + resourceName + " '" + id + "' already exists under '"
                    + parentId + "'; use put() to replace it");
        }
        node.remove("last_modified");
        return Json.toJavaMap(objects.create(tx, resourceName, parentId, node, null));
    }

    @Override
    public Map<String, Object> put(String resourceName, String parentId, String id, Map<String, Object> object) {
        refuseReserved(resourceName);
        ObjectNode node = (ObjectNode) Json.fromJava(object).deepCopy();
        node.put("id", id);
        node.remove("last_modified");
        Optional<ObjectNode> existing = objects.get(tx, resourceName, parentId, id);
        ObjectNode stored = existing.isPresent()
                ? objects.update(tx, resourceName, parentId, node, existing.get().path("last_modified").asLong(), null)
                : objects.create(tx, resourceName, parentId, node, null);
        return Json.toJavaMap(stored);
    }

    @Override
    public Optional<Map<String, Object>> get(String resourceName, String parentId, String id) {
        refuseReserved(resourceName);
        return objects.get(tx, resourceName, parentId, id).map(Json::toJavaMap);
    }

    @Override
    public List<Map<String, Object>> list(String resourceName, String parentId, Map<String, Object> filters) {
        refuseReserved(resourceName);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ObjectNode o : objects.listEqual(tx, resourceName, parentId, toFilters(filters))) {
            out.add(Json.toJavaMap(o));
        }
        return out;
    }

    @Override
    public long count(String resourceName, String parentId, Map<String, Object> filters) {
        refuseReserved(resourceName);
        return objects.count(tx, resourceName, parentId, new org.kinto4j.server.storage.ListQuery(toFilters(filters),
                List.of(org.kinto4j.server.storage.Sort.LAST_MODIFIED_DESC), null, null));
    }

    @Override
    public boolean delete(String resourceName, String parentId, String id) {
        refuseReserved(resourceName);
        return objects.purge(tx, resourceName, parentId, id);
    }

    private static void refuseReserved(String resourceName) {
        if (resourceName == null || RESERVED.contains(resourceName)) {
            throw new IllegalArgumentException("resource name '" + resourceName + "' is reserved: "
                    + String.join(", ", RESERVED) + " are Kinto's own resources, which listener storage may not read"
                    + " or write (it would bypass permissions, schemas and tombstones). Use a name of your own,"
                    + " such as 'tracker'.");
        }
    }

    private static List<Filter> toFilters(Map<String, Object> filters) {
        List<Filter> out = new ArrayList<>();
        if (filters != null) {
            filters.forEach((k, v) -> {
                JsonNode value = Json.fromJava(v);
                out.add(Filter.of(k, Filter.Operator.EQ, value));
            });
        }
        return out;
    }
}
