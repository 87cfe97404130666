package org.kinto4j.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.Tx;

/**
 * Accounts as Kinto stores them: objects of resource {@code account} (parent id empty here) in
 * the object store, {@code {id, password: <bcrypt hash>, ...}}, each with an ACL at
 * {@code /accounts/<id>} whose {@code write} holds {@code account:<id>}.
 */
public final class AccountStore {

    public static final String RESOURCE = "account";
    public static final String PARENT = "";
    public static final String PLURAL_URI = "/accounts";
    public static final String PREFIX = "account:";
    /** Kinto's account id rule: record-like ids that may also hold {@code + . @}. */
    public static final Pattern ID = Pattern.compile("^[a-zA-Z0-9][+.@a-zA-Z0-9_-]*$");
    private static final int MAX_ID_LENGTH = 256;

    private final ObjectStore objects;
    private final PermissionStore permissions;

    public AccountStore(ObjectStore objects, PermissionStore permissions) {
        this.objects = objects;
        this.permissions = permissions;
    }

    public static boolean validId(String id) {
        return id != null && id.length() <= MAX_ID_LENGTH && ID.matcher(id).matches();
    }

    public static String uri(String id) {
        return PLURAL_URI + "/" + id;
    }

    public static String principal(String id) {
        return PREFIX + id;
    }

    public ObjectStore objects() {
        return objects;
    }

    public PermissionStore permissions() {
        return permissions;
    }

    /** The live account, password hash included (never show it: see {@link #shown}). */
    public Optional<ObjectNode> get(Tx tx, String id) {
        return objects.get(tx, RESOURCE, PARENT, id);
    }

    /** A copy without the password hash, as every response shows an account. */
    public static ObjectNode shown(ObjectNode account) {
        ObjectNode copy = account.deepCopy();
        copy.remove("password");
        return copy;
    }

    /** Creates or replaces an account with this hash and gives its owner write (create-user). */
    public ObjectNode upsert(Tx tx, String id, String passwordHash) {
        objects.lockForWrite(tx, RESOURCE, PARENT);
        ObjectNode data = Json.object();
        data.put("id", id);
        data.put("password", passwordHash);
        Optional<ObjectNode> existing = get(tx, id);
        ObjectNode stored = existing.isPresent()
                ? objects.update(tx, RESOURCE, PARENT, data, existing.get().path("last_modified").asLong(), null)
                : objects.create(tx, RESOURCE, PARENT, data, null);
        Map<String, Set<String>> acl = new TreeMap<>(permissions.acl(tx, uri(id)));
        acl.computeIfAbsent("write", k -> new LinkedHashSet<>()).add(principal(id));
        permissions.replaceAcl(tx, uri(id), acl);
        return stored;
    }
}
