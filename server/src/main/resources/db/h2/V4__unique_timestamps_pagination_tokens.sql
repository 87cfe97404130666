-- Kinto's uniqueness of (parent_id, resource_name, last_modified): a forced past timestamp that
-- collides is refused (409), and a keyset page on last_modified can skip no object. Objects that
-- already share a timestamp (only forced past timestamps could produce them) keep the smallest
-- id's value; the others move past the newest timestamp of their list, in (timestamp, id) order,
-- with their JSON's last_modified rewritten, and the list's timestamp follows.
MERGE INTO objects o USING (
    SELECT r.parent_id, r.resource_name, r.id,
           (SELECT MAX(x.last_modified) FROM objects x
             WHERE x.parent_id = r.parent_id AND x.resource_name = r.resource_name)
           + ROW_NUMBER() OVER (PARTITION BY r.parent_id, r.resource_name ORDER BY r.last_modified, r.id) AS new_value
    FROM (SELECT parent_id, resource_name, id, last_modified,
                 ROW_NUMBER() OVER (PARTITION BY parent_id, resource_name, last_modified ORDER BY id) AS duplicate
          FROM objects) r
    WHERE r.duplicate > 1
) moved ON (o.parent_id = moved.parent_id AND o.resource_name = moved.resource_name AND o.id = moved.id)
WHEN MATCHED THEN UPDATE SET o.last_modified = moved.new_value,
    o.data = REGEXP_REPLACE(o.data, '"last_modified":-?[0-9]+', '"last_modified":' || moved.new_value);

MERGE INTO timestamps t USING (
    SELECT parent_id, resource_name, MAX(last_modified) AS new_value FROM objects GROUP BY parent_id, resource_name
) newest ON (t.parent_id = newest.parent_id AND t.resource_name = newest.resource_name)
WHEN MATCHED AND t.last_modified < newest.new_value THEN UPDATE SET t.last_modified = newest.new_value;

CREATE UNIQUE INDEX idx_objects_parent_lm_unique ON objects (parent_id, resource_name, last_modified);
DROP INDEX IF EXISTS idx_objects_parent_lm;

-- Plural DELETE pagination tokens: single use, verifiable by every process sharing the database.
CREATE TABLE pagination_tokens (
    nonce VARCHAR(64) PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX idx_pagination_tokens_expiry ON pagination_tokens (expires_at);
