package org.kinto4j.server;

/**
 * One user's view of a {@link TestServer}: every request carries the user's basicauth
 * credentials. Obtain one with {@link TestServer#as(String)} or as a {@link User} parameter.
 */
public final class Client {

    private final TestServer server;
    private final String user;
    private volatile String id;

    Client(TestServer server, String user) {
        this.server = server;
        this.user = user;
    }

    /** The user's name as given ({@code alice}). */
    public String name() {
        return user;
    }

    /** The user's id as the server reports it in {@code GET /v1/} ({@code basicauth:...}). */
    public String id() {
        if (id == null) {
            TestServer.Response hello = get("/v1/");
            String reported = hello.json().path("user").path("id").asText("");
            if (reported.isEmpty()) {
                throw new AssertionError("GET /v1/ as " + user + " reports no user id: " + hello.text());
            }
            id = reported;
        }
        return id;
    }

    public TestServer.Response request(String method, String path, String body, String... headers) {
        return server.request(method, path, user, body, headers);
    }

    public TestServer.Response get(String path) {
        return server.get(path, user);
    }

    /** {@code PUT} without a body (creates a bucket or collection with defaults). */
    public TestServer.Response put(String path) {
        return server.put(path, user, null);
    }

    public TestServer.Response put(String path, String body) {
        return server.put(path, user, body);
    }

    public TestServer.Response post(String path, String body) {
        return server.post(path, user, body);
    }

    public TestServer.Response patch(String path, String body) {
        return server.patch(path, user, body);
    }

    public TestServer.Response delete(String path) {
        return server.delete(path, user);
    }
}
