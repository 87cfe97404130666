package org.kinto4j.server.http;

import java.util.Map;

/** Kinto's {@code Next-Page} URL: the request's URL and query, {@code _limit} and {@code _token} replaced. */
final class NextPage {

    private NextPage() {
    }

    static String url(ApiRequest req, int limit, String token) {
        StringBuilder url = new StringBuilder(req.baseUrl()).append(req.path()).append('?');
        for (Map.Entry<String, String> q : req.query()) {
            if (!q.getKey().equals("_limit") && !q.getKey().equals("_token")) {
                url.append(UrlCodec.encodeQueryComponent(q.getKey())).append('=')
                        .append(UrlCodec.encodeQueryComponent(q.getValue())).append('&');
            }
        }
        return url.append("_limit=").append(limit).append("&_token=").append(UrlCodec.encodeQueryComponent(token))
                .toString();
    }
}
