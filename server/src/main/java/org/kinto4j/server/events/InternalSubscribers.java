package org.kinto4j.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.kinto4j.listener.Action;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * The server's own reactions to its events, run in the before-commit pass after the configured
 * listeners, as Kinto's view subscribers are: cascading deletions of buckets and
 * collections (no child events, no child tombstones) and group membership maintenance.
 */
final class InternalSubscribers {

    private final ObjectStore objects;
    private final PermissionStore permissions;

    InternalSubscribers(ObjectStore objects, PermissionStore permissions) {
        this.objects = objects;
        this.permissions = permissions;
    }

    void onEvent(Tx tx, ChangeEvent event) {
        switch (event.resourceName()) {
            case "bucket" -> {
                if (event.action() == Action.DELETE) {
                    for (JsonNode entry : event.impacted()) {
                        String uri = "/buckets/" + entry.path("old").path("id").asText();
                        objects.purgeUnder(tx, uri);
                        permissions.deleteAclsUnder(tx, uri);
                        permissions.removePrincipalsUnder(tx, uri);
                    }
                }
            }
            case "collection" -> {
                if (event.action() == Action.DELETE) {
                    for (JsonNode entry : event.impacted()) {
                        String uri = event.parentId() + "/collections/" + entry.path("old").path("id").asText();
                        objects.purgeUnder(tx, uri);
                        permissions.deleteAclsUnder(tx, uri + "/records");
                    }
                }
            }
            case "group" -> onGroupEvent(tx, event);
            default -> {
            }
        }
    }

    private void onGroupEvent(Tx tx, ChangeEvent event) {
        if (event.action() == Action.READ) {
            return;
        }
        for (JsonNode entry : event.impacted()) {
            JsonNode newGroup = entry.path("new");
            String principal = event.parentId() + "/groups/" + newGroup.path("id").asText();
            if (event.action() == Action.DELETE) {
                permissions.removePrincipal(tx, principal);
                continue;
            }
            Set<String> before = members(entry.path("old"));
            Set<String> after = members(newGroup);
            for (String m : after) {
                if (!before.contains(m)) {
                    permissions.addUserPrincipal(tx, m, principal);
                }
            }
            for (String m : before) {
                if (!after.contains(m)) {
                    permissions.removeUserPrincipal(tx, m, principal);
                }
            }
        }
    }

    private static Set<String> members(JsonNode group) {
        Set<String> out = new HashSet<>();
        group.path("members").forEach(m -> out.add(m.asText()));
        return out;
    }
}
