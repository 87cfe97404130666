-- Kinto's uniqueness of (parent_id, resource_name, last_modified): a forced past timestamp that
-- collides is refused (409), and a keyset page on last_modified can skip no object. Objects that
-- already share a timestamp (only forced past timestamps could produce them) keep the smallest
-- id's value; the others move past the newest timestamp of their list, in (timestamp, id) order,
-- with their JSON's last_modified rewritten, and the list's timestamp follows.
WITH ranked AS (
    SELECT parent_id, resource_name, id, last_modified,
           ROW_NUMBER() OVER (PARTITION BY parent_id, resource_name, last_modified ORDER BY id) AS duplicate
    FROM objects
), moved AS (
    SELECT r.parent_id, r.resource_name, r.id,
           (SELECT MAX(o.last_modified) FROM objects o
             WHERE o.parent_id = r.parent_id AND o.resource_name = r.resource_name)
           + ROW_NUMBER() OVER (PARTITION BY r.parent_id, r.resource_name ORDER BY r.last_modified, r.id) AS value
    FROM ranked r WHERE r.duplicate > 1
)
UPDATE objects SET last_modified = moved.value,
       data = jsonb_set(CAST(objects.data AS jsonb), '{last_modified}', to_jsonb(moved.value))
FROM moved
WHERE objects.parent_id = moved.parent_id AND objects.resource_name = moved.resource_name AND objects.id = moved.id;

UPDATE timestamps SET last_modified = newest.value
FROM (SELECT parent_id, resource_name, MAX(last_modified) AS value FROM objects GROUP BY parent_id, resource_name) newest
WHERE timestamps.parent_id = newest.parent_id AND timestamps.resource_name = newest.resource_name
  AND timestamps.last_modified < newest.value;

CREATE UNIQUE INDEX idx_objects_parent_lm_unique ON objects (parent_id, resource_name, last_modified);
DROP INDEX IF EXISTS idx_objects_parent_lm;

-- Plural DELETE pagination tokens: single use, verifiable by every process sharing the database.
CREATE TABLE pagination_tokens (
    nonce VARCHAR(64) PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX idx_pagination_tokens_expiry ON pagination_tokens (expires_at);
