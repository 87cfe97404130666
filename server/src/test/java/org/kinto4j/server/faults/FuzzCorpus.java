package org.kinto4j.server.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Generates malformed Kinto requests as raw HTTP/1.1 bytes, reproducibly from a seed: bad and
 * mutated JSON, wrong types, huge and deeply nested bodies, invalid ids, odd unicode, bad
 * headers, unknown methods, bad query values, bad batches and patches, broken framing.
 */
final class FuzzCorpus {

    /** One generated request. {@code oneShot}: send it on its own connection (framing may be broken). */
    record Request(String kind, String summary, byte[] bytes, boolean head, boolean oneShot) {
    }

    static final String BUCKET = "fz";
    static final String ALICE = "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
    static final String BOB = "Basic " + Base64.getEncoder().encodeToString("bob:secret".getBytes(StandardCharsets.UTF_8));

    private static final String[] PATHS = {
        "/v1/buckets/" + BUCKET,
        "/v1/buckets/" + BUCKET + "/collections/c",
        "/v1/buckets/" + BUCKET + "/collections/c/records",
        "/v1/buckets/" + BUCKET + "/collections/c/records/r1",
        "/v1/buckets/" + BUCKET + "/collections/c/records/r2",
        "/v1/buckets/" + BUCKET + "/collections",
        "/v1/buckets/" + BUCKET + "/groups",
        "/v1/buckets/" + BUCKET + "/groups/g",
        "/v1/buckets",
        "/v1/batch",
        "/v1/",
        "/v1/buckets/default/collections/fuzz/records",
        "/v1/buckets/default",
        "/v1/__heartbeat__",
        "/v1/__lbheartbeat__",
        "/v1/__listeners__",
        "/v1/permissions",
        "/buckets/" + BUCKET,
        "/v1/buckets/" + BUCKET + "/collections/c/records/",
        "/v2/buckets",
    };

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    private static final String[] ODD_METHODS = {"FOO", "PROPFIND", "MKCOL", "COPY", "MOVE", "LOCK", "PURGE", "get",
        "Post", "TRACE", "BREW", "M-SEARCH", "X".repeat(200), "GET1", "PATCH2", "QUERY", "SEARCH", "LINK", "UNLINK"};

    private static final String[] ODD_STRINGS = {
        "\u0000", "\u0001\u001f", "\u007f", "\u0085", "\u00a0", "\u200b\u200c\u200d", "\u200e\u200f", "\u2028\u2029",
        "\u202e", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\ud83d\ude00", "e\u0301\u0301\u0301", "\u0627\u0644\u0639",
        "\u4e2d\u6587", "\ud800\udc00", "\\", "\"", "'", "%", "%00", "../..", "${jndi:ldap://x}", "<script>", "NaN",
        "\r\n", "\t", "\ud834\udd1e", "\u0300", "\u00ff\u00fe", "Z\u0351\u036b\u0343\u036a\u0302\u036b",
    };

    /** JSON-escaped texts Java strings cannot carry to the wire as UTF-8 (lone surrogates, escapes). */
    private static final String[] ESCAPED_JSON_STRINGS = {
        "\"\\ud800\"", "\"\\udfff\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"\\uD83D\"", "\"\\ud83d\\ude00\"",
        "\"\\uZZZZ\"", "\"\\x41\"", "\"\\\"", "\"\\u12\"", "\"\\/\"", "\"\\ud800\\u0041\"",
    };

