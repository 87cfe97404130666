package org.kinto4j.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.Client;
import org.kinto4j.server.KintoServer;
import org.kinto4j.server.TestServer;
import org.kinto4j.server.User;
import org.kinto4j.server.json.Json;

/**
 * Collection JSON-Schema validation (spec 11; upstream tests/test_views_schema_*.py): the
 * capability, schema well-formedness on every write, record/collection/group validation, the
 * schema version stamp and Kinto's error details.
 */
@KintoServer(config = "experimental_collection_schema_validation = true")
class SchemaValidationTest {

    static final String SCHEMA = "{\"type\": \"object\", \"properties\": {\"title\": {\"type\": \"string\"}, "
            + "\"file\": {\"type\": \"object\", \"properties\": {\"size\": {\"type\": \"number\"}}}, "
            + "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}, \"required\": [\"title\"]}";
    static final String RECORDS = "/v1/buckets/sb/collections/c/records";

    static long schemaVersion;
    private final TestServer server;

    SchemaValidationTest(TestServer server) {
        this.server = server;
    }

    @BeforeAll
    static void fixtures(@User("alice") Client alice) {
        alice.put("/v1/buckets/sb");
        TestServer.Response c = alice.put("/v1/buckets/sb/collections/c", "{\"data\": {\"schema\": " + SCHEMA + "}}");
        assertThat(c.status()).isEqualTo(201);
        schemaVersion = c.json().path("data").path("last_modified").asLong();
    }

    @Test
    void theSchemaCapabilityIsAdvertised() {
        assertThat(server.get("/v1/", null).json().path("capabilities").path("schema").path("url").asText())
                .startsWith("https://kinto.readthedocs.io/");
    }

    @Test
    void aMissingRequiredFieldIsKintosErrorBody() throws Exception {
        TestServer.Response r = server.post(RECORDS, "alice", "{\"data\": {\"body\": \"<h1>Without title</h1>\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).isEqualTo(Json.parse("{\"code\": 400, \"errno\": 107, \"error\": \"Invalid parameters\", "
                + "\"message\": \"'title' is a required property\", \"details\": [{\"location\": \"body\", "
                + "\"name\": \"title\", \"description\": \"'title' is a required property\"}]}"));
    }

    @Test
    void aNestedErrorIsNamedAfterTheLastPathElement() {
        TestServer.Response r = server.post(RECORDS, "alice",
                "{\"data\": {\"title\": \"Some title\", \"file\": {\"size\": \"hi!\"}}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).isEqualTo("size in body: 'hi!' is not of type 'number'");
        assertThat(r.json().path("details").get(0).path("name").asText()).isEqualTo("size");
        TestServer.Response inArray = server.post(RECORDS, "alice", "{\"data\": {\"title\": \"t\", \"tags\": [0]}}");
        assertThat(inArray.status()).isEqualTo(400);
        assertThat(inArray.json().path("details").get(0).path("description").asText())
                .isEqualTo("0 is not of type 'string'");
    }

    @Test
    void validRecordsAreStampedWithTheSchemaVersionWhateverTheClientSent() {
        TestServer.Response r = server.post(RECORDS, "alice", "{\"data\": {\"title\": \"ok\", \"schema\": 42}}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("data").path("schema").asLong()).isEqualTo(schemaVersion);
        String id = r.json().path("data").path("id").asText();
        TestServer.Response filtered = server.get(RECORDS + "?min_schema=" + schemaVersion + "&id=" + id, "alice");
        assertThat(filtered.json().path("data")).hasSize(1);
    }

    @Test
    void putAndPatchAreValidatedAfterTheChangeIsApplied() {
        server.put(RECORDS + "/valid", "alice", "{\"data\": {\"title\": \"v1\"}}");
        TestServer.Response patch = server.patch(RECORDS + "/valid", "alice", "{\"data\": {\"title\": 3.14}}");
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.json().path("details").get(0).path("name").asText()).isEqualTo("title");
        TestServer.Response merge = server.request("PATCH", RECORDS + "/valid", "alice", "{\"data\": {\"title\": null}}",
                "Content-Type", "application/merge-patch+json");
        assertThat(merge.status()).isEqualTo(400);
        assertThat(merge.json().path("message").asText()).isEqualTo("'title' is a required property");
        TestServer.Response put = server.put(RECORDS + "/valid", "alice", "{\"data\": {\"body\": \"no title\"}}");
        assertThat(put.status()).isEqualTo(400);
        assertThat(server.get(RECORDS + "/valid", "alice").json().path("data").path("title").asText()).isEqualTo("v1");
    }

    @Test
    void anInvalidSchemaIsRefusedEvenWhenValidationIsOff() {
        try (TestServer off = TestServer.start()) {
            off.put("/v1/buckets/b", "alice", null);
            TestServer.Response c = off.put("/v1/buckets/b/collections/c", "alice",
                    "{\"data\": {\"schema\": {\"type\": \"Washmachine\"}}}");
            assertThat(c.status()).isEqualTo(400);
            assertThat(c.json().path("message").asText()).contains("'Washmachine' is not valid under any of the given schemas");
            assertThat(c.json().path("details").get(0).path("name").asText()).isEqualTo("data.schema");
            TestServer.Response b = off.put("/v1/buckets/b", "alice",
                    "{\"data\": {\"collection:schema\": {\"type\": \"Washmachine\"}}}");
            assertThat(b.status()).isEqualTo(400);
            assertThat(b.json().path("details").get(0).path("name").asText()).isEqualTo("data.collection:schema");
            TestServer.Response notAnObject = off.put("/v1/buckets/b", "alice", "{\"data\": {\"record:schema\": \"x\"}}");
            assertThat(notAnObject.status()).isEqualTo(400);

            // validation is off: a record that violates the collection schema is accepted, unstamped
            off.put("/v1/buckets/b/collections/c", "alice", "{\"data\": {\"schema\": " + SCHEMA + "}}");
            TestServer.Response r = off.post("/v1/buckets/b/collections/c/records", "alice", "{\"data\": {\"title\": 1}}");
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.json().path("data").has("schema")).isFalse();
            assertThat(off.get("/v1/", null).json().path("capabilities").has("schema")).isFalse();
        }
    }

