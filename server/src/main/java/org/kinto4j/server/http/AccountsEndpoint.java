package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.kinto4j.server.auth.AccountStore;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.permission.Authorizer;
import org.kinto4j.server.resource.ListParams;
import org.kinto4j.server.resource.Preconditions;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.storage.Filter;
import org.kinto4j.server.storage.ListQuery;
import org.kinto4j.server.storage.Sort;
import org.kinto4j.server.storage.Tx;

/**
 * {@code /v1/accounts} and {@code /v1/accounts/{id}} (Kinto's accounts plugin): reads, the
 * listing rules and the authorization shared with {@link AccountWrites}. Responses never hold
 * the password hash (Kinto returns it).
 */
public final class AccountsEndpoint {

    private final AccountStore accounts;
    private final Authorizer authorizer;
    private final ServerSettings settings;
    private final LongSupplier clock;
    private final AccountWrites writes;

    public AccountsEndpoint(AccountStore accounts, Authorizer authorizer, ServerSettings settings, LongSupplier clock,
            AccountPasswords passwords) {
        this.accounts = accounts;
        this.authorizer = authorizer;
        this.settings = settings;
        this.clock = clock;
        this.writes = new AccountWrites(this, accounts, passwords);
    }

    ApiResponse handle(RequestScope scope, ApiRequest req, String id, Caller caller) {
        String m = req.method();
        if (id == null) {
            return switch (m) {
                case "GET", "HEAD" -> list(scope, req, caller);
                case "POST" -> writes.post(scope, req, caller);
                case "DELETE" -> writes.deleteAll(scope, req, caller);
                default -> throw KintoException.methodNotAllowed("DELETE, GET, HEAD, OPTIONS, POST");
            };
        }
        return switch (m) {
            case "GET", "HEAD" -> get(scope, req, id, caller);
            case "PUT" -> writes.put(scope, req, id, caller);
            case "PATCH" -> writes.patch(scope, req, id, caller);
            case "DELETE" -> writes.delete(scope, req, id, caller);
            default -> throw KintoException.methodNotAllowed("DELETE, GET, HEAD, OPTIONS, PATCH, PUT");
        };
    }

    /** Kinto's Access-Control-Expose-Headers for the accounts endpoints. */
    static ApiResponse expose(ApiRequest req, String id, ApiResponse r) {
        boolean plural = id == null;
        if (req.method().equals("GET")) {
            r.expose(plural ? ApiResponse.ExposeHeaders.LIST_READ : ApiResponse.ExposeHeaders.OBJECT_READ);
        } else if (req.method().equals("HEAD")) {
            r.expose(plural ? ApiResponse.ExposeHeaders.LIST_HEAD : ApiResponse.ExposeHeaders.OBJECT_READ);
        } else {
            r.expose(ApiResponse.ExposeHeaders.BASIC);
        }
        return r;
    }

    // ---- authorization ---------------------------------------------------------------------

    boolean allowed(Tx tx, Caller caller, String uri, String permission) {
        return authorizer.allowed(tx, caller, uri, permission, AccountStore.RESOURCE);
    }

    void require(Tx tx, Caller caller, String uri, String permission) {
        if (!allowed(tx, caller, uri, permission)) {
            throw denied(caller);
        }
    }

    static KintoException denied(Caller caller) {
        return caller.isAnonymous() ? KintoException.unauthorized() : KintoException.forbidden();
    }

    /** An administrator: one of the caller's principals is in {@code account_write_principals}. */
    boolean isAdmin(Caller caller) {
        Set<String> admins = settings.principals("account_write_principals");
        return caller.principals().stream().anyMatch(admins::contains);
    }

    /** The account id the caller is logged in as, or null (anonymous, basicauth user). */
    static String ownId(Caller caller) {
        String user = caller.userId();
        return user != null && user.startsWith(AccountStore.PREFIX) ? user.substring(AccountStore.PREFIX.length()) : null;
    }

