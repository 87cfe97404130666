package org.kinto4j.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.kinto4j.server.json.Json;

/**
 * Kinto-format JSON for the errors Jetty answers by itself, before a request reaches the API:
 * unparseable request lines and headers (400), too long URIs (414) and header blocks (431),
 * bad framing. Jetty's default is an HTML page (or no body at all for PUT/PATCH/DELETE).
 * An unsupported HTTP version (Jetty: 505) is answered 400: it is a malformed request, not a
 * server failure.
 */
public final class JettyErrorHandler extends ErrorHandler {

    private static final String CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; ";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 || status < 400) {
            status = 400;
        }
        Object message = request.getAttribute(ERROR_MESSAGE);
        byte[] body = Json.writeBytes(body(status, message instanceof String s && !s.isBlank() ? s : null));
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** Kinto's body for a status Jetty chose (https://docs.kinto-storage.org/en/stable/api/1.x/errors.html). */
    static ObjectNode body(int status, String reason) {
        int errno;
        switch (status) {
            case 400 -> errno = KintoException.INVALID_PARAMETERS;
            case 404 -> errno = KintoException.MISSING_RESOURCE;
            case 405 -> errno = KintoException.METHOD_NOT_ALLOWED;
            case 411 -> errno = KintoException.MISSING_CONTENT_LENGTH;
            case 413 -> errno = KintoException.REQUEST_TOO_LARGE;
            case 503 -> errno = KintoException.BACKEND;
            default -> errno = KintoException.UNDEFINED;
        }
        String error = HttpStatus.getMessage(status);
        ObjectNode b = Json.object();
        b.put("code", status);
        b.put("errno", errno);
        b.put("error", error == null || error.isEmpty() ? "Error" : error);
        b.put("message", reason == null ? (error == null ? "HTTP error " + status : error) : reason);
        return b;
    }
}
