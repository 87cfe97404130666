package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.auth.Authenticator;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.auth.DefaultBucketIds;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.EventPipeline;
import org.kinto4j.server.events.ListenerFailure;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.HelloView;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.resource.ResourceKind;
import org.kinto4j.server.resource.Target;
import org.kinto4j.server.storage.PermissionStore;
import org.kinto4j.server.storage.StorageErrors;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kinto API independent of the web server: routing, redirects, authentication, one
 * transaction per request (or batch), the event passes around the commit, and Kinto-format
 * errors. {@link #serve} never throws.
 */
public final class KintoApi {

    private static final Logger LOG = LoggerFactory.getLogger(KintoApi.class);
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final ServerSettings settings;
    private final Transactions transactions;
    private final Authenticator authenticator;
    private final DefaultBucketIds defaultBuckets;
    private final PermissionStore permissions;
    private final ResourceHandler resources;
    private final EventPipeline pipeline;
    private final HelloView hello;
    private final BatchHandler batch;
    private final OperationsEndpoint operations;
    private final AccountsEndpoint accounts;
    private final FlushEndpoint flush;
    private BucketExtensions extensions = BucketExtensions.NONE;

    /** {@code accounts} and {@code flush} are null when {@code includes} does not list them. */
    public KintoApi(ServerSettings settings, Transactions transactions, Authenticator authenticator,
            DefaultBucketIds defaultBuckets, PermissionStore permissions, ResourceHandler resources,
            EventPipeline pipeline, HelloView hello, OperationsEndpoint operations, AccountsEndpoint accounts,
            FlushEndpoint flush) {
        this.settings = settings;
        this.transactions = transactions;
        this.authenticator = authenticator;
        this.accounts = accounts;
        this.flush = flush;
        this.defaultBuckets = defaultBuckets;
        this.permissions = permissions;
        this.resources = resources;
        this.pipeline = pipeline;
        this.hello = hello;
        this.operations = operations;
        this.batch = new BatchHandler(this, settings);
    }

    /** The caller's user id from the Authorization header, or null; 401 for credentials every policy refused. */
    /** Serves {@code /v1/buckets/{bid}/{name}} lists and snapshots (includes = [history]). */
    public KintoApi withBucketExtensions(BucketExtensions extensions) {
        this.extensions = extensions;
        return this;
    }

    /** The caller's user id from the Authorization header, or null. */
    public String userId(ApiRequest req) {
        Authenticator.Result result;
        try {
            result = req.authentication(() -> authenticator.authenticate(req.header("Authorization")));
        } catch (RuntimeException e) {
            ServiceError mapped = StorageErrors.translate(e);
            if (mapped == null) {
                throw e;
            }
            LOG.warn("Storage error while checking credentials on {} {}: {}", req.method(), req.path(), e.toString());
            throw KintoErrors.of(mapped, settings.retryAfterSeconds());
        }
        if (result.rejected()) {
            throw KintoException.unauthorized();
        }
        return result.userId();
    }

    public ApiResponse serve(ApiRequest req) {
        try {
            ApiResponse early = beforeRouting(req);
            if (early != null) {
                return early;
            }
            Route route = Route.match(req.path());
            if (route == null) {
                return unrouted(req);
            }
            if (req.method().equals("OPTIONS")) {
                return preflight(req, route);
            }
            if (settings.readonly() && WRITE_METHODS.contains(req.method())) {
                throw KintoException.methodNotAllowed(Route.allowed(route));
            }
            if (route instanceof Route.Hello) {
                requireMethod(req, route, "GET", "HEAD");
                ApiResponse info = inTransaction(req, (scope, caller) -> new ApiResponse(200, hello.render(req.baseUrl(), caller)));
                if (settings.readonly() && info.status() == 200) {
                    // Kinto caches the hello view of a readonly server (root_cache_expires_seconds, 1 day).
                    info.header("Cache-Control", "max-age=86400")
                            .header("Expires", HttpDates.httpDate(System.currentTimeMillis() + 86_400_000L));
                }
                return info;
            }
            if (route instanceof Route.LbHeartbeat) {
                requireMethod(req, route, "GET", "HEAD");
                return new ApiResponse(200, Json.object());
            }
            if (route instanceof Route.Heartbeat) {
                requireMethod(req, route, "GET", "HEAD");
                return heartbeat();
            }
            if (route instanceof Route.Batch) {
                requireMethod(req, route, "POST");
                return batch.handle(req);
            }
            if (route instanceof Route.Listeners l) {
                return inTransaction(req, (scope, caller) -> operations.handle(scope, req, caller, l));
            }
            if (route instanceof Route.Permissions) {
                if (!settings.permissionsEndpoint()) {
                    throw KintoException.unknownUrl();
                }
                requireMethod(req, route, "GET", "HEAD");
                return inTransaction(req, (scope, caller) -> resources.permissionsEndpoint(scope, req, caller))
                        .expose(req.method().equals("HEAD") ? ApiResponse.ExposeHeaders.LIST_HEAD
                                : ApiResponse.ExposeHeaders.LIST_READ);
            }
            if (route instanceof Route.Accounts a) {
                if (accounts == null) {
                    throw KintoException.unknownUrl();
                }
                return AccountsEndpoint.expose(req, a.id(), inTransaction(req, (scope, caller) -> accounts(scope, req, a, caller)));
            }
            if (route instanceof Route.Flush) {
                if (flush == null) {
                    throw KintoException.unknownUrl();
                }
                requireMethod(req, route, "POST");
                return inTransaction(req, (scope, caller) -> flush.handle(scope, caller));
            }
            if (route instanceof Route.BucketList || route instanceof Route.Snapshot) {
                return extensions.serve(this, req, route);
            }
            Target target = ((Route.Resource) route).target();
            return exposeFor(req, target, inTransaction(req, (scope, caller) -> resource(scope, req, target, caller)));
        } catch (KintoException e) {
            return ApiResponse.of(e).expose(ApiResponse.ExposeHeaders.BASIC);
        } catch (ServiceError e) {
            return ApiResponse.of(KintoErrors.of(e, settings.retryAfterSeconds())).expose(ApiResponse.ExposeHeaders.BASIC);
        } catch (RuntimeException e) {
            LOG.error("Unexpected error on {} {}", req.method(), req.path(), e);
            return ApiResponse.of(KintoException.internal(settings.errorInfoLink()));
        }
    }

    private static void requireMethod(ApiRequest req, Route route, String... methods) {
        for (String m : methods) {
            if (m.equals(req.method())) {
                return;
            }
        }
        throw KintoException.methodNotAllowed(Route.allowed(route));
    }

    /** Version-prefix redirects, other versions, invalid paths, as upstream Kinto. */
    private ApiResponse beforeRouting(ApiRequest req) {
        String path = req.path();
        if (path.equals("/v1")) {
            return redirect(req, "/v1/", -1);
        }
        if (path.startsWith("/v1/")) {
            return null;
        }
        if (path.matches("^/v[0-9]+(/.*)?$")) {
            return ApiResponse.of(KintoException.versionNotAvailable()).expose(ApiResponse.ExposeHeaders.UNROUTED);
        }
        if (req.method().equals("OPTIONS")) {
            return new ApiResponse(200, Json.mapper().nullNode());
        }
        if (settings.versionPrefixRedirect() && path.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return redirect(req, "/v1" + path, -1);
        }
        return ApiResponse.of(KintoException.unknownUrl()).expose(ApiResponse.ExposeHeaders.UNROUTED);
    }

    private ApiResponse unrouted(ApiRequest req) {
        String path = req.path();
        if (settings.trailingSlashRedirect() && path.endsWith("/") && path.length() > 4) {
            String stripped = path.replaceAll("/+$", "");
            if (Route.match(stripped) != null) {
                return redirect(req, stripped, 3600);
            }
        }
        return ApiResponse.of(KintoException.unknownUrl()).expose(ApiResponse.ExposeHeaders.UNROUTED);
    }

    private static ApiResponse redirect(ApiRequest req, String path, int cacheSeconds) {
        String location = req.baseUrl() + path + (req.rawQuery() == null || req.rawQuery().isEmpty() ? "" : "?" + req.rawQuery());
        ApiResponse r = new ApiResponse(307, null).header("Location", location)
                .expose(ApiResponse.ExposeHeaders.UNROUTED);
        if (cacheSeconds >= 0) {
            r.header("Cache-Control", "max-age=" + cacheSeconds);
            r.header("Expires", HttpDates.httpDate(System.currentTimeMillis() + cacheSeconds * 1000L));
        }
        return r;
    }

    private ApiResponse preflight(ApiRequest req, Route route) {
        CorsPreflight.validate(req, Route.allowed(route));
        ApiResponse r = new ApiResponse(200, Json.mapper().nullNode());
        String methods = Route.allowed(route).replace(" ", "").replace("OPTIONS", "").replaceAll(",+$", "")
                .replace(",,", ",");
        r.header("Access-Control-Allow-Methods", methods + ",OPTIONS");
        String requested = req.header("Access-Control-Request-Headers");
        String exposed = ApiResponse.ExposeHeaders.LIST_HEAD.value().replace(" ", "");
        r.header("Access-Control-Allow-Headers", requested == null || requested.isBlank() ? exposed : requested + "," + exposed);
        r.header("Access-Control-Max-Age", Integer.toString(settings.corsMaxAgeSeconds()));
        return r;
    }

    private ApiResponse heartbeat() {
        boolean ok;
        try (Tx tx = transactions.begin()) {
            tx.handle().createQuery("SELECT 1").mapTo(Integer.class).one();
            tx.rollback();
            ok = true;
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat: storage check failed: {}", e.toString());
            ok = false;
        }
        ObjectNode body = Json.object();
        body.put("storage", ok);
        body.put("permission", ok);
        body.put("cache", true);
        return new ApiResponse(ok ? 200 : 503, body);
    }

    /** Work done inside a request scope. */
    @FunctionalInterface
    interface ScopedWork {
        ApiResponse run(RequestScope scope, Caller caller);
    }

    /** Runs one top-level request in its own transaction with both event passes. */
    ApiResponse inTransaction(ApiRequest req, ScopedWork work) {
        String userId = userId(req);
        RequestScope scope = new RequestScope(transactions.begin(), pipeline.wantsReads());
        try (Tx tx = scope.tx()) {
            ApiResponse response;
            try {
                Caller caller = caller(scope, userId);
                response = work.run(scope, caller);
                boolean staged = pipeline.beforeCommit(scope.tx(), scope.events());
                tx.commit();
                pipeline.afterCommit(scope.events(), staged);
                return response;
            } catch (KintoException e) {
                tx.rollback();
                return ApiResponse.of(e);
            } catch (ServiceError e) {
                tx.rollback();
                return ApiResponse.of(KintoErrors.of(e, settings.retryAfterSeconds()));
            } catch (Exception e) {
                tx.rollback();
                return failure(req, e);
            }
        }
    }

    /** The response for an unexpected failure (listener, storage, bug); logs it. */
    ApiResponse failure(ApiRequest req, Exception e) {
        if (e instanceof ListenerFailure lf) {
            LOG.error("Listener '{}' failed on event {} during {} {}: the request was rolled back and answered 500",
                    lf.instance(), lf.eventId(), req.method(), req.path(), lf.getCause());
            return ApiResponse.of(KintoException.internal(settings.errorInfoLink()));
        }
        ServiceError mapped = StorageErrors.translate(e);
        if (mapped != null) {
            LOG.warn("Storage error on {} {}: {}", req.method(), req.path(), e.toString());
            return ApiResponse.of(KintoErrors.of(mapped, settings.retryAfterSeconds()));
        }
        LOG.error("Unexpected error on {} {}", req.method(), req.path(), e);
        return ApiResponse.of(KintoException.internal(settings.errorInfoLink()));
    }

    Caller caller(RequestScope scope, String userId) {
        return scope.caller(userId, id -> Caller.authenticated(id, permissions.userPrincipals(scope.tx(), id)));
    }

    /** A resource request inside a scope (also used by batch sub-requests). */
    ApiResponse resource(RequestScope scope, ApiRequest req, Target target, Caller caller) {
        ApiRequest effective = req;
        Target t = target;
        if ("default".equals(t.bucketId())) {
            if (caller.isAnonymous()) {
                throw KintoException.unauthorized();
            }
            if (settings.readonly()) {
                // Implicit creations are writes: Kinto's default bucket answers 405 to every method.
                throw KintoException.methodNotAllowed(Route.allowed(new Route.Resource(t)));
            }
            String bucketId = defaultBuckets.bucketId(caller.userId());
            boolean putBucket = req.method().equals("PUT") && t.kind() == ResourceKind.BUCKET && !t.plural();
            String collectionId = null;
            if ((t.kind() == ResourceKind.COLLECTION && !t.plural()) || t.kind() == ResourceKind.RECORD) {
                collectionId = t.collectionId();
            }
            boolean putCollection = req.method().equals("PUT") && t.kind() == ResourceKind.COLLECTION && !t.plural();
            resources.ensureDefaultObjects(scope, caller, bucketId, collectionId, putBucket, putCollection);
            t = t.inBucket(bucketId);
            effective = req.withPath(req.path().replaceFirst("^/v1/buckets/default", "/v1/buckets/" + bucketId))
                    .withBody(replaceDefaultInBodyId(req.body(), bucketId));
        }
        return resources.handle(scope, effective, t, caller);
    }

    /** An accounts request inside a scope (also used by batch sub-requests). */
    ApiResponse accounts(RequestScope scope, ApiRequest req, Route.Accounts route, Caller caller) {
        if (accounts == null) {
            throw KintoException.unknownUrl();
        }
        return AccountsEndpoint.expose(req, route.id(), accounts.handle(scope, req, route.id(), caller));
    }

    /** Kinto's Access-Control-Expose-Headers list depends on the endpoint and method, not the outcome. */
    static ApiResponse exposeFor(ApiRequest req, Target t, ApiResponse r) {
        if (req.method().equals("GET")) {
            r.expose(t.plural() ? ApiResponse.ExposeHeaders.LIST_READ : ApiResponse.ExposeHeaders.OBJECT_READ);
        } else if (req.method().equals("HEAD")) {
            r.expose(t.plural() ? ApiResponse.ExposeHeaders.LIST_HEAD : ApiResponse.ExposeHeaders.OBJECT_READ);
        } else {
            r.expose(ApiResponse.ExposeHeaders.BASIC);
        }
        return r;
    }

    private static byte[] replaceDefaultInBodyId(byte[] body, String bucketId) {
        if (body == null || body.length == 0) {
            return body;
        }
        try {
            JsonNode json = Json.parse(body);
            if (json.isObject() && json.path("data").isObject() && json.get("data").path("id").isTextual()) {
                String id = json.get("data").get("id").textValue();
                if (id.contains("default")) {
                    ((ObjectNode) json.get("data")).put("id", id.replace("default", bucketId));
                    return Json.writeBytes(json);
                }
            }
        } catch (Exception e) {
            // malformed: the resource handler reports it
        }
        return body;
    }

    EventPipeline pipeline() {
        return pipeline;
    }

    Transactions transactions() {
        return transactions;
    }

    ServerSettings settings() {
        return settings;
    }
}
