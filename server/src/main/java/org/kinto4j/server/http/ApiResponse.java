package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** A response before it is written: status, headers and an optional JSON body. */
public final class ApiResponse {

    private int status;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private JsonNode body;
    /** Which Access-Control-Expose-Headers list applies (Kinto's per-endpoint lists). */
    private ExposeHeaders expose = ExposeHeaders.BASIC;

    public ApiResponse(int status, JsonNode body) {
        this.status = status;
        this.body = body;
    }

    public static ApiResponse of(KintoException e) {
        ApiResponse r = new ApiResponse(e.status(), e.body());
        e.headers().forEach(r::header);
        return r;
    }

    public int status() {
        return status;
    }

    public ApiResponse status(int newStatus) {
        this.status = newStatus;
        return this;
    }

    public JsonNode body() {
        return body;
    }

    public ApiResponse body(JsonNode newBody) {
        this.body = newBody;
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ExposeHeaders expose() {
        return expose;
    }

    public ApiResponse expose(ExposeHeaders value) {
        this.expose = value;
        return this;
    }

    /** Kinto's Access-Control-Expose-Headers lists, which depend on the endpoint and method. */
    public enum ExposeHeaders {
        BASIC("Backoff, Content-Type, Content-Length, Alert, Retry-After"),
        OBJECT_READ("Backoff, ETag, Cache-Control, Content-Type, Pragma, Content-Length, Alert, Last-Modified, Retry-After, Expires"),
        LIST_READ("Next-Page, Backoff, ETag, Cache-Control, Content-Type, Pragma, Content-Length, Alert, Last-Modified, Retry-After, Expires"),
        LIST_HEAD("Next-Page, Backoff, ETag, Cache-Control, Content-Type, Pragma, Content-Length, Alert, Last-Modified, Retry-After, Expires, Total-Objects, Total-Records"),
        UNROUTED("Backoff,Retry-After,Alert,Content-Length,Content-Type");

        private final String value;

        ExposeHeaders(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }
}
