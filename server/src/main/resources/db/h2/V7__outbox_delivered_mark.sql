ALTER TABLE outbox_leases ADD COLUMN delivered_through BIGINT NOT NULL DEFAULT 0;
