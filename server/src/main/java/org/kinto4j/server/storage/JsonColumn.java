package org.kinto4j.server.storage;

import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;

/**
 * How write statements hand JSON text to the {@code objects.data} column. Text columns take it
 * as is; a PostgreSQL {@code jsonb} column needs a cast, which this helper adds. The column type
 * is read from the catalog once per process (the schema is migrated before the first request).
 */
final class JsonColumn {

    private final AtomicReference<Boolean> jsonb = new AtomicReference<>();

    /** {@code textExpression} as a value for {@code objects.data} (cast when the column is jsonb). */
    String value(Handle handle, Dialect dialect, String textExpression) {
        return isJsonb(handle, dialect) ? "CAST(" + textExpression + " AS jsonb)" : textExpression;
    }

    private boolean isJsonb(Handle handle, Dialect dialect) {
        Boolean known = jsonb.get();
        if (known != null) {
            return known;
        }
        boolean value = dialect == Dialect.POSTGRESQL && handle.createQuery(
                        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                                + "AND table_name = 'objects' AND column_name = 'data' AND data_type = 'jsonb'")
                .mapTo(Integer.class).one() > 0;
        jsonb.set(value);
        return value;
    }
}
