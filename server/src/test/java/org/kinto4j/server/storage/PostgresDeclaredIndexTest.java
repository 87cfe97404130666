package org.kinto4j.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kinto4j.server.PostgresDatabase;
import org.kinto4j.server.config.ServerSettings;

/**
 * Declared indexes on a real PostgreSQL: created idempotently under a deterministic name, and
 * the statements {@link PostgresListSql} generates for an equality filter and for a sort on the
 * declared field are planned on that index (EXPLAIN), while an undeclared field is not.
 */
class PostgresDeclaredIndexTest {

    private static final String PARENT = "/buckets/blog/collections/articles";

    private PostgresDatabase postgres;
    private Database database;
    private final List<DeclaredIndexes.Index> declared = DeclaredIndexes.parse(List.of("blog/articles:n", "blog/articles:author.name"));

    @BeforeEach
    void open() {
        postgres = PostgresDatabase.create();
        database = new Database(new ServerSettings.Storage(postgres.url(), "", "", 2, Duration.ofSeconds(5)));
        new Migrations(database.jdbi(), database.dialect()).migrate();
    }

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
    void declarationsAreParsedAndBadOnesNamed() {
        assertThat(declared.get(1).field()).isEqualTo("author.name");
        assertThat(declared.get(0).parentId()).isEqualTo(PARENT);
        assertThat(declared.get(0).name()).matches("objects_ix_[0-9a-f]{16}")
                .isEqualTo(DeclaredIndexes.parse(List.of("blog/articles:n")).get(0).name())
                .isNotEqualTo(declared.get(1).name());
        assertThatThrownBy(() -> DeclaredIndexes.parse(List.of("blog:n"))).hasMessageContaining("\"blog:n\"")
                .hasMessageContaining("<bucket id>/<collection id>:<field>");
    }

    @Test
    void equalityFiltersAndSortsOnADeclaredFieldUseItsIndex() {
        database.jdbi().useHandle(h -> {
            h.execute("INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) "
                    + "SELECT 'record', ?, 'r' || i, 1700000000000 + i, FALSE, jsonb_build_object('id', 'r' || i, "
                    + "'last_modified', 1700000000000 + i, 'n', i % 1000, 'm', i % 1000, 'author', jsonb_build_object('name', 'a' || (i % 50))) "
                    + "FROM generate_series(1, 20000) AS i", PARENT);
            h.execute("INSERT INTO objects (resource_name, parent_id, id, last_modified, deleted, data) "
                    + "SELECT 'record', '/buckets/blog/collections/other', 'r' || i, 1700000000000 + i, FALSE, "
                    + "jsonb_build_object('id', 'r' || i, 'n', i) FROM generate_series(1, 5000) AS i");
        });
        assertThat(DeclaredIndexes.create(database.jdbi(), database.dialect(), declared)).isEqualTo(2);
        assertThat(DeclaredIndexes.create(database.jdbi(), database.dialect(), declared)).isEqualTo(2);
        for (DeclaredIndexes.Index index : declared) {
            assertThat(DeclaredIndexes.exists(database.jdbi(), index)).isTrue();
        }
        database.jdbi().useHandle(h -> h.execute("ANALYZE objects"));
        String nIndex = declared.get(0).name();
        String authorIndex = declared.get(1).name();

        assertThat(plan(query(List.of(eq("n", "500")), List.of(Sort.LAST_MODIFIED_DESC)))).contains(nIndex);
        assertThat(plan(query(List.of(), List.of(new Sort("n", true), Sort.LAST_MODIFIED_DESC)))).contains(nIndex);
        assertThat(plan(query(List.of(), List.of(new Sort("n", false), new Sort("last_modified", false))))).contains(nIndex);
        assertThat(plan(query(List.of(eq("author.name", "\"a7\"")), List.of(Sort.LAST_MODIFIED_DESC)))).contains(authorIndex);
        ListQuery nextPage = query(List.of(), List.of(new Sort("n", true), Sort.LAST_MODIFIED_DESC))
                .withAfter(ListCases.parse("{\"n\": 400, \"last_modified\": 1700000010400}"));
        assertThat(plan(nextPage)).contains(nIndex);
        assertThat(countPlan(List.of(eq("n", "500")))).contains(nIndex);
        // Not declared: no index of ours can serve it.
        assertThat(plan(query(List.of(eq("m", "500")), List.of(Sort.LAST_MODIFIED_DESC)))).doesNotContain("objects_ix_");
    }

    private static Filter eq(String field, String json) {
        return Filter.of(field, Filter.Operator.EQ, ListCases.parse(json));
    }

    private static ListQuery query(List<Filter> filters, List<Sort> sorts) {
        return new ListQuery(filters, sorts, null, null);
    }

    private String plan(ListQuery query) {
        return explain(PostgresListSql.list("record", PARENT, query, 11));
    }

    private String countPlan(List<Filter> filters) {
        return explain(PostgresListSql.count("record", PARENT, query(filters, List.of(Sort.LAST_MODIFIED_DESC))));
    }

    private String explain(PostgresListSql.Statement statement) {
        PostgresListSql.Statement explain = new PostgresListSql.Statement("EXPLAIN " + statement.sql(), statement.binds());
        return database.jdbi().withHandle(h -> String.join("\n", explain.on(h).mapTo(String.class).list()));
    }
}
