package org.kinto4j.server.http;

import java.util.List;
import java.util.Locale;

/** What a request's {@code Accept} and {@code Content-Type} headers allow: 406 and 415 as Kinto's. */
public final class ContentNegotiation {

    public static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String JSON_PATCH = "application/json-patch+json";

    private ContentNegotiation() {
    }

    public static void checkAccept(ApiRequest req) {
        String accept = req.header("Accept");
        if (accept == null || accept.isBlank()) {
            return;
        }
        for (String part : accept.split(",")) {
            String type = part.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
            if (type.equals("*/*") || type.equals("application/*") || type.equals(JSON) || type.isEmpty()) {
                return;
            }
        }
        throw KintoException.invalidWithStatus(406, "header", "Accept",
                "Accept header should be one of ['application/json']");
    }

    /** The media type of the body (defaults to JSON when absent); 415 when not allowed. */
    public static String checkContentType(ApiRequest req, List<String> allowed) {
        String ct = req.header("Content-Type");
        if (ct == null || ct.isBlank()) {
            return JSON;
        }
        String type = ct.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(type)) {
            StringBuilder list = new StringBuilder("[");
            for (int i = 0; i < allowed.size(); i++) {
                list.append(i > 0 ? ", " : "").append('\'').append(allowed.get(i)).append('\'');
            }
            list.append(']');
            throw KintoException.invalidWithStatus(415, "header", "Content-Type",
                    "Content-Type header should be one of " + list);
        }
        return type;
    }
}
