CREATE TABLE outbox (
    seq BIGSERIAL PRIMARY KEY,
    event_id VARCHAR(64) NOT NULL,
    listener VARCHAR(256) NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by VARCHAR(128),
    claimed_at BIGINT,
    delivered_at BIGINT,
    last_error TEXT
);
CREATE INDEX idx_outbox_pending ON outbox (listener, status, seq);

CREATE TABLE outbox_leases (
    listener VARCHAR(256) PRIMARY KEY,
    owner VARCHAR(128) NOT NULL,
    expires_at BIGINT NOT NULL
);
