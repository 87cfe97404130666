package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kinto4j.server.auth.AccountStore;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.auth.PasswordHasher;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.Envelope;
import org.kinto4j.server.resource.ListParams;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.resource.ResourceKind;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.Tx;

/**
 * Writes on accounts with Kinto's rules: sign-up by {@code PUT /accounts/{id}} or
 * {@code POST /accounts} with {@code data.id} when {@code account_create_principals} allows it;
 * a logged-in user who is not an administrator may only write their own account; the new
 * account's {@code write} permission is {@code account:<id>}, whoever created it. Passwords are
 * stored as bcrypt hashes; a password change or deletion ends the account's remembered login.
 */
final class AccountWrites {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final AccountsEndpoint endpoint;
    private final AccountStore accounts;
    private final AccountPasswords passwords;

    AccountWrites(AccountsEndpoint endpoint, AccountStore accounts, AccountPasswords passwords) {
        this.endpoint = endpoint;
        this.accounts = accounts;
        this.passwords = passwords;
    }

    static void validateId(String id) {
        if (!AccountStore.validId(id)) {
            throw KintoException.invalid("path", null, "Invalid object id");
        }
    }

    /** A logged-in user who is not an administrator may only write the account they are logged in as. */
    private void checkOwner(Caller caller, String id) {
        if (!caller.isAnonymous() && !endpoint.isAdmin(caller) && !id.equals(AccountsEndpoint.ownId(caller))) {
            throw KintoException.invalid("body", "data.id", "Username and account ID do not match.");
        }
    }

    /** The bcrypt hash of {@code data.password}; 400 when missing, empty, not a string or too long. */
    private String newPasswordHash(JsonNode data) {
        JsonNode p = data == null ? null : data.get("password");
        if (p == null || p.isNull() || (p.isTextual() && p.textValue().isEmpty())) {
            throw KintoException.invalid("body", "data.password", "Required");
        }
        if (!p.isTextual()) {
            throw KintoException.invalid("body", "data.password", p.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + " is not a string");
        }
        if (PasswordHasher.tooLong(p.textValue())) {
            throw KintoException.invalid("body", "data.password",
                    "Password too long: bcrypt reads at most " + PasswordHasher.MAX_BYTES + " bytes (UTF-8)");
        }
        return passwords.hasher().hash(p.textValue());
    }

    private Tx lockedTx(RequestScope scope) {
        Tx tx = scope.tx();
        accounts.objects().lockForWrite(tx, AccountStore.RESOURCE, AccountStore.PARENT);
        return tx;
    }

    // ---- POST /accounts ----------------------------------------------------------------------

