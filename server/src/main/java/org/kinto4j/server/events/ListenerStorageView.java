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
import java.util.UUID;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/** {@link ListenerStorage} over one transaction. */
public final class ListenerStorageView implements ListenerStorage {

    private static final Set<String> SERVER_RESOURCES = Set.of("bucket", "collection", "group", "record");

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
        if (SERVER_RESOURCES.contains(resourceName)) {
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
        return objects.get(tx, resourceName, parentId, id).map(Json::toJavaMap);
    }

    @Override
    public List<Map<String, Object>> list(String resourceName, String parentId, Map<String, Object> filters) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ObjectNode o : objects.listEqual(tx, resourceName, parentId, toFilters(filters))) {
            out.add(Json.toJavaMap(o));
        }
        return out;
    }

    @Override
    public long count(String resourceName, String parentId, Map<String, Object> filters) {
        return objects.listEqual(tx, resourceName, parentId, toFilters(filters)).size();
    }

    @Override
    public boolean delete(String resourceName, String parentId, String id) {
        return objects.purge(tx, resourceName, parentId, id);
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