    /** Kinto's answer to an anonymous read or delete of the account list. */
    static KintoException cannotReadAccounts() {
        return new KintoException(401, KintoException.UNDEFINED, "Cannot read accounts.", null, null);
    }

    /**
     * Which accounts a plural request may see or delete: {@code null} for all, else the ids.
     * As Kinto: the permission on the list (settings), else accounts shared through their
     * ACL, else nothing if the caller may create accounts, else 401/403; anonymous callers who
     * got that far are told they cannot read accounts; non-administrators only ever reach their
     * own account.
     */
    Set<String> listable(Tx tx, Caller caller, String permission) {
        Set<String> ids = null;
        if (!allowed(tx, caller, AccountStore.PLURAL_URI, permission)) {
            Set<String> own = permission.equals("write") ? Set.of("write") : Set.of("read", "write");
            ids = accounts.permissions().childIdsGranted(tx, AccountStore.PLURAL_URI, own, caller.principals());
            if (ids.isEmpty() && !allowed(tx, caller, AccountStore.PLURAL_URI, "account:create")) {
                throw denied(caller);
            }
        }
        if (caller.isAnonymous()) {
            throw cannotReadAccounts();
        }
        if (!isAdmin(caller)) {
            String own = ownId(caller);
            Set<String> restricted = new HashSet<>();
            if (own != null && (ids == null || ids.contains(own))) {
                restricted.add(own);
            }
            ids = restricted;
        }
        return ids;
    }

    /** Filters and sorts on the password hash are refused: they would reveal it bit by bit. */
    static ListParams listParams(ApiRequest req, ServerSettings settings, long now) {
        ListParams params = ListParams.parse(req.query(), settings.paginateBy(), settings.storageMaxFetchSize(), now);
        for (Filter f : params.filters()) {
            if (f.field().equals("password") || f.field().startsWith("password.")) {
                throw KintoException.invalid("querystring", f.field(), "Cannot filter on the password");
            }
        }
        for (Sort s : params.sorts()) {
            if (s.field().equals("password") || s.field().startsWith("password.")) {
                throw KintoException.invalid("querystring", "_sort", "Cannot sort on the password");
            }
        }
        return params;
    }

    ServerSettings settings() {
        return settings;
    }

    long now() {
        return clock.getAsLong();
    }

    // ---- reads -------------------------------------------------------------------------------

    private ApiResponse get(RequestScope scope, ApiRequest req, String id, Caller caller) {
        checkAccept(req);
        Tx tx = scope.tx();
        require(tx, caller, AccountStore.uri(id), "read");
        AccountWrites.validateId(id);
        ObjectNode account = accounts.get(tx, id)
                .orElseThrow(() -> KintoException.objectNotFound(id, AccountStore.RESOURCE));
        long lm = account.path("last_modified").asLong();
        if (req.preconditions().checkRead(lm, AccountStore.shown(account))) {
            return withTimestamp(new ApiResponse(304, null), lm);
        }
        ApiResponse r = new ApiResponse(200, objectBody(tx, caller, id, account, false)).header("Cache-Control", "no-cache, no-store");
        return withTimestamp(r, lm);
    }

