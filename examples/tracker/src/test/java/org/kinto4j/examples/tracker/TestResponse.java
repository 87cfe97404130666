package org.kinto4j.examples.tracker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResponseContext;

/** A response of {@code GET /v1/} that records the headers hooks set. */
final class TestResponse implements ResponseContext {

    private final Optional<String> userId;
    private final ListenerStorage storage;
    final Map<String, String> headers = new LinkedHashMap<>();

    TestResponse(String userId, ListenerStorage storage) {
        this.userId = Optional.ofNullable(userId);
        this.storage = storage;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return "/v1/";
    }

    @Override
    public int status() {
        return 200;
    }

    @Override
    public Optional<String> userId() {
        return userId;
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, value);
    }

    @Override
    public ListenerStorage storage() {
        return storage;
    }
}
