package org.kinto4j.server.storage;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Small facts the server records about its own data set (table {@code server_info}). */
public final class ServerInfo {

    private final Jdbi jdbi;
    private final Dialect dialect;

    public ServerInfo(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    public Optional<String> get(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT info_value FROM server_info WHERE info_key = ?")
                .bind(0, key).mapTo(String.class).findOne());
    }

    public void put(String key, String value) {
        String sql = dialect == Dialect.POSTGRESQL
                ? "INSERT INTO server_info (info_key, info_value) VALUES (?, ?) "
                        + "ON CONFLICT (info_key) DO UPDATE SET info_value = EXCLUDED.info_value"
                : "MERGE INTO server_info (info_key, info_value) KEY (info_key) VALUES (?, ?)";
        jdbi.useHandle(h -> h.createUpdate(sql).bind(0, key).bind(1, value).execute());
    }
}