    ApiResponse post(RequestScope scope, ApiRequest req, Caller caller) {
        AccountsEndpoint.checkAccept(req);
        ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON));
        JsonNode json = Envelope.parseJson(req.body());
        String id = null;
        if (json != null && json.path("data").isObject() && json.get("data").has("id")) {
            JsonNode idNode = json.get("data").get("id");
            if (!idNode.isTextual() || !AccountStore.validId(idNode.textValue())) {
                throw KintoException.invalid("path", null, "Invalid object id");
            }
            id = idNode.textValue();
        }
        Tx tx = lockedTx(scope);
        ObjectNode existing = id == null ? null : accounts.get(tx, id).orElse(null);
        if (existing != null) {
            endpoint.require(tx, caller, AccountStore.uri(id), "read");
        } else {
            endpoint.require(tx, caller, AccountStore.PLURAL_URI, "account:create");
        }
        if (id == null) {
            throw KintoException.invalid("body", "data.id", "data.id in body: Required");
        }
        Envelope envelope = Envelope.parse(json, ResourceKind.RECORD);
        if (existing != null) {
            req.preconditions().checkWrite(existing);
            return AccountsEndpoint.withTimestamp(new ApiResponse(200, endpoint.objectBody(tx, caller, id, existing, false)),
                    existing.path("last_modified").asLong());
        }
        return create(tx, caller, id, envelope);
    }

    private ApiResponse create(Tx tx, Caller caller, String id, Envelope envelope) {
        checkOwner(caller, id);
        ObjectNode data = envelope.data() == null ? Json.object() : envelope.data().deepCopy();
        data.put("password", newPasswordHash(data));
        data.remove("last_modified");
        data.put("id", id);
        ObjectNode stored = accounts.objects().create(tx, AccountStore.RESOURCE, AccountStore.PARENT, data, null);
        writeAcl(tx, id, Map.of(), envelope.permissions());
        return AccountsEndpoint.withTimestamp(new ApiResponse(201, endpoint.objectBody(tx, caller, id, stored, true)),
                stored.path("last_modified").asLong());
    }

    /** The ACL: the given permissions over {@code current}, and always {@code write: account:<id>}. */
    private void writeAcl(Tx tx, String id, Map<String, Set<String>> current, Map<String, Set<String>> given) {
        Map<String, Set<String>> acl = new TreeMap<>();
        current.forEach((perm, principals) -> acl.put(perm, new LinkedHashSet<>(principals)));
        if (given != null) {
            given.forEach((perm, principals) -> {
                if (principals == null) {
                    acl.remove(perm);
                } else {
                    acl.put(perm, new LinkedHashSet<>(principals));
                }
            });
        }
        acl.computeIfAbsent("write", k -> new LinkedHashSet<>()).add(AccountStore.principal(id));
        accounts.permissions().replaceAcl(tx, AccountStore.uri(id), acl);
    }

    // ---- PUT /accounts/{id} ------------------------------------------------------------------

    ApiResponse put(RequestScope scope, ApiRequest req, String id, Caller caller) {
        AccountsEndpoint.checkAccept(req);
        ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON));
        Tx tx = lockedTx(scope);
        ObjectNode existing = AccountStore.validId(id) ? accounts.get(tx, id).orElse(null) : null;
        Preconditions pre = req.preconditions();
        boolean creating = existing == null || (pre.ifNoneMatch() != null && pre.ifNoneMatch() == Preconditions.ANY);
        if (creating) {
            endpoint.require(tx, caller, AccountStore.PLURAL_URI, "account:create");
        } else {
            endpoint.require(tx, caller, AccountStore.uri(id), "write");
        }
        validateId(id);
        Envelope envelope = Envelope.parse(Envelope.parseJson(req.body()), ResourceKind.RECORD);
        pre.checkWrite(existing);
        if (envelope.data() != null && envelope.data().has("id") && !envelope.data().get("id").asText().equals(id)) {
            throw KintoException.invalid("body", "id", "Object id does not match existing object");
        }
        if (existing == null) {
            return create(tx, caller, id, envelope);
        }
        checkOwner(caller, id);
        ObjectNode data = envelope.data() == null ? Json.object() : envelope.data().deepCopy();
        data.put("password", newPasswordHash(data));
        return replace(tx, caller, id, existing, data, envelope.permissions());
    }

    private ApiResponse replace(Tx tx, Caller caller, String id, ObjectNode existing, ObjectNode data,
            Map<String, Set<String>> permissions) {
        data.remove("last_modified");
        data.put("id", id);
        ObjectNode stored = accounts.objects().update(tx, AccountStore.RESOURCE, AccountStore.PARENT, data,
                existing.path("last_modified").asLong(), null);
        writeAcl(tx, id, accounts.permissions().acl(tx, AccountStore.uri(id)), permissions);
        passwords.logins().forget(id);
        return AccountsEndpoint.withTimestamp(new ApiResponse(200, endpoint.objectBody(tx, caller, id, stored, false)),
                stored.path("last_modified").asLong());
    }

    // ---- PATCH /accounts/{id} ----------------------------------------------------------------

    ApiResponse patch(RequestScope scope, ApiRequest req, String id, Caller caller) {
        AccountsEndpoint.checkAccept(req);
        String type = ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON, MERGE_PATCH));
        Tx tx = lockedTx(scope);
        ObjectNode existing = existingForWrite(tx, caller, id);
        req.preconditions().checkWrite(existing);
        Envelope envelope = Envelope.parse(Envelope.parseJson(req.body()), ResourceKind.RECORD);
        if (envelope.data() == null && envelope.permissions() == null) {
            throw KintoException.invalid("body", "data", "Provide at least one of data or permissions");
        }
        checkOwner(caller, id);
        ObjectNode data = existing.deepCopy();
        if (envelope.data() != null) {
            ObjectNode changes = envelope.data();
            if (changes.has("id") && !changes.get("id").asText().equals(id)) {
                throw KintoException.invalid("body", "id", "Object id does not match existing object");
            }
            if (changes.has("password")) {
                data.put("password", newPasswordHash(changes));
            }
            changes.properties().forEach(e -> {
                if (e.getKey().equals("password") || e.getKey().equals("id")) {
                    return;
                }
                if (e.getValue().isNull() && type.equals(MERGE_PATCH)) {
                    data.remove(e.getKey());
                } else {
                    data.set(e.getKey(), e.getValue());
                }
            });
        }
        return replace(tx, caller, id, existing, data, envelope.permissions());
    }

    /** The account a PATCH or DELETE addresses, after Kinto's checks (write, else 404 or 401/403). */
    private ObjectNode existingForWrite(Tx tx, Caller caller, String id) {
        ObjectNode existing = AccountStore.validId(id) ? accounts.get(tx, id).orElse(null) : null;
        if (!endpoint.allowed(tx, caller, AccountStore.uri(id), "write")
                && !(existing == null && endpoint.allowed(tx, caller, AccountStore.PLURAL_URI, "read"))) {
            throw AccountsEndpoint.denied(caller);
        }
        validateId(id);
        if (existing == null) {
            throw KintoException.objectNotFound(id, AccountStore.RESOURCE);
        }
        return existing;
    }

    // ---- DELETE ------------------------------------------------------------------------------

    ApiResponse delete(RequestScope scope, ApiRequest req, String id, Caller caller) {
        AccountsEndpoint.checkAccept(req);
        Tx tx = lockedTx(scope);
        ObjectNode existing = existingForWrite(tx, caller, id);
        req.preconditions().checkWrite(existing);
        ObjectNode tombstone = remove(tx, existing);
        ObjectNode body = Json.object();
        body.set("data", tombstone);
        return AccountsEndpoint.withTimestamp(new ApiResponse(200, body), tombstone.path("last_modified").asLong());
    }

    private ObjectNode remove(Tx tx, ObjectNode existing) {
        String id = existing.get("id").textValue();
        ObjectNode tombstone = accounts.objects().delete(tx, AccountStore.RESOURCE, AccountStore.PARENT, id,
                existing.path("last_modified").asLong(), null);
        accounts.permissions().deleteAcl(tx, AccountStore.uri(id));
        passwords.logins().forget(id);
        return tombstone;
    }

    ApiResponse deleteAll(RequestScope scope, ApiRequest req, Caller caller) {
        AccountsEndpoint.checkAccept(req);
        Tx tx = scope.tx();
        Set<String> ids = endpoint.listable(tx, caller, "write");
        lockedTx(scope);
        ListParams params = AccountsEndpoint.listParams(req, endpoint.settings(), endpoint.now());
        List<Filter> live = new ArrayList<>(params.filters());
        live.add(Filter.of("deleted", Filter.Operator.NOT, Json.mapper().getNodeFactory().booleanNode(true)));
        ListQuery query = new ListQuery(live, params.sorts(), null, ids);
        List<ObjectNode> victims = ids != null && ids.isEmpty() ? List.of()
                : accounts.objects().list(tx, AccountStore.RESOURCE, AccountStore.PARENT, query, 0);
        long last = accounts.objects().collectionTimestamp(tx, AccountStore.RESOURCE, AccountStore.PARENT);
        ArrayNode data = Json.array();
        for (ObjectNode victim : victims) {
            ObjectNode tombstone = remove(tx, victim);
            data.add(tombstone);
            last = Math.max(last, tombstone.path("last_modified").asLong());
        }
        ObjectNode body = Json.object();
        body.set("data", data);
        return AccountsEndpoint.withTimestamp(new ApiResponse(200, body), last);
    }
}
