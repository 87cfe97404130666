package org.kinto4j.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResponseContext;

/**
 * A {@link ResponseContext} for response hooks: a method, path, status and user, storage to
 * read, and the headers hooks set, kept for assertions.
 *
 * <pre>{@code
 * TestResponse response = context.respond(TestResponse.of("GET", "/v1/").user("basicauth:alice").storage(storage));
 * assertEquals("2", response.header("Buckets-Created"));
 * }</pre>
 *
 * <p>Not thread-safe: one response is handled by one thread, as in the server.
 */
public final class TestResponse implements ResponseContext {

    private final String method;
    private final String path;
    private int status = 200;
    private String userId;
    private ListenerStorage storage;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private TestResponse(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** A 200 response to an anonymous {@code method path} request, without storage. */
    public static TestResponse of(String method, String path) {
        return new TestResponse(method, path);
    }

    /** Sets the status code. */
    public TestResponse status(int code) {
        this.status = code;
        return this;
    }

    /** Sets the caller's prefixed user id ({@code basicauth:...}); {@code null} for anonymous. */
    public TestResponse user(String prefixedUserId) {
        this.userId = prefixedUserId;
        return this;
    }

    /** Sets the storage hooks read. */
    public TestResponse storage(ListenerStorage readable) {
        this.storage = readable;
        return this;
    }

    /** A header a hook set, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every header hooks set, in order. */
    public Map<String, String> headers() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, value);
    }

    /** @throws IllegalStateException when no storage was given */
    @Override
    public ListenerStorage storage() {
        if (storage == null) {
            throw new IllegalStateException("this TestResponse has no storage: call storage(...) when building it");
        }
        return storage;
    }
}
