package org.kinto4j.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.kinto4j.listener.ListenerStorage;
import org.kinto4j.listener.ResponseContext;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.events.ListenerRegistry;
import org.kinto4j.server.events.ListenerStorageView;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Transactions;
import org.kinto4j.server.storage.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin/Jetty adapter: turns each HTTP exchange into an {@link ApiRequest}, lets
 * {@link KintoApi} answer, adds the headers every Kinto response carries (CORS, CSP, Backoff,
 * Retry-After), runs the listeners' response hooks, writes the response and one access-log line.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("kinto4j.access");
    static final String CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; ";

    private final ServerSettings settings;
    private final KintoApi api;
    private final ListenerRegistry listeners;
    private final Transactions transactions;
    private final ObjectStore objects;
    private final List<jakarta.servlet.Filter> filters = new java.util.ArrayList<>();
    private Javalin app;
    private MetricsEndpoint metrics;

    public HttpServer(ServerSettings settings, KintoApi api, ListenerRegistry listeners, Transactions transactions,
            ObjectStore objects) {
        this.settings = settings;
        this.api = api;
        this.listeners = listeners;
        this.transactions = transactions;
        this.objects = objects;
    }

    /** A servlet filter in front of the API (the change feed, the console); call before {@link #start}. */
    public void addFilter(jakarta.servlet.Filter filter) {
        filters.add(filter);
    }

    /** Serves {@code /v1/__metrics__} and records every request (includes = [prometheus]). */
    public HttpServer withMetrics(MetricsEndpoint metrics) {
        this.metrics = metrics;
        return this;
    }

    public void start() {
        ServerSettings.Http http = settings.http();
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = http.host();
            config.jetty.port = http.port();
            QueuedThreadPool pool = new QueuedThreadPool(http.maxThreads(), Math.min(8, http.maxThreads()), 60_000);
            pool.setName("kinto4j-http");
            config.jetty.threadPool = pool;
            config.http.maxRequestSize = http.maxBodySize();
            config.router.ignoreTrailingSlashes = false;
            config.router.treatMultipleSlashesAsSingleSlash = false;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(10_000);
                // Errors Jetty answers itself (bad request line, 414, 431...) get Kinto's JSON body too.
                server.setErrorHandler(new JettyErrorHandler());
            });
            config.jetty.modifyServletContextHandler(context -> filters.forEach(f -> {
                org.eclipse.jetty.ee10.servlet.FilterHolder holder = new org.eclipse.jetty.ee10.servlet.FilterHolder(f);
                holder.setAsyncSupported(true);
                context.addFilter(holder, "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            }));
            config.routes.before(ctx -> {
                handle(ctx);
                ctx.skipRemainingHandlers();
            });
        });
        app.start();
        LOG.info("kinto4j listening on http://{}:{}/v1/", http.host(), app.port());
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
    }

    private void handle(Context ctx) {
        long start = System.nanoTime();
        HttpServletRequest raw = ctx.req();
        String method = raw.getMethod();
        String rawPath = raw.getRequestURI();
        if (metrics != null && metrics.handles(rawPath)) {
            int status = metrics.serve(ctx, method, CSP);
            metrics.record(method, rawPath, status, System.nanoTime() - start);
            return;
        }
        ApiResponse response;
        String userId = null;
        ApiRequest request = null;
        try {
            request = toApiRequest(ctx, raw);
            userId = api.userId(request);
            response = api.serve(request);
        } catch (UrlCodec.InvalidEncoding e) {
            response = ApiResponse.of(e.inQuery() ? UrlCodec.InvalidEncoding.badQuery(raw.getQueryString())
                    : KintoException.invalid("path", null, "Invalid URL path."));
        } catch (KintoException e) {
            response = ApiResponse.of(e);
        } catch (ServiceError e) {
            response = ApiResponse.of(KintoErrors.of(e, settings.retryAfterSeconds()));
        } catch (RuntimeException e) {
            LOG.error("Unexpected error reading {} {}", method, rawPath, e);
            response = ApiResponse.of(KintoException.internal(settings.errorInfoLink()));
        }
        decorate(response, raw.getHeader("Origin"));
        runHooks(method, rawPath, response, userId);
        write(ctx, method, response);
        if (metrics != null) {
            metrics.record(method, rawPath, response.status(), System.nanoTime() - start);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        ACCESS.info("{} {} {} {}ms {}", method, rawPath, response.status(), ms, userId == null ? "-" : userId);
    }

    private ApiRequest toApiRequest(Context ctx, HttpServletRequest raw) {
        String path = UrlCodec.decodePath(raw.getRequestURI());
        String rawQuery = raw.getQueryString();
        List<Map.Entry<String, String>> query = ApiRequest.parseQuery(rawQuery);
        Map<String, String> headers = new LinkedHashMap<>();
        Enumeration<String> names = raw.getHeaderNames();
        while (names.hasMoreElements()) {
            String n = names.nextElement();
            headers.put(n, raw.getHeader(n));
        }
        byte[] body = readBody(raw);
        return new ApiRequest(raw.getMethod(), path, rawQuery, query, headers, body, baseUrl(raw));
    }

    /**
     * Reads the body, at most {@code http.max_body_size} bytes; larger bodies get 413. A body
     * up to twice the limit is read to its end and discarded first, so that a client still
     * sending it reads the 413 instead of a reset connection; a larger one is refused at once.
     */
    private byte[] readBody(HttpServletRequest raw) {
        long limit = settings.http().maxBodySize();
        long declared = raw.getContentLengthLong();
        try (InputStream in = raw.getInputStream()) {
            if (declared > limit) {
                if (declared <= 2 * limit) {
                    discard(in, declared);
                }
                throw KintoException.tooLarge(limit);
            }
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                discard(in, limit);
                throw KintoException.tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw KintoException.invalid("body", "", "Could not read the request body: " + e.getMessage());
        }
    }

    private static void discard(InputStream in, long atMost) throws IOException {
        byte[] buffer = new byte[16384];
        long left = atMost;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    private String baseUrl(HttpServletRequest raw) {
        ServerSettings.Http http = settings.http();
        String scheme = http.scheme().isEmpty() ? raw.getScheme() : http.scheme();
        String host = http.publicHost();
        if (host.isEmpty()) {
            host = raw.getHeader("Host");
            if (host == null || host.isEmpty()) {
                host = raw.getServerName() + ":" + raw.getServerPort();
            }
        }
        return scheme + "://" + host;
    }

    private void decorate(ApiResponse r, String origin) {
        r.header("Content-Security-Policy", CSP);
        r.header("X-Content-Type-Options", "nosniff");
        r.header("Access-Control-Expose-Headers", r.expose().value());
        if (origin != null && !origin.isEmpty()) {
            List<String> allowed = settings.corsOrigins();
            if (allowed.contains("*")) {
                r.header("Access-Control-Allow-Origin", "*");
            } else if (allowed.contains(origin)) {
                r.header("Access-Control-Allow-Origin", origin);
            }
        }
        if (settings.backoff() > 0 && (settings.backoffPercentage() >= 100
                || ThreadLocalRandom.current().nextInt(100) < settings.backoffPercentage())) {
            r.header("Backoff", Integer.toString(settings.backoff()));
        }
        if (r.status() == 503 || r.status() == 409) {
            r.header("Retry-After", Integer.toString(settings.retryAfterSeconds()));
        }
    }

    private void runHooks(String method, String path, ApiResponse response, String userId) {
        List<ListenerRegistry.NamedHook> hooks = listeners.responseHooks();
        if (hooks.isEmpty()) {
            return;
        }
        HookContext context = new HookContext(method, path, response, userId);
        try {
            for (ListenerRegistry.NamedHook hook : hooks) {
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(hook.classLoader());
                try {
                    hook.hook().onResponse(context);
                } catch (Throwable e) { // plugin code: contained whatever it throws
                    LOG.warn("Response hook of listener '{}' failed on {} {}: {}", hook.instance(), method, path, e.toString());
                } finally {
                    thread.setContextClassLoader(previous);
                }
            }
        } finally {
            context.closeStorage();
        }
    }

    private void write(Context ctx, String method, ApiResponse r) {
        ctx.status(r.status());
        r.headers().forEach(ctx::header);
        if (r.status() == 304) {
            return;
        }
        if (r.status() == 307) {
            String location = r.headers().get("Location");
            ctx.header("Content-Type", "text/html; charset=UTF-8");
            ctx.result(("<html><head><title>307 Temporary Redirect</title></head><body><h1>307 Temporary Redirect</h1>"
                    + "The resource has been moved to " + location + ".</body></html>").getBytes(StandardCharsets.UTF_8));
            return;
        }
        ctx.header("Content-Type", "application/json");
        if (r.body() == null) {
            if (method.equals("HEAD")) {
                return;
            }
            ctx.result(new byte[0]);
            return;
        }
        byte[] bytes = Json.writeBytes(r.body());
        if (method.equals("HEAD")) {
            ctx.header("Content-Length", Integer.toString(bytes.length));
            return;
        }
        send(ctx, bytes);
    }

    /**
     * Writes the body itself: {@code ctx.result(bytes)} would have Javalin copy it to the output
     * through a new 32 KB buffer per response (a tenth of what a record POST allocated).
     */
    private static void send(Context ctx, byte[] bytes) {
        try {
            ctx.outputStream().write(bytes);
        } catch (IOException e) {
            // the client went away: there is no one left to answer
        }
    }

    /** What a response hook sees. */
    private final class HookContext implements ResponseContext {
        private final String method;
        private final String path;
        private final ApiResponse response;
        private final String userId;
        private Tx tx;

        HookContext(String method, String path, ApiResponse response, String userId) {
            this.method = method;
            this.path = path;
            this.response = response;
            this.userId = userId;
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
            return response.status();
        }

        @Override
        public Optional<String> userId() {
            return Optional.ofNullable(userId);
        }

        @Override
        public void setHeader(String name, String value) {
            response.header(name, value);
        }

        @Override
        public ListenerStorage storage() {
            if (tx == null) {
                tx = transactions.begin();
            }
            ListenerStorageView view = new ListenerStorageView(tx, objects);
            return new ReadOnlyStorage(view);
        }

        void closeStorage() {
            if (tx != null) {
                tx.close();
            }
        }
    }

    /** Storage for response hooks: reads only (the request's transaction is over). */
    private record ReadOnlyStorage(ListenerStorageView delegate) implements ListenerStorage {
        @Override
        public Map<String, Object> create(String resourceName, String parentId, Map<String, Object> object) {
            throw readOnly();
        }

        @Override
        public Map<String, Object> put(String resourceName, String parentId, String id, Map<String, Object> object) {
            throw readOnly();
        }

        @Override
        public Optional<Map<String, Object>> get(String resourceName, String parentId, String id) {
            return delegate.get(resourceName, parentId, id);
        }

        @Override
        public List<Map<String, Object>> list(String resourceName, String parentId, Map<String, Object> filters) {
            return delegate.list(resourceName, parentId, filters);
        }

        @Override
        public long count(String resourceName, String parentId, Map<String, Object> filters) {
            return delegate.count(resourceName, parentId, filters);
        }

        @Override
        public boolean delete(String resourceName, String parentId, String id) {
            throw readOnly();
        }

        private static UnsupportedOperationException readOnly() {
            return new UnsupportedOperationException("storage is read-only in response hooks: write from "
                    + "Listener.onEvent with delivery = in_transaction instead");
        }
    }
}
