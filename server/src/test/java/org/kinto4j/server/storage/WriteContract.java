package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.config.ServerSettings;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;

/** The write path on every dialect: statements per write, Kinto's unique timestamps, the V4 migration. */
abstract class WriteContract {

    static final String PARENT = "/buckets/b/collections/c";

    Database database;
    Transactions transactions;
    final ObjectStore objects = new ObjectStore(System::currentTimeMillis);
    final AtomicInteger statements = new AtomicInteger();

    abstract String jdbcUrl();

    void cleanup() {
    }

    @BeforeEach
    void open() {
        database = new Database(new ServerSettings.Storage(jdbcUrl(), "", "", 4, java.time.Duration.ofSeconds(5)));
        database.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        cleanup();
    }

    void migrate() {
        new Migrations(database.jdbi(), database.dialect()).migrate();
        transactions = new Transactions(database);
    }

    <T> T inTx(Function<Tx, T> work) {
        try (Tx tx = transactions.begin()) {
            T result = work.apply(tx);
            tx.commit();
            return result;
        }
    }

    static ObjectNode obj(String id, Long lm) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("title", "t \"quoted\" \u00e9");
        if (lm != null) {
            o.put("last_modified", lm);
        }
        return o;
    }

    /** Statements the database executes for one write, after the list's timestamp exists. */
    private int statementsOf(Function<Tx, ?> write) {
        statements.set(0);
        inTx(write);
        return statements.get();
    }

    @Test
    void aFreshCreateWithItsAclIsOneStatementOnPostgresAndThreeOnH2() {
        migrate();
        inTx(tx -> objects.create(tx, "record", PARENT, obj("first", null), null));
        int n = statementsOf(tx -> objects.createFresh(tx, "record", PARENT, obj("fresh", null), null,
                PARENT + "/records/fresh", Map.of("write", Set.of("basicauth:alice"))));
        assertThat(n).isEqualTo(database.dialect() == Dialect.POSTGRESQL ? 1 : 3);
        int update = statementsOf(tx -> objects.update(tx, "record", PARENT, obj("fresh", null), 0, null));
        assertThat(update).isEqualTo(database.dialect() == Dialect.POSTGRESQL ? 1 : 2);
        int delete = statementsOf(tx -> objects.delete(tx, "record", PARENT, "fresh", 0, null));
        assertThat(delete).isEqualTo(database.dialect() == Dialect.POSTGRESQL ? 1 : 2);
        assertThat(this.<Map<String, Set<String>>>inTx(tx -> new PermissionStore().acl(tx, PARENT + "/records/fresh")))
                .isEqualTo(Map.of("write", Set.of("basicauth:alice")));
    }

    @Test
    void aReadByIdGetsTheObjectAndItsAclInOneStatement() {
        migrate();
        String uri = PARENT + "/records/shown";
        ObjectNode created = inTx(tx -> objects.createFresh(tx, "record", PARENT, obj("shown", null), null, uri,
                Map.of("write", Set.of("basicauth:bob", "basicauth:alice"), "read", Set.of("system.Everyone"))));
        inTx(tx -> objects.createFresh(tx, "record", PARENT, obj("bare", null), null, PARENT + "/records/bare", Map.of()));
        java.util.concurrent.atomic.AtomicReference<ObjectStore.WithAcl> read = new java.util.concurrent.atomic.AtomicReference<>();
        assertThat(statementsOf(tx -> {
            read.set(objects.getWithAcl(tx, "record", PARENT, "shown", uri).orElseThrow());
            return null;
        })).isEqualTo(1);
        assertThat(read.get().object()).isEqualTo(created);
        assertThat(read.get().acl()).isEqualTo(Map.of("read", Set.of("system.Everyone"),
                "write", Set.of("basicauth:alice", "basicauth:bob")));
        assertThat(read.get().acl()).isEqualTo(this.<Map<String, Set<String>>>inTx(tx -> new PermissionStore().acl(tx, uri)));
        assertThat(this.<ObjectStore.WithAcl>inTx(tx -> objects.getWithAcl(tx, "record", PARENT, "bare",
                PARENT + "/records/bare").orElseThrow()).acl()).isEmpty();
        inTx(tx -> objects.delete(tx, "record", PARENT, "shown", 0, null));
        assertThat(this.<java.util.Optional<ObjectStore.WithAcl>>inTx(tx -> objects.getWithAcl(tx, "record", PARENT,
                "shown", uri))).isEmpty();
    }

    @Test
    void aPermissionCheckAndAnExistenceProbeAreOneStatementWhereUnionsAreReused() {
        migrate();
        PermissionStore store = new PermissionStore();
        inTx(tx -> objects.createFresh(tx, "collection", "/buckets/b", obj("c", null), null, "/buckets/b/collections/c",
                Map.of("record:create", Set.of("basicauth:alice"))));
        List<Map.Entry<String, String>> pairs = List.of(Map.entry("/buckets/b", "write"),
                Map.entry("/buckets/b/collections/c", "record:create"));
        PermissionStore.ObjectKey collection = new PermissionStore.ObjectKey("collection", "/buckets/b", "c");
        PermissionStore.ObjectKey missing = new PermissionStore.ObjectKey("collection", "/buckets/b", "nope");
        java.util.concurrent.atomic.AtomicReference<PermissionStore.Check> check = new java.util.concurrent.atomic.AtomicReference<>();
        assertThat(statementsOf(tx -> {
            check.set(store.grantedAndExists(tx, pairs, Set.of("basicauth:alice"), collection));
            return null;
        })).as("H2 parses a UNION at every execution, so it gets two cached statements instead")
                .isEqualTo(database.dialect().reusesPreparedUnions() ? 1 : 2);
        assertThat(check.get()).isEqualTo(new PermissionStore.Check(true, true));
        assertThat(this.<PermissionStore.Check>inTx(tx -> store.grantedAndExists(tx, pairs, Set.of("basicauth:bob"), collection)))
                .isEqualTo(new PermissionStore.Check(false, true));
        assertThat(this.<PermissionStore.Check>inTx(tx -> store.grantedAndExists(tx, pairs, Set.of("basicauth:alice"), missing)))
                .isEqualTo(new PermissionStore.Check(true, false));
        assertThat(this.<PermissionStore.Check>inTx(tx -> store.grantedAndExists(tx, List.of(), Set.of(), collection)))
                .isEqualTo(new PermissionStore.Check(false, true));
        inTx(tx -> objects.delete(tx, "collection", "/buckets/b", "c", 0, null));
        assertThat(this.<PermissionStore.Check>inTx(tx -> store.grantedAndExists(tx, pairs, Set.of("basicauth:alice"), collection)))
                .as("a deleted collection does not exist").isEqualTo(new PermissionStore.Check(true, false));
    }

    @Test
    void storedJsonIsWhatTheWriteReturned() {
        migrate();
        ObjectNode created = inTx(tx -> objects.createFresh(tx, "record", PARENT, obj("r", null), null,
                PARENT + "/records/r", Map.of()));
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "r"))).contains(created);
        ObjectNode updated = inTx(tx -> objects.update(tx, "record", PARENT, obj("r", null), 0, null));
        assertThat(updated.get("last_modified").asLong()).isGreaterThan(created.get("last_modified").asLong());
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "r"))).contains(updated);
        ObjectNode tombstone = inTx(tx -> objects.delete(tx, "record", PARENT, "r", 0, null));
        ListQuery all = new ListQuery(List.of(Filter.of("last_modified", Filter.Operator.GT, Json.mapper().valueToTree(0))),
                List.of(Sort.LAST_MODIFIED_DESC), null, null);
        assertThat(this.<List<ObjectNode>>inTx(tx -> objects.list(tx, "record", PARENT, all, 0))).containsExactly(tombstone);
        // A tombstone comes back to life under the same id.
        ObjectNode revived = inTx(tx -> objects.create(tx, "record", PARENT, obj("r", null), null));
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "r"))).contains(revived);
    }

    @Test
    void aForcedPastTimestampTakenByAnotherObjectIsAConflictAndWritesNothing() {
        migrate();
        inTx(tx -> objects.create(tx, "record", PARENT, obj("a", 123L), 123L));
        inTx(tx -> objects.create(tx, "record", PARENT, obj("later", null), null));
        assertThatThrownBy(() -> inTx(tx -> objects.create(tx, "record", PARENT, obj("b", 123L), 123L)))
                .satisfies(e -> assertThat(StorageErrors.translate(e)).isNotNull()
                        .extracting(ServiceError::kind).isEqualTo(ServiceError.Kind.CONFLICT));
        assertThat(this.<java.util.Optional<ObjectNode>>inTx(tx -> objects.get(tx, "record", PARENT, "b"))).isEmpty();
        // Another list may use the same value.
        assertThat(this.<ObjectNode>inTx(tx -> objects.create(tx, "record", "/other", obj("b", 123L), 123L))
                .get("last_modified").asLong()).isEqualTo(123L);
    }

    @Test
    void migrationV4SeparatesObjectsThatShareATimestamp() throws IOException {
        database.jdbi().useHandle(h -> {
            h.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, description VARCHAR(200) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
            for (String name : List.of("V1__objects_permissions_timestamps", "V2__outbox")) {
                for (String statement : Migrations.statements(read(database.dialect().migrationFolder() + "/" + name + ".sql"))) {
                    h.execute(statement);
                }
                h.execute("INSERT INTO schema_version VALUES (?, ?, 0)", Migrations.version(name), name);
            }
            for (String id : List.of("x", "y", "z")) {
                h.execute("INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) "
                        + "VALUES ('record', ?, ?, 500, FALSE, ?)", PARENT, id, "{\"id\":\"" + id + "\",\"last_modified\":500}");
            }
            h.execute("INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) "
                    + "VALUES ('record', ?, 'w', 900, FALSE, '{\"id\":\"w\",\"last_modified\":900}')", PARENT);
            h.execute("INSERT INTO timestamps VALUES (?, 'record', 900)", PARENT);
        });
        migrate();
        Map<String, Long> byId = new java.util.TreeMap<>();
        for (ObjectNode o : inTx(tx -> objects.listEqual(tx, "record", PARENT, List.of()))) {
            byId.put(o.get("id").asText(), o.get("last_modified").asLong());
        }
        assertThat(byId).containsExactlyInAnyOrderEntriesOf(Map.of("w", 900L, "x", 500L, "y", 901L, "z", 902L));
        assertThat(this.<Long>inTx(tx -> objects.collectionTimestamp(tx, "record", PARENT))).isEqualTo(902L);
        assertThat(this.<ObjectNode>inTx(tx -> objects.create(tx, "record", PARENT, obj("n", null), null))
                .get("last_modified").asLong()).isGreaterThan(902L);
    }

    private static String read(String path) throws IOException {
        try (InputStream in = WriteContract.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
