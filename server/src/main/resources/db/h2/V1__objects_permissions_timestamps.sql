CREATE TABLE objects (
    resource_name VARCHAR(64) NOT NULL,
    parent_id VARCHAR(1024) NOT NULL,
    id VARCHAR(256) NOT NULL,
    last_modified BIGINT NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    data CHARACTER VARYING NOT NULL,
    PRIMARY KEY (parent_id, resource_name, id)
);
CREATE INDEX idx_objects_parent_lm ON objects (parent_id, resource_name, last_modified);

CREATE TABLE timestamps (
    parent_id VARCHAR(1024) NOT NULL,
    resource_name VARCHAR(64) NOT NULL,
    last_modified BIGINT NOT NULL,
    PRIMARY KEY (parent_id, resource_name)
);

CREATE TABLE access_control_entries (
    object_id VARCHAR(1024) NOT NULL,
    permission VARCHAR(64) NOT NULL,
    principal VARCHAR(1024) NOT NULL,
    PRIMARY KEY (object_id, permission, principal)
);
CREATE INDEX idx_ace_principal ON access_control_entries (principal);

CREATE TABLE user_principals (
    user_id VARCHAR(1024) NOT NULL,
    principal VARCHAR(1024) NOT NULL,
    PRIMARY KEY (user_id, principal)
);
CREATE INDEX idx_user_principals_principal ON user_principals (principal);