    /** Raw invalid or odd UTF-8 byte sequences. */
    private static final byte[][] RAW_BYTES = {
        {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
        {(byte) 0xc3}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, {(byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {0}, {(byte) 0xe2, (byte) 0x82},
    };

    private static final String[] VALID_BODIES = {
        "{\"data\":{\"title\":\"x\",\"n\":1,\"tags\":[\"a\"],\"nested\":{\"k\":true}}}",
        "{\"data\":{\"id\":\"r1\",\"title\":\"x\"},\"permissions\":{\"read\":[\"system.Everyone\"]}}",
        "{\"data\":{\"members\":[\"basicauth:abc\"]}}",
        "{\"permissions\":{\"write\":[\"system.Authenticated\"],\"record:create\":[\"account:x\"]}}",
        "{\"data\":{\"schema\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"string\"}}}}}",
        "{\"defaults\":{\"method\":\"POST\",\"path\":\"/buckets/fz/collections/c/records\"},\"requests\":[{\"body\":{\"data\":{\"a\":1}}}]}",
        "{\"requests\":[{\"method\":\"GET\",\"path\":\"/buckets/fz\"},{\"method\":\"PUT\",\"path\":\"/buckets/fz/collections/c/records/r2\",\"body\":{\"data\":{}}}]}",
        "[{\"op\":\"add\",\"path\":\"/data/x\",\"value\":1}]",
        "{\"data\":{\"last_modified\":1234567890123}}",
    };

    private final Random random;

    FuzzCorpus(long seed) {
        this.random = new Random(seed);
    }

    Request next() {
        if (random.nextInt(50) == 0) {
            return hugeOrDeep(); // 2%: each one costs as much as a hundred small ones
        }
        int k = random.nextInt(13);
        return switch (k) {
            case 0 -> badJson();
            case 1 -> wrongTypes();
            case 2 -> wrongTypes();
            case 3 -> invalidIds();
            case 4 -> oddUnicode();
            case 5 -> badHeaders();
            case 6 -> unknownMethod();
            case 7 -> badQuery();
            case 8 -> badBatch();
            case 9 -> badPatch();
            case 10 -> brokenFraming();
            case 11 -> mutated();
            default -> forcedTimestamps();
        };
    }

    // ---- categories ---------------------------------------------------------------------------

    private Request badJson() {
        String[] bodies = {
            "{", "}", "{\"data\":", "{\"data\": {\"note\": ", "{'data': {}}", "{\"data\":{},}", "{\"data\":{\"a\":01}}",
            "{\"data\":{\"a\":.5}}", "{\"data\":{\"a\":+1}}", "{\"data\":{\"a\":Infinity}}", "{\"data\":{\"a\":NaN}}",
            "{\"data\":{\"a\":undefined}}", "{\"data\":{\"a\":true false}}", "{\"data\":{}} trailing", "{\"data\":{}}{}",
            "\u0000", "", " ", "nul", "tru", "[", "[[", "\"unterminated", "{\"data\":{\"a\":\"\t\"}}",
            "{\"data\":{\"a\":1e}}", "{\"data\":{\"a\":--1}}", "{\"data\":{\"a\":0x10}}", "{\"data\":{/*c*/}}",
            "{\"data\":{\"a\":1}//c\n}", "{\"data\" {}}", "{\"data\"::{}}", "{,}", "{\"a\" : }", "\ufeff{\"data\":{}}",
        };
        String body = pick(bodies);
        return build("bad-json", pick(METHODS_WITH_BODY), pickWritablePath(), ALICE, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static final String[] METHODS_WITH_BODY = {"POST", "PUT", "PATCH"};

    private Request wrongTypes() {
        String[] values = {"null", "true", "1", "-1", "1.5", "\"s\"", "[]", "[1,2]", "{}", "[null]", "[[]]", "{\"a\":{}}",
            "\"\"", "1e308", "-0", "12345678901234567890123", "[\"system.Everyone\"]", "{\"read\":1}"};
        String v = pick(values);
        String[] templates = {
            "{\"data\":%s}", "{\"permissions\":%s}", "{\"data\":{},\"permissions\":{\"read\":%s}}",
            "{\"data\":{},\"permissions\":{\"write\":%s}}", "{\"data\":{},\"permissions\":{\"bogus\":%s}}",
            "{\"data\":{\"id\":%s}}", "{\"data\":{\"last_modified\":%s}}", "{\"data\":{\"members\":%s}}",
            "{\"data\":{\"schema\":%s}}", "{\"data\":{\"cache_expires\":%s}}", "{\"data\":{\"record:schema\":%s}}",
            "%s", "{\"data\":{},\"unknown\":%s}", "{\"data\":{},\"permissions\":{\"record:create\":%s}}",
            "{\"data\":{\"deleted\":%s}}", "{\"data\":{\"collection:schema\":%s}}",
        };
        String body = String.format(pick(templates), v);
        return build("wrong-types", pick(METHODS_WITH_BODY), pickWritablePath(), ALICE, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private Request hugeOrDeep() {
        int k = random.nextInt(8);
        byte[] body;
        String summary;
        switch (k) {
            case 0 -> {
                int depth = pick(new int[] {150, 199, 200, 201, 1000, 50_000});
                body = ("{\"data\":{\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}}").getBytes(StandardCharsets.UTF_8);
                summary = "nested arrays depth " + depth;
            }
            case 1 -> {
                int depth = pick(new int[] {100, 198, 199, 200, 3000});
                StringBuilder sb = new StringBuilder("{\"data\":");
                sb.append("{\"a\":".repeat(depth)).append("1").append("}".repeat(depth)).append('}');
                body = sb.toString().getBytes(StandardCharsets.UTF_8);
                summary = "nested objects depth " + depth;
            }
            case 2 -> {
                int size = pick(new int[] {1_048_576 - 40, 1_048_576, 1_048_577, 1_100_000, 2_000_000});
                String filler = "x".repeat(Math.max(0, size - 22));
                body = ("{\"data\":{\"big\":\"" + filler + "\"}}").getBytes(StandardCharsets.UTF_8);
                summary = "body of " + body.length + " bytes";
            }
            case 3 -> {
                StringBuilder sb = new StringBuilder("{\"data\":{");
                int keys = pick(new int[] {1000, 20_000});
                for (int i = 0; i < keys; i++) {
                    sb.append(i > 0 ? "," : "").append("\"k").append(i).append("\":").append(i);
                }
                body = sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
                summary = keys + " keys";
            }
            case 4 -> {
                int digits = pick(new int[] {400, 5000, 200_000});
                body = ("{\"data\":{\"n\":" + "9".repeat(digits) + "}}").getBytes(StandardCharsets.UTF_8);
                summary = "number of " + digits + " digits";
            }
            case 5 -> {
                body = ("{\"data\":{\"f\":1." + "1".repeat(5000) + "e-99999}}").getBytes(StandardCharsets.UTF_8);
                summary = "long float with huge exponent";
            }
            case 6 -> {
                String key = "k".repeat(pick(new int[] {1000, 60_000}));
                body = ("{\"data\":{\"" + key + "\":1}}").getBytes(StandardCharsets.UTF_8);
                summary = "key of " + key.length() + " chars";
            }
            default -> {
                StringBuilder sb = new StringBuilder("{\"data\":{},\"permissions\":{\"read\":[");
                for (int i = 0; i < 5000; i++) {
                    sb.append(i > 0 ? "," : "").append("\"basicauth:").append(i).append('"');
                }
                body = sb.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
                summary = "5000 principals";
            }
        }
        // New objects, not the shared r1/c/fz: a stored megabyte would make every later request on them slow.
        String path = pick(new String[] {"/v1/buckets/" + BUCKET + "/collections/c/records",
            "/v1/buckets/" + BUCKET + "/collections/c/records/h" + random.nextInt(1000),
            "/v1/buckets/" + BUCKET + "/collections/big" + random.nextInt(1000), "/v1/batch"});
        String method = path.endsWith("records") || path.endsWith("batch") ? "POST" : pick(new String[] {"PUT", "PATCH"});
        return build("huge/" + summary, method, path, ALICE, "application/json", body);
    }

    private Request invalidIds() {
        String[] ids = {"", "_x", "-x", "a b", "a.b", "a/b", "a%2Fb", "%2e%2e", "..", ".", "__beers__", "beer'",
            "x".repeat(300), "x".repeat(3000), "%00", "%ff", "%c3%a9t%c3%a9", "%e2%80%ae", "a%0d%0ab", "%20",
            "a;b", "a,b", "a@b", "a+b", "a%25b", "\u00e9", "%F0%9F%98%80", "a%", "%zz", "*", "~", "a:b", "(x)"};
        String id = pick(ids);
        String[] patterns = {
            "/v1/buckets/%s", "/v1/buckets/%s/collections/c", "/v1/buckets/" + BUCKET + "/collections/%s",
            "/v1/buckets/" + BUCKET + "/collections/c/records/%s", "/v1/buckets/" + BUCKET + "/groups/%s",
            "/v1/buckets/" + BUCKET + "/collections/%s/records", "/v1/buckets/%s/groups",
            "/v1/buckets/default/collections/%s/records",
        };
        String path = String.format(pick(patterns), encodeForPath(id));
        String method = pick(METHODS);
        byte[] body = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE") ? new byte[0]
                : (random.nextBoolean() ? "{\"data\":{}}" : "{\"data\":{\"id\":\"" + jsonEscape(id) + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
        return build("invalid-id", method, path, pick(new String[] {ALICE, ALICE, BOB, null}), "application/json", body);
    }

    private Request oddUnicode() {
        int k = random.nextInt(5);
        String odd = pick(ODD_STRINGS);
        switch (k) {
            case 0 -> {
                String body = "{\"data\":{\"v\":\"" + jsonEscapeKeepingUnicode(odd) + "\",\"" + jsonEscapeKeepingUnicode(odd)
                        + "k\":1}}";
                return build("unicode-body", pick(METHODS_WITH_BODY), pickWritablePath(), ALICE, "application/json",
                        body.getBytes(StandardCharsets.UTF_8));
            }
            case 1 -> {
                String body = "{\"data\":{\"v\":" + pick(ESCAPED_JSON_STRINGS) + ",\"w\":[" + pick(ESCAPED_JSON_STRINGS) + "]}}";
                return build("escaped-unicode-body", pick(METHODS_WITH_BODY), pickWritablePath(), ALICE,
                        "application/json", body.getBytes(StandardCharsets.UTF_8));
            }
            case 2 -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes("{\"data\":{\"v\":\"".getBytes(StandardCharsets.UTF_8));
                b.writeBytes(RAW_BYTES[random.nextInt(RAW_BYTES.length)]);
                b.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));
                return build("raw-bytes-body", pick(METHODS_WITH_BODY), pickWritablePath(), ALICE, "application/json",
                        b.toByteArray());
            }
            case 3 -> {
                String path = pick(PATHS) + "?" + encodeForPath(odd) + "=" + encodeForPath(pick(ODD_STRINGS));
                return build("unicode-query", pick(new String[] {"GET", "HEAD", "DELETE"}), path, ALICE, null, new byte[0]);
            }
            default -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes(("GET " + pick(PATHS) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + ALICE
                        + "\r\nX-Odd: ").getBytes(StandardCharsets.UTF_8));
                b.writeBytes(RAW_BYTES[random.nextInt(RAW_BYTES.length)]);
                b.writeBytes(odd.replace("\r", "").replace("\n", "").getBytes(StandardCharsets.UTF_8));
                b.writeBytes("\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                return new Request("unicode-header", "raw bytes in a header value", b.toByteArray(), false, true);
            }
        }
    }

    private Request badHeaders() {
        String path = pick(PATHS);
        String method = pick(METHODS);
        byte[] body = method.equals("GET") || method.equals("HEAD") ? new byte[0]
                : pick(VALID_BODIES).getBytes(StandardCharsets.UTF_8);
        List<String> headers = new ArrayList<>();
        int k = random.nextInt(9);
        switch (k) {
            case 0 -> headers.add("Content-Type: " + pick(new String[] {"text/plain", "application/xml", "json",
                "application/json; charset=latin-1", "application/json;;;", "*/*", "application/merge-patch+json",
                "application/json-patch+json", "multipart/form-data; boundary=x", "", ";", "application/x-www-form-urlencoded",
                "APPLICATION/JSON", "application/json, text/plain"}));
            case 1 -> headers.add("Accept: " + pick(new String[] {"text/plain", "text/html", "application/xml", "",
                "*/*;q=0", "application/json;q=abc", "image/*", ",,,", "application/*"}));
            case 2 -> headers.add(pick(new String[] {"If-Match", "If-None-Match"}) + ": " + pick(new String[] {"*", "\"abc\"",
                "abc", "\"\"", "\"123", "123\"", "\"99999999999999999999\"", "\"-1\"", "\"1\", \"2\"", "W/\"1\"", "\"1.5\"",
                "\"0\"", "\"" + "9".repeat(200) + "\""}));
            case 3 -> headers.add("Authorization: " + pick(new String[] {"Basic", "Basic ", "Basic !!!", "Basic Og==",
                "Basic " + b64("nocolon"), "Basic " + b64(":"), "Basic " + b64("alice:"), "Basic " + b64(":secret"),
                "Bearer abc", "basic " + b64("alice:secret"), "Basic " + b64("a".repeat(3000) + ":x"),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', (byte) 0xfe}),
                "Basic " + b64("alice:secret") + " extra", "Digest x", "Basic =", "Basic ====", "Portier x",
                "Basic " + b64("\u00e9\u00e8:\u00e7")}));
            case 4 -> headers.add(pick(new String[] {"Origin: null", "Origin: http://evil", "Origin: ",
                "Access-Control-Request-Method: FOO", "Access-Control-Request-Headers: " + "x,".repeat(500),
                "X-Forwarded-Proto: gopher", "Expect: 200-ok", "Range: bytes=0-1", "Content-Encoding: gzip",
                "Content-Encoding: br", "Cookie: " + "a=b; ".repeat(100), "Host: ", "X-Empty:", "Connection: upgrade",
                "Upgrade: websocket", "Transfer-Encoding: identity", "Max-Forwards: -1"}));
            case 5 -> headers.add("X-Long: " + "v".repeat(pick(new int[] {4000, 7000, 9000, 20_000})));
            case 6 -> {
                for (int i = 0; i < pick(new int[] {50, 200, 2000}); i++) {
                    headers.add("X-H" + i + ": " + i);
                }
            }
            case 7 -> headers.add(pick(new String[] {"Bad Header: x", "NoColon", ": novalue", "X-A\t: b", " X-Lead: x",
                "X-Ctl: a\u0001b", "X-Del: a\u007fb", "X-Nul: a\u0000b", "Content-Length: -1", "Content-Length: abc",
                "Content-Length: 99999999999999999999", "Content-Length: 1, 1"}));
            default -> headers.add("Authorization: " + ALICE + "\r\nAuthorization: " + BOB);
        }
        boolean oneShot = k >= 5;
        boolean hasCt = headers.stream().anyMatch(h -> h.toLowerCase().startsWith("content-type"));
        boolean hasAuth = headers.stream().anyMatch(h -> h.toLowerCase().startsWith("authorization"));
        boolean hasLength = headers.stream().anyMatch(h -> h.toLowerCase().startsWith("content-length"));
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (headers.stream().noneMatch(h -> h.toLowerCase().startsWith("host:"))) {
            head.append("Host: 127.0.0.1\r\n");
        }
        if (!hasAuth) {
            head.append("Authorization: ").append(ALICE).append("\r\n");
        }
        if (!hasCt && body.length > 0) {
            head.append("Content-Type: application/json\r\n");
        }
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (hasLength) {
            head.append("Connection: close\r\n\r\n");
            return new Request("bad-header", method + " " + path + " " + headers.get(0),
                    head.toString().getBytes(StandardCharsets.UTF_8), method.equals("HEAD"), true);
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        String first = headers.get(0);
        return new Request("bad-header", method + " " + path + " " + (first.length() > 80 ? first.substring(0, 80) : first),
                out.toByteArray(), method.equals("HEAD"), oneShot);
    }

    private Request unknownMethod() {
        String method = pick(ODD_METHODS);
        String path = pick(PATHS);
        byte[] body = random.nextBoolean() ? new byte[0] : pick(VALID_BODIES).getBytes(StandardCharsets.UTF_8);
        Request r = build("unknown-method", method, path, pick(new String[] {ALICE, null}), "application/json", body);
        return new Request(r.kind(), r.summary(), r.bytes(), false, true);
    }

    private Request badQuery() {
        String[][] params = {
            {"_limit", "-1"}, {"_limit", "0"}, {"_limit", "abc"}, {"_limit", "1e3"}, {"_limit", "99999999999999999999"},
            {"_limit", ""}, {"_limit", "1.5"}, {"_limit", "%00"}, {"_since", "abc"}, {"_since", "-1"}, {"_since", "1.5"},
            {"_since", "\"123\""}, {"_since", "99999999999999999999"}, {"_before", "x"}, {"_to", "1"}, {"_sort", "-"},
            {"_sort", ",,"}, {"_sort", "unknown"}, {"_sort", "--x"}, {"_sort", "id,-last_modified,title,-n.x.y"},
            {"_sort", "a".repeat(1000)}, {"_fields", ""}, {"_fields", ",,,"}, {"_fields", "a.b.c.d"},
            {"_fields", "x".repeat(1000)}, {"_token", "garbage"}, {"_token", b64("{\"last_object\":{},\"offset\":\"x\"}")},
            {"_token", b64("{\"last_object\":{\"last_modified\":\"x\"},\"offset\":-5,\"nonce\":1}")}, {"_token", b64("[]")},
            {"_token", b64("null")}, {"_token", "%ff%fe"}, {"in_id", ""}, {"in_id", "a,,b"}, {"has_x", "maybe"},
            {"like_x", "%25"}, {"like_x", "*"}, {"min_last_modified", "abc"}, {"gt_x", ""}, {"x.y.z", "1"},
            {"not_id", ""}, {"eq_id", "[1"}, {"contains_x", "[1"}, {"contains_any_x", "notjson"}, {"contains_x", "{}"},
            {"last_modified", "abc"}, {"gt_last_modified", "1e999"}, {"lt_last_modified", "-99999999999999999999"},
            {"deleted", "maybe"}, {"%", "1"}, {"%zz", "x"}, {"a", "%c3%28"}, {"", ""}, {"=", "="},
            {"_since", "1&_since=2"}, {"id", "%00"}, {"title", "\u0000"}, {"in_x", "1,\"a\",true,null,[1]"},
            {"_limit", "10&_limit=abc"}, {"__proto__", "x"}, {"_expected", "x"}, {"_", "1"},
        };
        StringBuilder q = new StringBuilder();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String[] p = params[random.nextInt(params.length)];
            q.append(i > 0 ? "&" : "").append(p[0]).append('=').append(p[1].replace(" ", "%20").replace("\"", "%22"));
        }
        String path = pick(new String[] {
            "/v1/buckets/" + BUCKET + "/collections/c/records", "/v1/buckets", "/v1/buckets/" + BUCKET + "/collections",
            "/v1/buckets/" + BUCKET + "/groups", "/v1/buckets/" + BUCKET + "/collections/c/records/r1", "/v1/",
            "/v1/buckets/default/collections/fuzz/records", "/v1/buckets/" + BUCKET + "/collections/c/records/"});
        String method = pick(new String[] {"GET", "GET", "HEAD", "DELETE"});
        if (method.equals("DELETE") && !path.endsWith("records")) {
            method = "GET";
        }
        return build("bad-query", method, path + "?" + q.toString().replace(" ", "%20"), pick(new String[] {ALICE, BOB, null}),
                null, new byte[0]);
    }

    private Request badBatch() {
        String[] bodies = {
            "{\"requests\":null}", "{\"requests\":{}}", "{\"requests\":\"x\"}", "{\"requests\":[1,2]}", "{\"requests\":[[]]}",
            "{\"requests\":[{}]}", "{\"requests\":[{\"path\":1}]}", "{\"requests\":[{\"path\":\"buckets\"}]}",
            "{\"requests\":[{\"path\":\"/batch\",\"method\":\"POST\",\"body\":{\"requests\":[]}}]}",
            "{\"requests\":[{\"path\":\"/buckets\",\"method\":\"FOO\"}]}",
            "{\"requests\":[{\"path\":\"/buckets\",\"method\":1}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz\",\"headers\":{\"If-Match\":\"x\"}}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz\",\"headers\":[1]}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz\",\"headers\":{\"Authorization\":1}}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz/collections/c/records\",\"method\":\"POST\",\"body\":\"x\"}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz/collections/c/records\",\"method\":\"POST\",\"body\":{\"data\":[]}}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz/collections/c/records?_limit=abc\"}]}",
            "{\"requests\":[{\"path\":\"/../../etc/passwd\"}]}", "{\"requests\":[{\"path\":\"\"}]}",
            "{\"requests\":[{\"path\":\"/buckets/%ff\"}]}", "{\"requests\":[{\"path\":\"/buckets/fz\\u0000\"}]}",
            "{\"defaults\":1,\"requests\":[{\"path\":\"/buckets\"}]}", "{\"defaults\":{\"body\":1},\"requests\":[{}]}",
            "{\"defaults\":{\"method\":\"POST\"},\"requests\":[{\"path\":\"/buckets/fz/collections/c/records\"}]}",
            "{\"requests\":[]}", "{}", "{\"requests\":[{\"path\":\"/buckets\"}],\"extra\":1}",
            "{\"requests\":[{\"path\":\"/v1/buckets\"}]}", "{\"requests\":[{\"path\":\"/buckets/fz/collections/c/records\","
                + "\"method\":\"POST\",\"body\":{\"data\":{\"last_modified\":123}}},{\"path\":\"/buckets/fz/collections/c/records\","
                + "\"method\":\"POST\",\"body\":{\"data\":{\"last_modified\":123}}}]}",
            "{\"requests\":[{\"path\":\"/buckets/fz/collections/c/records/r1\",\"method\":\"PATCH\",\"body\":[{\"op\":\"x\"}],"
                + "\"headers\":{\"Content-Type\":\"application/json-patch+json\"}}]}",
        };
        String body;
        if (random.nextInt(10) == 0) {
            StringBuilder sb = new StringBuilder("{\"requests\":[");
            int n = pick(new int[] {26, 100, 1000});
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," : "").append("{\"path\":\"/buckets\"}");
            }
            body = sb.append("]}").toString();
        } else {
            body = pick(bodies);
        }
        return build("bad-batch", pick(new String[] {"POST", "POST", "POST", "GET", "PUT"}), "/v1/batch",
                pick(new String[] {ALICE, ALICE, null}), "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private Request badPatch() {
        String[] jsonPatches = {
            "[{\"op\":\"bogus\"}]", "[{\"op\":\"add\",\"path\":\"/data/x/y/z\",\"value\":1}]", "[{\"op\":\"add\"}]",
            "[{\"op\":\"move\",\"from\":\"/data/a\",\"path\":\"/data/a/b\"}]", "[{\"op\":\"test\",\"path\":\"/data/x\",\"value\":1}]",
            "[{\"op\":\"remove\",\"path\":\"/data/id\"}]", "[{\"op\":\"replace\",\"path\":\"/data/last_modified\",\"value\":\"x\"}]",
            "[{\"op\":\"add\",\"path\":\"/permissions/read/-\",\"value\":\"system.Everyone\"}]",
            "[{\"op\":\"add\",\"path\":\"/permissions/bogus/-\",\"value\":\"x\"}]", "[{\"op\":\"add\",\"path\":\"/data/a~2b\",\"value\":1}]",
            "[{\"op\":\"add\",\"path\":\"/data/arr/99\",\"value\":1}]", "[{\"op\":\"copy\",\"from\":\"/nope\",\"path\":\"/data/x\"}]",
            "[{\"op\":\"add\",\"path\":\"\",\"value\":1}]", "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]", "{}", "[]", "[1]",
            "[{\"op\":\"add\",\"path\":\"/data/x\",\"value\":" + "[".repeat(300) + "]".repeat(300) + "}]",
            "[{\"op\":\"replace\",\"path\":\"/data\",\"value\":[]}]", "[{\"op\":\"add\",\"path\":\"/data/id\",\"value\":\"other\"}]",
            "[{\"op\":null,\"path\":null}]", "[{\"op\":\"add\",\"path\":1,\"value\":1}]",
        };
        String[] mergePatches = {"{\"data\":null}", "{\"data\":{\"id\":\"other\"}}", "{\"data\":{\"x\":null}}", "null", "[]",
            "{\"data\":{\"last_modified\":null}}", "{\"permissions\":{\"read\":null}}", "{\"data\":{\"a\":{\"b\":null}}}", "1"};
        boolean json = random.nextBoolean();
        String ct = json ? "application/json-patch+json" : "application/merge-patch+json";
        String body = json ? pick(jsonPatches) : pick(mergePatches);
        String path = pick(new String[] {"/v1/buckets/" + BUCKET + "/collections/c/records/r1", "/v1/buckets/" + BUCKET,
            "/v1/buckets/" + BUCKET + "/collections/c", "/v1/buckets/" + BUCKET + "/groups/g",
            "/v1/buckets/" + BUCKET + "/collections/c/records/missing"});
        return build("bad-patch", "PATCH", path, ALICE, ct, body.getBytes(StandardCharsets.UTF_8));
    }

    private Request brokenFraming() {
        String[] raws = {
            "GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /v1/\r\n\r\n", "GET /v1/ HTTP/1.1\r\n\r\n", "GET /v1/ HTTP/9.9\r\nHost: x\r\n\r\n",
            "GET /v1/ HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "GET  /v1/  HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", "GET v1/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET http://evil/v1/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/buckets%00 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/?" + "a=1&".repeat(4000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/buckets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nAuthorization: " + ALICE + "\r\n\r\nZZZ\r\n\r\n",
            "POST /v1/buckets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /v1/buckets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
            "POST /v1/buckets HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            "POST /v1/buckets HTTP/1.1\r\nHost: x\r\nAuthorization: " + ALICE + "\r\nContent-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n\r\n",
            "GET /v1/ HTTP/1.1\nHost: x\n\n", "GET /v1/ HTTP/1.1\rHost: x\r\r", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "GET /v1/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET /v1/ HTTP/1.0\r\n\r\n",
            "\r\n\r\nGET /v1/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1/#frag HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/buckets;jsessionid=1 HTTP/1.1\r\nHost: x\r\n\r\n", "GET //v1//buckets HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/%2e%2e/%2e%2e/ HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1/buckets/%2F HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/buckets/fz/collections/c/records?_limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: " + ALICE
                + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "POST /v1/buckets/fz/collections/c/records HTTP/1.1\r\nHost: x\r\nAuthorization: " + ALICE
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"da\r\n9\r\nta\":{}}  \r\n0\r\n\r\n",
            "POST /v1/buckets/fz/collections/c/records HTTP/1.1\r\nHost: x\r\nAuthorization: " + ALICE
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nx\r\n0\r\n\r\n",
        };
        String raw = pick(raws);
        if (!raw.contains("Connection: close") && raw.contains("\r\n\r\n") && random.nextBoolean()) {
            raw = raw.replaceFirst("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
        }
        return new Request("framing", raw.length() > 80 ? raw.substring(0, 80) : raw,
                raw.getBytes(StandardCharsets.ISO_8859_1), false, true);
    }

    private Request mutated() {
        byte[] body = pick(VALID_BODIES).getBytes(StandardCharsets.UTF_8);
        int mutations = 1 + random.nextInt(3);
        byte[] alphabet = "{}[]\":,0123456789-.eE tfnul\\/".getBytes(StandardCharsets.US_ASCII);
        for (int m = 0; m < mutations; m++) {
            int pos = random.nextInt(body.length + 1);
            int kind = random.nextInt(3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(body, 0, Math.min(pos, body.length));
            if (kind == 0 || kind == 2) {
                out.write(alphabet[random.nextInt(alphabet.length)]);
            }
            int skip = kind >= 1 ? 1 : 0;
            if (pos + skip <= body.length) {
                out.write(body, pos + skip, body.length - pos - skip);
            }
            body = out.toByteArray();
        }
        String method = pick(METHODS_WITH_BODY);
        String path = pickWritablePath();
        String ct = method.equals("PATCH") && random.nextInt(3) == 0 ? "application/json-patch+json" : "application/json";
        return build("mutated-json", method, path, ALICE, ct, body);
    }

    private Request forcedTimestamps() {
        String[] values = {"9223372036854775807", "9223372036854775806", "-9223372036854775808", "253402300799999",
            "253402300800000", "99999999999999", "0", "1", "-1", "1e18", "18446744073709551616", "1700000000000.5",
            "\"1700000000000\"", "1700000000000"};
        String v = pick(values);
        int k = random.nextInt(3);
        if (k == 0) {
            String id = "t" + random.nextInt(50);
            return build("forced-timestamp", "PUT", "/v1/buckets/" + BUCKET + "/collections/c/records/" + id, ALICE,
                    "application/json", ("{\"data\":{\"last_modified\":" + v + "}}").getBytes(StandardCharsets.UTF_8));
        }
        if (k == 1) {
            return build("forced-timestamp", "POST", "/v1/buckets/" + BUCKET + "/collections/c/records", ALICE,
                    "application/json", ("{\"data\":{\"last_modified\":" + v + "}}").getBytes(StandardCharsets.UTF_8));
        }
        String id = "t" + random.nextInt(50);
        return build("forced-timestamp", "DELETE", "/v1/buckets/" + BUCKET + "/collections/c/records/" + id
                + "?last_modified=" + v.replace("\"", "%22"), ALICE, null, new byte[0]);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String pickWritablePath() {
        return pick(new String[] {
            "/v1/buckets/" + BUCKET + "/collections/c/records", "/v1/buckets/" + BUCKET + "/collections/c/records/r1",
            "/v1/buckets/" + BUCKET + "/collections/c/records/r" + random.nextInt(20), "/v1/buckets/" + BUCKET + "/collections/c",
            "/v1/buckets/" + BUCKET + "/collections/c" + random.nextInt(5), "/v1/buckets/" + BUCKET + "/groups/g",
            "/v1/buckets/" + BUCKET + "/groups", "/v1/buckets/" + BUCKET, "/v1/buckets/" + BUCKET + "/collections",
            "/v1/buckets/default/collections/fuzz/records", "/v1/batch", "/v1/buckets"});
    }

    private Request build(String kind, String method, String path, String auth, String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (auth != null) {
            head.append("Authorization: ").append(auth).append("\r\n");
        }
        if (contentType != null && body.length > 0) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        String shown = new String(body, 0, Math.min(body.length, 100), StandardCharsets.UTF_8);
        return new Request(kind, method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path) + " " + shown,
                out.toByteArray(), method.equals("HEAD"), body.length > 1_000_000);
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encodes what a request line cannot carry; leaves '%' sequences of the input as they are. */
    private static String encodeForPath(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '#' && c != '?' && c != ' ') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String jsonEscapeKeepingUnicode(String s) {
        return jsonEscape(s);
    }
}
