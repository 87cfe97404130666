package org.kinto4j.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.kinto4j.server.config.IndexDeclarations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fields of a collection's records that the operator declared indexed ({@code storage.indexes},
 * entries {@code "bucket/collection:field"}, the field dotted for nested values). On PostgreSQL
 * each becomes, at start, a partial expression index over that collection's records on
 * ({@code field}, {@code last_modified}), with the very expression {@link PostgresListSql} filters
 * and sorts on, so equality filters and sorts on the field (then by {@code -last_modified}) read
 * the index instead of the collection. Creation is idempotent and the index name is derived from
 * the declaration, so every process computes the same one. H2 has no expression indexes on
 * JSON text: there the declaration is accepted and has no effect.
 */
public final class DeclaredIndexes {

    private static final Logger LOG = LoggerFactory.getLogger(DeclaredIndexes.class);

    /** One declared index. */
    public record Index(String bucket, String collection, String field) {

        public String parentId() {
            return "/buckets/" + bucket + "/collections/" + collection;
        }

        /** {@code objects_ix_} and the first 16 hex digits of the SHA-256 of the declaration. */
        public String name() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest((bucket + "/" + collection + ":" + field).getBytes(StandardCharsets.UTF_8));
                return "objects_ix_" + HexFormat.of().formatHex(digest, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public String createSql() {
            return "CREATE INDEX IF NOT EXISTS " + name() + " ON objects ((" + PostgresListSql.field(field)
                    + "), last_modified) WHERE parent_id = " + PostgresListSql.literal(parentId())
                    + " AND resource_name = 'record'";
        }

        @Override
        public String toString() {
            return bucket + "/" + collection + ":" + field;
        }
    }

    private DeclaredIndexes() {
    }

    /**
     * Parses the entries of {@code storage.indexes}.
     *
     * @throws IllegalArgumentException naming the first malformed entry and the valid shape
     */
    public static List<Index> parse(List<String> entries) {
        return IndexDeclarations.parse(entries).stream()
                .map(d -> new Index(d.bucket(), d.collection(), d.field())).toList();
    }

    /** Creates the missing declared indexes (PostgreSQL); returns how many exist afterwards. */
    public static int create(Jdbi jdbi, Dialect dialect, List<Index> indexes) {
        if (indexes.isEmpty()) {
            return 0;
        }
        if (dialect != Dialect.POSTGRESQL) {
            LOG.info("storage.indexes: {} declared index(es) are used on PostgreSQL only; H2 streams rows", indexes.size());
            return 0;
        }
        for (Index index : indexes) {
            try {
                jdbi.useHandle(h -> h.execute(index.createSql()));
            } catch (RuntimeException e) {
                // Another process created it at the same moment: fine if it exists now.
                if (!exists(jdbi, index)) {
                    throw e;
                }
            }
            LOG.info("Declared index {} on records of {} field {}", index.name(), index.parentId(), index.field());
        }
        return indexes.size();
    }

    static boolean exists(Jdbi jdbi, Index index) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() "
                + "AND indexname = ?").bind(0, index.name()).mapTo(Integer.class).one()) > 0;
    }
}
