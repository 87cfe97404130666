package org.kinto4j.server.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinto4j.server.auth.DefaultBucketIds;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.feed.ChangeFeed;
import org.kinto4j.server.feed.FeedSubscriber;
import org.kinto4j.server.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/buckets/{bid}/collections/{cid}/changes} and {@code GET /v1/buckets/{bid}/changes}:
 * checks the request like the records (or collections) list it streams, answering Kinto-format
 * errors, then turns the exchange into an asynchronous {@code text/event-stream} fed by
 * {@link ChangeFeed}. Other requests pass through to the API.
 */
public final class ChangeFeedFilter implements Filter {

    private static final Logger ACCESS = LoggerFactory.getLogger("kinto4j.access");
    private static final Pattern CHANGES = Pattern.compile("^/v1/buckets/([^/]+)(?:/collections/([^/]+))?/changes$");
    private static final Pattern TIMESTAMP = Pattern.compile("^\"?([0-9]{1,18})\"?$");

    private final ServerSettings settings;
    private final KintoApi api;
    private final DefaultBucketIds defaultBuckets;
    private final ChangeFeed feed;

    public ChangeFeedFilter(ServerSettings settings, KintoApi api, DefaultBucketIds defaultBuckets, ChangeFeed feed) {
        this.settings = settings;
        this.api = api;
        this.defaultBuckets = defaultBuckets;
        this.feed = feed;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        Matcher m = CHANGES.matcher(req.getRequestURI());
        if (!feed.enabled() || !m.matches()) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse res = (HttpServletResponse) response;
        long start = System.nanoTime();
        String bucketId;
        String collectionId;
        try {
            bucketId = UrlCodec.decodePath(m.group(1));
            collectionId = m.group(2) == null ? null : UrlCodec.decodePath(m.group(2));
        } catch (UrlCodec.InvalidEncoding e) {
            writeError(req, res, ApiResponse.of(KintoException.invalid("path", null, "Invalid URL path.")), start, null);
            return;
        }
        if (req.getMethod().equals("OPTIONS")) {
            ApiResponse ok = new ApiResponse(200, Json.mapper().nullNode());
            ok.header("Access-Control-Allow-Methods", "GET,OPTIONS");
            String asked = req.getHeader("Access-Control-Request-Headers");
            ok.header("Access-Control-Allow-Headers", asked == null ? "Authorization,Last-Event-ID" : asked);
            writeError(req, res, ok, start, null);
            return;
        }
        if (!req.getMethod().equals("GET")) {
            writeError(req, res, ApiResponse.of(KintoException.methodNotAllowed("GET, OPTIONS")), start, null);
            return;
        }
        ApiRequest probe = probe(req, bucketId, collectionId);
        String userId;
        try {
            userId = api.userId(probe);
        } catch (KintoException e) { // credentials refused, or storage down while checking them
            writeError(req, res, ApiResponse.of(e), start, null);
            return;
        }
        Long since;
        try {
            since = since(req, probe);
        } catch (KintoException e) {
            writeError(req, res, ApiResponse.of(e), start, userId);
            return;
        }
        ApiResponse allowed = api.serve(probe);
        if (allowed.status() != 200) {
            writeError(req, res, allowed, start, userId);
            return;
        }
        if ("default".equals(bucketId)) {
            bucketId = defaultBuckets.bucketId(userId);
        }
        openStream(req, res, bucketId, collectionId, since, userId);
        ACCESS.info("{} {} {} {}ms {} (stream opened)", req.getMethod(), req.getRequestURI(), 200,
                (System.nanoTime() - start) / 1_000_000, userId == null ? "-" : userId);
    }

    /** The list request whose permission check the stream borrows: records of the collection, or collections. */
    private static ApiRequest probe(HttpServletRequest req, String bucketId, String collectionId) {
        String path = "/v1/buckets/" + bucketId + (collectionId == null ? "/collections" : "/collections/"
                + collectionId + "/records");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            if (!name.equalsIgnoreCase("Accept")) { // EventSource asks for text/event-stream, the list answers JSON
                headers.put(name, req.getHeader(name));
            }
        }
        return new ApiRequest("GET", path, "_limit=1", List.of(Map.entry("_limit", "1")), headers, new byte[0],
                req.getScheme() + "://" + (req.getHeader("Host") == null ? req.getServerName() : req.getHeader("Host")));
    }

    /** The timestamp to resume after: {@code Last-Event-ID}, else {@code ?_since=}; null when neither. */
    private static Long since(HttpServletRequest req, ApiRequest probe) {
        String header = req.getHeader("Last-Event-ID");
        String location = "header";
        String name = "Last-Event-ID";
        String value = header;
        if (value == null || value.isEmpty()) {
            value = ApiRequest.parseQuery(req.getQueryString()).stream().filter(e -> e.getKey().equals("_since"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            location = "querystring";
            name = "_since";
        }
        if (value == null) {
            return null;
        }
        Matcher t = TIMESTAMP.matcher(value.trim());
        if (!t.matches()) {
            throw KintoException.invalid(location, name, "'" + value + "' is not a timestamp (milliseconds, "
                    + "the id of an event this stream sent)");
        }
        return Long.parseLong(t.group(1));
    }

    private void openStream(HttpServletRequest req, HttpServletResponse res, String bucketId, String collectionId,
            Long since, String userId) throws IOException {
        res.setStatus(200);
        res.setContentType("text/event-stream;charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        corsAndSecurity(req, res);
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = res.getOutputStream();
        String description = req.getRequestURI() + " (" + (userId == null ? "anonymous" : userId) + ")";
        SseSink sink = new SseSink(async, out, description);
        async.addListener(sink);
        out.setWriteListener(sink);
        FeedSubscriber subscriber = feed.open(bucketId, collectionId, since, userId, sink);
        sink.onClose(() -> feed.closed(subscriber));
    }

    private void corsAndSecurity(HttpServletRequest req, HttpServletResponse res) {
        res.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; ");
        res.setHeader("X-Content-Type-Options", "nosniff");
        String origin = req.getHeader("Origin");
        if (origin != null && !origin.isEmpty()) {
            List<String> allowed = settings.corsOrigins();
            if (allowed.contains("*")) {
                res.setHeader("Access-Control-Allow-Origin", "*");
            } else if (allowed.contains(origin)) {
                res.setHeader("Access-Control-Allow-Origin", origin);
            }
        }
    }

    private void writeError(HttpServletRequest req, HttpServletResponse res, ApiResponse r, long start, String userId)
            throws IOException {
        res.setStatus(r.status());
        corsAndSecurity(req, res);
        r.headers().forEach(res::setHeader);
        res.setHeader("Access-Control-Expose-Headers", r.expose().value());
        res.setContentType("application/json");
        byte[] body = r.body() == null ? new byte[0] : Json.writeBytes(r.body());
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
        ACCESS.info("{} {} {} {}ms {}", req.getMethod(), req.getRequestURI(), r.status(),
                (System.nanoTime() - start) / 1_000_000, userId == null ? "-" : userId);
    }
}
