CREATE TABLE listener_state (
    listener VARCHAR(256) PRIMARY KEY,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_reason CHARACTER VARYING,
    disabled_at BIGINT,
    replay_from BIGINT,
    replayed_at BIGINT,
    replayed_events BIGINT
);