    private ApiResponse list(RequestScope scope, ApiRequest req, Caller caller) {
        checkAccept(req);
        Tx tx = scope.tx();
        Set<String> ids = listable(tx, caller, "read");
        long ts = accounts.objects().collectionTimestamp(tx, AccountStore.RESOURCE, AccountStore.PARENT);
        ListParams params = listParams(req, settings, now());
        if (req.preconditions().checkRead(ts, null)) {
            return withTimestamp(new ApiResponse(304, null), ts);
        }
        ListQuery query = params.query().withOnlyIds(ids);
        boolean none = ids != null && ids.isEmpty();
        ApiResponse r;
        if (req.method().equals("HEAD")) {
            long total = none ? 0 : accounts.objects().count(tx, AccountStore.RESOURCE, AccountStore.PARENT, query);
            ObjectNode empty = Json.object();
            empty.putArray("data");
            r = new ApiResponse(200, empty).header("Total-Objects", Long.toString(total))
                    .header("Total-Records", Long.toString(total));
        } else {
            List<ObjectNode> page = none ? List.of()
                    : accounts.objects().list(tx, AccountStore.RESOURCE, AccountStore.PARENT, query, params.limit() + 1);
            boolean more = page.size() > params.limit();
            if (more) {
                page = page.subList(0, params.limit());
            }
            ArrayNode data = Json.array();
            for (ObjectNode account : page) {
                ObjectNode shown = AccountStore.shown(account);
                data.add(params.fields() == null ? shown : project(shown, params.fields()));
            }
            ObjectNode body = Json.object();
            body.set("data", data);
            r = new ApiResponse(200, body);
            if (more) {
                r.header("Next-Page", nextPage(req, params, params.nextToken(page.get(page.size() - 1),
                        params.offset() + page.size() + 1)));
            }
        }
        r.header("Cache-Control", "no-cache, no-store");
        return withTimestamp(r, ts);
    }

    private static ObjectNode project(ObjectNode account, List<String> fields) {
        ObjectNode out = Json.object();
        out.set("id", account.get("id"));
        out.set("last_modified", account.get("last_modified"));
        for (String f : fields) {
            if (account.has(f)) {
                out.set(f, account.get(f));
            }
        }
        return out;
    }

    private static String nextPage(ApiRequest req, ListParams params, String token) {
        StringBuilder url = new StringBuilder(req.baseUrl()).append(req.path()).append('?');
        for (Map.Entry<String, String> q : req.query()) {
            if (!q.getKey().equals("_limit") && !q.getKey().equals("_token")) {
                url.append(UrlCodec.encodeQueryComponent(q.getKey())).append('=')
                        .append(UrlCodec.encodeQueryComponent(q.getValue())).append('&');
            }
        }
        return url.append("_limit=").append(params.limit()).append("&_token=")
                .append(UrlCodec.encodeQueryComponent(token)).toString();
    }

    // ---- response helpers ----------------------------------------------------------------

    static void checkAccept(ApiRequest req) {
        String accept = req.header("Accept");
        if (accept != null && !accept.isBlank()) {
            for (String part : accept.split(",")) {
                String type = part.split(";", -1)[0].trim().toLowerCase(java.util.Locale.ROOT);
                if (type.isEmpty() || type.equals("*/*") || type.equals("application/*") || type.equals(ContentNegotiation.JSON)) {
                    return;
                }
            }
            throw KintoException.invalidWithStatus(406, "header", "Accept",
                    "Accept header should be one of ['application/json']");
        }
    }

    /**
     * {@code {data, permissions}}: the account without its hash; the ACL if the caller is in
     * its write ACE or an administrator, and always to whoever just created it (as Kinto does
     * for an anonymous sign-up).
     */
    ObjectNode objectBody(Tx tx, Caller caller, String id, ObjectNode account, boolean created) {
        ObjectNode body = Json.object();
        body.set("data", AccountStore.shown(account));
        Map<String, Set<String>> acl = accounts.permissions().acl(tx, AccountStore.uri(id));
        ObjectNode permissions = body.putObject("permissions");
        Set<String> writers = acl.getOrDefault("write", Set.of());
        if (created || isAdmin(caller) || caller.principals().stream().anyMatch(writers::contains)) {
            acl.forEach((perm, principals) -> {
                if (!principals.isEmpty()) {
                    ArrayNode list = permissions.putArray(perm);
                    new TreeSet<>(principals).forEach(list::add);
                }
            });
        }
        return body;
    }

    static ApiResponse withTimestamp(ApiResponse r, long ts) {
        return r.header("ETag", HttpDates.etag(ts)).header("Last-Modified", HttpDates.httpDate(ts));
    }
}
