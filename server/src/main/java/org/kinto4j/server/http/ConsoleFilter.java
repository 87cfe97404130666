package org.kinto4j.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The listener console, {@code /v1/__console__/}: three static files shipped in the jar
 * ({@code console/}). The page itself holds no data: it signs in with Basic auth and calls the
 * operations endpoint ({@code /v1/__listeners__}, for {@code admin_principals}) and the change feed.
 */
public final class ConsoleFilter implements Filter {

    static final String PREFIX = "/v1/__console__";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        String uri = req.getRequestURI();
        if (!uri.equals(PREFIX) && !uri.startsWith(PREFIX + "/")) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse res = (HttpServletResponse) response;
        if (uri.equals(PREFIX)) {
            res.setStatus(307);
            res.setHeader("Location", PREFIX + "/");
            return;
        }
        String file = FILES.get(uri.substring(PREFIX.length()));
        if (file == null || !(req.getMethod().equals("GET") || req.getMethod().equals("HEAD"))) {
            chain.doFilter(request, response); // the API's Kinto-format 404 / 405
            return;
        }
        try (InputStream in = ConsoleFilter.class.getClassLoader().getResourceAsStream("console/" + file)) {
            if (in == null) {
                chain.doFilter(request, response);
                return;
            }
            byte[] body = in.readAllBytes();
            res.setStatus(200);
            res.setContentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Content-Type-Options", "nosniff");
            res.setHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
            res.setContentLength(body.length);
            if (req.getMethod().equals("GET")) {
                res.getOutputStream().write(body);
            }
        }
    }
}
