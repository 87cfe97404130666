package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.auth.Caller;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.resource.Envelope;
import org.kinto4j.server.resource.RequestScope;
import org.kinto4j.server.resource.Target;
import org.kinto4j.server.storage.Tx;

/**
 * {@code POST /v1/batch} (https://docs.kinto-storage.org/en/stable/api/1.x/batch.html): every sub-request in one transaction and one event
 * collector; 4xx sub-responses are reported and the rest goes on, a 409 aborts the transaction
 * (the batch still answers 200), a 5xx fails the whole batch.
 */
final class BatchHandler {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "DELETE", "TRACE", "POST", "PUT", "PATCH");
    private static final Set<String> REQUEST_KEYS = Set.of("method", "path", "headers", "body");

    private final KintoApi api;
    private final ServerSettings settings;

    BatchHandler(KintoApi api, ServerSettings settings) {
        this.api = api;
        this.settings = settings;
    }

    private record SubRequest(String method, String path, Map<String, String> headers, JsonNode body) {
    }

    ApiResponse handle(ApiRequest req) {
        ContentNegotiation.checkContentType(req, List.of(ContentNegotiation.JSON));
        JsonNode json = Envelope.parseJson(req.body());
        List<SubRequest> subs = parse(json);
        String userId = api.userId(req);
        RequestScope scope = new RequestScope(api.transactions().begin(), api.pipeline().wantsReads());
        try (Tx tx = scope.tx()) {
            ArrayNode responses = Json.array();
            boolean conflict = false;
            try {
                api.caller(scope, userId);
                for (SubRequest sub : subs) {
                    ApiRequest subRequest = toRequest(req, sub);
                    // Each sub-request authenticates with its own (merged) headers, as in Kinto;
                    // principals are still looked up once per user for the whole batch.
                    ApiResponse r = runOne(scope, subRequest, api.caller(scope, api.userId(subRequest)));
                    if (r.status() >= 500) {
                        tx.rollback();
                        return r;
                    }
                    if (r.status() == 409) {
                        conflict = true;
                    }
                    responses.add(render(subRequest, r));
                }
                if (conflict) {
                    tx.rollback();
                } else {
                    boolean staged = api.pipeline().beforeCommit(scope.tx(), scope.events());
                    tx.commit();
                    api.pipeline().afterCommit(scope.events(), staged);
                }
            } catch (KintoException e) {
                tx.rollback();
                return ApiResponse.of(e);
            } catch (Exception e) {
                tx.rollback();
                return api.failure(req, e);
            }
            ObjectNode body = Json.object();
            body.set("responses", responses);
            return new ApiResponse(200, body);
        }
    }

    private ApiResponse runOne(RequestScope scope, ApiRequest sub, Caller caller) {
        Route route = Route.match(sub.path());
        if (route == null && sub.path().endsWith("/") && sub.path().length() > 4) {
            String stripped = sub.path().replaceAll("/+$", "");
            if (Route.match(stripped) != null) {
                sub = sub.withPath(stripped);
                route = Route.match(stripped);
            }
        }
        try {
            if (route == null) {
                throw sub.path().matches("^/v(?!1/)[0-9]+(/.*)?$") ? KintoException.versionNotAvailable()
                        : KintoException.unknownUrl();
            }
            if (settings.readonly() && !sub.method().matches("GET|HEAD")) {
                throw KintoException.methodNotAllowed(Route.allowed(route));
            }
            if (route instanceof Route.Resource res) {
                Target t = res.target();
                return KintoApi.exposeFor(sub, t, api.resource(scope, sub, t, caller));
            }
            if (route instanceof Route.Accounts accounts) {
                return api.accounts(scope, sub, accounts, caller);
            }
            return api.serve(sub);
        } catch (KintoException e) {
            return ApiResponse.of(e);
        } catch (ServiceError e) {
            return ApiResponse.of(KintoErrors.of(e, settings.retryAfterSeconds()));
        }
    }

    private static ObjectNode render(ApiRequest sub, ApiResponse r) {
        ObjectNode out = Json.object();
        out.put("status", r.status());
        out.put("path", sub.path());
        ObjectNode headers = out.putObject("headers");
        r.headers().forEach(headers::put);
        headers.put("Content-Type", "application/json");
        headers.put("Access-Control-Expose-Headers", r.expose().value());
        if (r.body() == null || sub.method().equals("HEAD")) {
            out.put("body", "");
        } else {
            out.set("body", r.body());
            headers.put("Content-Length", Integer.toString(Json.writeBytes(r.body()).length));
        }
        // what the same request gets outside a batch (HttpServer adds them there), as Kinto's sub-responses
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", HttpServer.CSP);
        return out;
    }

    private ApiRequest toRequest(ApiRequest outer, SubRequest sub) {
        String path = sub.path();
        String rawQuery = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            rawQuery = path.substring(q + 1);
            path = path.substring(0, q);
        }
        String decoded;
        List<Map.Entry<String, String>> query;
        try {
            decoded = UrlCodec.decodePath(path);
            query = ApiRequest.parseQuery(rawQuery);
        } catch (UrlCodec.InvalidEncoding e) {
            throw KintoException.invalid("body", "requests.path", "Invalid URL path: " + sub.path());
        }
        if (!decoded.startsWith("/v1")) {
            decoded = "/v1" + decoded;
        }
        Map<String, String> headers = new LinkedHashMap<>(outer.headers());
        headers.remove("Content-Length");
        headers.putAll(sub.headers());
        byte[] body = null;
        if (sub.body() != null) {
            body = Json.writeBytes(sub.body());
            headers.put("Content-Type", "application/json; charset=utf-8");
        }
        return new ApiRequest(sub.method(), decoded, rawQuery, query, headers, body,
                outer.baseUrl()).sharingAuthenticationWith(outer);
    }

    private List<SubRequest> parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw KintoException.invalid("body", "requests", "Required");
        }
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!n.equals("defaults") && !n.equals("requests")) {
                throw KintoException.invalid("body", n, "Unrecognized keys in mapping: '" + n + "'");
            }
        }
        JsonNode requests = json.get("requests");
        if (requests == null || !requests.isArray()) {
            throw KintoException.invalid("body", "requests", requests == null ? "Required" : requests + " is not iterable");
        }
        int max = settings.batchMaxRequests();
        if (max > 0 && requests.size() > max) {
            throw KintoException.invalid("body", "requests", "Number of requests is limited to " + max);
        }
        JsonNode defaults = json.get("defaults");
        if (defaults != null && !defaults.isObject()) {
            throw KintoException.invalid("body", "defaults", defaults + " is not a mapping type");
        }
        List<SubRequest> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            JsonNode r = requests.get(i);
            if (!r.isObject()) {
                throw KintoException.invalid("body", "requests." + i, r + " is not a mapping type");
            }
            ObjectNode merged = ((ObjectNode) r).deepCopy();
            if (defaults != null) {
                mergeDefaults(merged, (ObjectNode) defaults);
            }
            out.add(subRequest(merged, i));
        }
        for (SubRequest s : out) {
            if (s.path().contains("/batch")) {
                throw KintoException.invalid("body", "requests", "Recursive call on /batch endpoint is forbidden.");
            }
        }
        return out;
    }

    private static void mergeDefaults(ObjectNode target, ObjectNode defaults) {
        defaults.properties().forEach(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                target.set(e.getKey(), e.getValue().deepCopy());
            } else if (existing.isObject() && e.getValue().isObject()) {
                mergeDefaults((ObjectNode) existing, (ObjectNode) e.getValue());
            }
        });
    }

    private static SubRequest subRequest(ObjectNode r, int index) {
        Iterator<String> names = r.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!REQUEST_KEYS.contains(n)) {
                throw KintoException.invalid("body", "requests." + index + "." + n,
                        "Unrecognized keys in mapping: '" + n + "'");
            }
        }
        JsonNode path = r.get("path");
        if (path == null || !path.isTextual() || !path.textValue().startsWith("/")) {
            throw KintoException.invalid("body", "requests." + index + ".path",
                    path == null ? "Required" : path + " does not start with /");
        }
        String method = r.has("method") ? r.get("method").asText() : "GET";
        if (!METHODS.contains(method)) {
            throw KintoException.invalid("body", "requests." + index + ".method",
                    "\"" + method + "\" is not one of GET, HEAD, DELETE, TRACE, POST, PUT, PATCH");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = r.get("headers");
        if (h != null) {
            if (!h.isObject()) {
                throw KintoException.invalid("body", "requests." + index + ".headers", h + " is not a mapping type");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = h.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw KintoException.invalid("body", "requests." + index + ".headers." + e.getKey(),
                            e.getValue() + " is not a string");
                }
                headers.put(e.getKey(), e.getValue().textValue());
            }
        }
        JsonNode body = r.get("body");
        if (body != null && !body.isObject()) {
            throw KintoException.invalid("body", "requests." + index + ".body", body + " is not a mapping type");
        }
        return new SubRequest(method, path.textValue(), headers, body);
    }
}
