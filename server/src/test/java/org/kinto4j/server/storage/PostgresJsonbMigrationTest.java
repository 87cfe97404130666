package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.json.Json;

/**
 * A PostgreSQL database created by the schema before V3 ({@code data} as text), filled as the
 * server of that time wrote it, then migrated: objects, tombstones, permissions and collection
 * timestamps are all kept, {@code data} is {@code jsonb}, and lists filter in SQL.
 */
class PostgresJsonbMigrationTest {

    private PostgresDatabase postgres;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void migrationToJsonbKeepsObjectsTombstonesPermissionsAndTimestamps() throws Exception {
        postgres = PostgresDatabase.create();
        database = new Database(new ServerSettings.Storage(postgres.url(), "", "", 2, Duration.ofSeconds(5)));
        String record = "{\"id\":\"r1\",\"last_modified\":1700000000002,\"title\":\"été \\ud83d\\ude00\","
                + "\"n\":12.50,\"big\":123456789012345678901234567890,\"nested\":{\"a\":[1,{\"b\":null}]}}";
        database.jdbi().useTransaction(h -> {
            h.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
            for (String name : List.of("V1__objects_permissions_timestamps", "V2__outbox")) {
                for (String statement : Migrations.statements(resource("db/postgresql/" + name + ".sql"))) {
                    h.execute(statement);
                }
                h.execute("INSERT INTO schema_version VALUES (?, ?, 0)", Migrations.version(name), name);
            }
            String insert = "INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) VALUES (?, ?, ?, ?, ?, ?)";
            h.execute(insert, "bucket", "", "b", 1700000000000L, false, "{\"id\":\"b\",\"last_modified\":1700000000000}");
            h.execute(insert, "record", "/buckets/b/collections/c", "r1", 1700000000002L, false, record);
            h.execute(insert, "record", "/buckets/b/collections/c", "r2", 1700000000003L, true,
                    "{\"id\":\"r2\",\"last_modified\":1700000000003,\"deleted\":true}");
            h.execute("INSERT INTO timestamps VALUES (?, ?, ?)", "/buckets/b/collections/c", "record", 1700000000003L);
            h.execute("INSERT INTO access_control_entries VALUES (?, ?, ?)", "/buckets/b/collections/c/records/r1", "write", "basicauth:alice");
            h.execute("INSERT INTO user_principals VALUES (?, ?)", "basicauth:alice", "/buckets/b/groups/g");
        });

        assertThat(new Migrations(database.jdbi(), database.dialect()).migrate()).isEqualTo(Migrations.VERSIONS.size() - 2);

        String type = database.jdbi().withHandle(h -> h.createQuery("SELECT data_type FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = 'objects' AND column_name = 'data'").mapTo(String.class).one());
        assertThat(type).isEqualTo("jsonb");
        Transactions transactions = new Transactions(database);
        ObjectStore objects = new ObjectStore(System::currentTimeMillis);
        PermissionStore permissions = new PermissionStore();
        try (Tx tx = transactions.begin()) {
            ObjectNode r1 = objects.get(tx, "record", "/buckets/b/collections/c", "r1").orElseThrow();
            assertThat(r1).isEqualTo(Json.parse(record));
            assertThat(r1.get("n").decimalValue()).isEqualByComparingTo("12.5");
            assertThat(objects.get(tx, "bucket", "", "b")).isPresent();
            assertThat(objects.collectionTimestamp(tx, "record", "/buckets/b/collections/c")).isEqualTo(1700000000003L);
            ListQuery since = new ListQuery(List.of(Filter.of("last_modified", Filter.Operator.GT,
                    Json.mapper().getNodeFactory().numberNode(0L))), List.of(Sort.LAST_MODIFIED_DESC), null, null);
            assertThat(objects.list(tx, "record", "/buckets/b/collections/c", since, 0))
                    .extracting(o -> o.get("id").asText(), o -> o.path("deleted").asBoolean())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("r2", true), org.assertj.core.groups.Tuple.tuple("r1", false));
            ListQuery byTitle = new ListQuery(List.of(Filter.of("title", Filter.Operator.LIKE,
                    Json.mapper().getNodeFactory().textNode("ÉTÉ"))), List.of(Sort.LAST_MODIFIED_DESC), null, null);
            assertThat(objects.list(tx, "record", "/buckets/b/collections/c", byTitle, 0)).hasSize(1);
            assertThat(permissions.acl(tx, "/buckets/b/collections/c/records/r1"))
                    .isEqualTo(Map.of("write", Set.of("basicauth:alice")));
            assertThat(permissions.userPrincipals(tx, "basicauth:alice")).contains("/buckets/b/groups/g");
            // New writes go into the jsonb column and read back.
            ObjectNode r3 = (ObjectNode) Json.parse("{\"id\":\"r3\",\"x\":[true]}");
            objects.create(tx, "record", "/buckets/b/collections/c", r3, null);
            assertThat(objects.get(tx, "record", "/buckets/b/collections/c", "r3").orElseThrow().get("x").get(0).asBoolean()).isTrue();
            tx.commit();
        }
    }

    private static String resource(String path) throws Exception {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
