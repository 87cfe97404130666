ALTER TABLE outbox_leases ADD COLUMN token BIGINT NOT NULL DEFAULT 0;

CREATE TABLE server_info (
    info_key VARCHAR(64) PRIMARY KEY,
    info_value VARCHAR(256) NOT NULL
);
