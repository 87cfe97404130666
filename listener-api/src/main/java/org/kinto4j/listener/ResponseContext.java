package org.kinto4j.listener;

import java.util.Optional;

/** One HTTP response about to be sent, as seen by a {@link ResponseHook}. */
public interface ResponseContext {

    /** The HTTP method of the request ({@code GET}, {@code PUT}, ...). */
    String method();

    /** The request path as received, for example {@code /v1/buckets/b1}. */
    String path();

    /** The response status code. */
    int status();

    /** The caller's prefixed user id ({@code basicauth:...}), empty for anonymous requests. */
    Optional<String> userId();

    /** Sets (or replaces) a response header. */
    void setHeader(String name, String value);

    /**
     * Storage, read-only, in a short transaction of its own that sees everything committed so
     * far (including this request's changes when it succeeded).
     */
    ListenerStorage storage();
}
