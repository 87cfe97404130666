package org.kinto4j.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request as the API sees it, independent of the web server: top-level requests and batch
 * sub-requests are both this. {@code path} is percent-decoded and starts with {@code /v1}.
 */
public final class ApiRequest {

    private final String method;
    private final String path;
    private final List<Map.Entry<String, String>> query;
    private final String rawQuery;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String baseUrl;
    /** The authentication of this request's headers, computed once (shared by its copies). */
    private final Object[] authentication;

    public ApiRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> query,
            Map<String, String> headers, byte[] body, String baseUrl) {
        this(method, path, rawQuery, query, headers, body, baseUrl, new Object[1]);
    }

    private ApiRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> query,
            Map<String, String> headers, byte[] body, String baseUrl, Object[] authentication) {
        this.authentication = authentication;
        this.method = method.toUpperCase(Locale.ROOT);
        this.path = path;
        this.rawQuery = rawQuery;
        this.query = List.copyOf(query);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = h;
        this.body = body;
        this.baseUrl = baseUrl;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The query string as received (may be null). */
    public String rawQuery() {
        return rawQuery;
    }

    /** Decoded query parameters in order, names trimmed. */
    public List<Map.Entry<String, String>> query() {
        return query;
    }

    public String queryParam(String name) {
        for (Map.Entry<String, String> e : query) {
            if (e.getKey().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public boolean hasBody() {
        return body != null && body.length > 0;
    }

    /** Scheme, host and port the client used (or the configured public ones): {@code http://host:8888}. */
    public String baseUrl() {
        return baseUrl;
    }

    public ApiRequest withPath(String newPath) {
        return new ApiRequest(method, newPath, rawQuery, query, headers, body, baseUrl, authentication);
    }

    public ApiRequest withBody(byte[] newBody) {
        return new ApiRequest(method, path, rawQuery, query, headers, newBody, baseUrl, authentication);
    }

    /**
     * This request, sharing {@code outer}'s authentication when both carry the same
     * Authorization header (batch sub-requests: one account check per batch, not per request).
     */
    public ApiRequest sharingAuthenticationWith(ApiRequest outer) {
        if (!java.util.Objects.equals(header("Authorization"), outer.header("Authorization"))) {
            return this;
        }
        return new ApiRequest(method, path, rawQuery, query, headers, body, baseUrl, outer.authentication);
    }

    /** The authentication of this request, computed on first use only (bcrypt is slow). */
    @SuppressWarnings("unchecked")
    <T> T authentication(java.util.function.Supplier<T> compute) {
        if (authentication[0] == null) {
            authentication[0] = compute.get();
        }
        return (T) authentication[0];
    }

    public static List<Map.Entry<String, String>> parseQuery(String raw) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(UrlCodec.decodeQueryComponent(name).trim(), UrlCodec.decodeQueryComponent(value)));
        }
        return out;
    }

    /** The request's {@code If-Match} / {@code If-None-Match} conditions. */
    public org.kinto4j.server.resource.Preconditions preconditions() {
        return org.kinto4j.server.resource.Preconditions.of(header("If-Match"), header("If-None-Match"));
    }
}
