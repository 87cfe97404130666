package org.kinto4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's curl walk-through, over real HTTP, compared with upstream Kinto 26.3.1's answers. */
class SeedFlowTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("userid_hmac_secret = \"some-secret\"");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void helloAdvertisesKintoApiAndTheAuthenticatedUser() {
        TestServer.Response r = server.get("/v1/", "alice:s3cr3t");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("http_api_version").asText()).isEqualTo("1.23");
        assertThat(body.path("url").asText()).isEqualTo(server.base() + "/v1/");
        assertThat(body.path("user").path("id").asText())
                .isEqualTo("basicauth:419510af712288ddb339ec4dd9e526c79badd7c9506dae065f7027d3a066b8a0");
        assertThat(body.path("user").path("bucket").asText()).isEqualTo("c945be5a-1dba-4d28-069d-1910e3edc741");
        assertThat(body.path("user").path("principals")).hasSize(3);
        assertThat(body.path("capabilities").has("default_bucket")).isTrue();
        assertThat(server.get("/v1/", null).json().has("user")).isFalse();
    }

    @Test
    void putBucketCreatesItWithTheCreatorAsWriter() {
        TestServer.Response r = server.put("/v1/buckets/bid1", "alice:s3cr3t", null);
        assertThat(r.status()).isEqualTo(201);
        long lm = r.json().path("data").path("last_modified").asLong();
        assertThat(r.header("ETag")).isEqualTo("\"" + lm + "\"");
        assertThat(r.header("Last-Modified")).endsWith("GMT");
        assertThat(r.json().path("data").path("id").asText()).isEqualTo("bid1");
        assertThat(r.json().path("permissions").path("write").get(0).asText())
                .isEqualTo("basicauth:419510af712288ddb339ec4dd9e526c79badd7c9506dae065f7027d3a066b8a0");
        TestServer.Response again = server.put("/v1/buckets/bid1", "alice:s3cr3t", null);
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void postIntoTheDefaultBucketCreatesBucketAndCollectionImplicitly() {
        TestServer.Response r = server.post("/v1/buckets/default/collections/notes/records", "alice:s3cr3t",
                "{\"data\":{\"note\":\"kinto\"}}");
        assertThat(r.status()).isEqualTo(201);
        String id = r.json().path("data").path("id").asText();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

        TestServer.Response list = server.get("/v1/buckets/default/collections/notes/records", "alice:s3cr3t");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("data")).anySatisfy(o -> assertThat(o.path("id").asText()).isEqualTo(id));
        assertThat(list.header("ETag")).isNotNull();

        TestServer.Response bucket = server.get("/v1/buckets/c945be5a-1dba-4d28-069d-1910e3edc741", "alice:s3cr3t");
        assertThat(bucket.status()).isEqualTo(200);
        TestServer.Response viaAlias = server.get("/v1/buckets/default", "alice:s3cr3t");
        assertThat(viaAlias.json().path("data").path("id").asText()).isEqualTo("c945be5a-1dba-4d28-069d-1910e3edc741");
    }

    @Test
    void anonymousWriteIsUnauthorizedWithBasicChallenge() {
        TestServer.Response r = server.post("/v1/buckets/bid1/collections/c1/records", null, "{\"data\":{}}");
        assertThat(r.status()).isIn(401, 404);
        TestServer.Response create = server.post("/v1/buckets", null, "{\"data\":{}}");
        assertThat(create.status()).isEqualTo(401);
        assertThat(create.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Realm\"");
        assertThat(create.json().path("errno").asInt()).isEqualTo(104);
    }
}