    @Test
    void bucketSchemasValidateRecordsCollectionsAndGroups() {
        server.put("/v1/buckets/sb2", "alice", "{\"data\": {"
                + "\"record:schema\": {\"type\": \"object\", \"required\": [\"name\"]}, "
                + "\"collection:schema\": {\"type\": \"object\", \"properties\": {\"label\": {\"type\": \"string\"}}, "
                + "\"required\": [\"label\"]}, "
                + "\"group:schema\": {\"type\": \"object\", \"properties\": {\"members\": {\"maxItems\": 1}}}}}");
        TestServer.Response noLabel = server.put("/v1/buckets/sb2/collections/c", "alice", null);
        assertThat(noLabel.status()).isEqualTo(400);
        assertThat(noLabel.json().path("message").asText()).isEqualTo("'label' is a required property");
        assertThat(server.put("/v1/buckets/sb2/collections/c", "alice", "{\"data\": {\"label\": \"L\"}}").status())
                .isEqualTo(201);
        TestServer.Response noName = server.post("/v1/buckets/sb2/collections/c/records", "alice", "{\"data\": {}}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().path("details").get(0).path("name").asText()).isEqualTo("name");
        assertThat(server.post("/v1/buckets/sb2/collections/c/records", "alice", "{\"data\": {\"name\": \"n\"}}").status())
                .isEqualTo(201);
        TestServer.Response bigGroup = server.put("/v1/buckets/sb2/groups/g", "alice",
                "{\"data\": {\"members\": [\"a\", \"b\"]}}");
        assertThat(bigGroup.status()).isEqualTo(400);
        assertThat(bigGroup.json().path("message").asText()).isEqualTo("members in body: ['a', 'b'] is too long");
    }

    @Test
    void internalFieldsAreIgnoredUnlessTheSchemaDeclaresThem() {
        server.put("/v1/buckets/sb/collections/strict", "alice", "{\"data\": {\"schema\": {\"type\": \"object\", "
                + "\"properties\": {\"title\": {\"type\": \"string\"}}, \"additionalProperties\": false, "
                + "\"required\": [\"id\", \"last_modified\", \"schema\", \"title\"]}}}");
        TestServer.Response ok = server.post("/v1/buckets/sb/collections/strict/records", "alice",
                "{\"data\": {\"id\": \"abc\", \"last_modified\": 1234, \"schema\": 42, \"title\": \"b\"}}");
        assertThat(ok.status()).isEqualTo(201);
        TestServer.Response extra = server.post("/v1/buckets/sb/collections/strict/records", "alice",
                "{\"data\": {\"title\": \"b\", \"extra\": \"blah!\"}}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().path("message").asText()).contains("('extra' was unexpected)");

        server.put("/v1/buckets/sb/collections/ids", "alice", "{\"data\": {\"schema\": {\"type\": \"object\", "
                + "\"properties\": {\"id\": {\"type\": \"string\", \"pattern\": \"^[0-7]$\"}}}}}");
        assertThat(server.post("/v1/buckets/sb/collections/ids/records", "alice", "{\"data\": {\"id\": \"1\"}}").status())
                .isEqualTo(201);
        TestServer.Response badId = server.post("/v1/buckets/sb/collections/ids/records", "alice", "{\"data\": {\"id\": \"a\"}}");
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().path("message").asText()).isEqualTo("id in body: 'a' does not match '^[0-7]$'");
    }

    @Test
    void anUnresolvableReferenceIsA400NamedSchema() {
        server.put("/v1/buckets/sb/collections/unresolvable", "alice", "{\"data\": {\"schema\": {\"properties\": "
                + "{\"displayFields\": {\"$ref\": \"#/definitions/displayFields\"}}}}}");
        TestServer.Response r = server.post("/v1/buckets/sb/collections/unresolvable/records", "alice",
                "{\"data\": {\"displayFields\": []}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("details").get(0).path("name").asText()).isEqualTo("schema");
    }

    @Test
    void validationAppliesToEachBatchSubRequest() {
        TestServer.Response r = server.post("/v1/batch", "alice", "{\"defaults\": {\"method\": \"POST\", \"path\": \""
                + RECORDS.substring(3) + "\"}, \"requests\": [{\"body\": {\"data\": {\"title\": \"ok\"}}}, "
                + "{\"body\": {\"data\": {\"body\": \"no title\"}}}]}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.json().path("responses");
        assertThat(responses.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(responses.get(1).path("status").asInt()).isEqualTo(400);
        assertThat(responses.get(1).path("body").path("details").get(0).path("name").asText()).isEqualTo("title");
    }
}
