-- gateway: API tokens and their roles.
-- Every key starts with org_id so the data shards by organisation; the bearer
-- text carries its organisation, so a token is found by (org_id, secret_hash)
-- without a cross-organisation index. Secrets are never stored: only the
-- SHA-256 of the whole bearer text.
-- Portable SQL: runs on MariaDB 10.11 and MySQL 8.0.

CREATE TABLE api_tokens (
  org_id VARCHAR(63) NOT NULL,
  token_id VARCHAR(32) NOT NULL,
  secret_hash CHAR(64) NOT NULL,
  secret_prefix VARCHAR(80) NOT NULL,
  role TINYINT NOT NULL,
  subject VARCHAR(200) NOT NULL,
  display_name VARCHAR(300) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  -- NULL: never expires.
  expire_time DATETIME(6) NULL,
  -- NULL: not revoked. Revoked tokens are kept, for the audit trail.
  revoke_time DATETIME(6) NULL,
  PRIMARY KEY (org_id, token_id),
  UNIQUE KEY uq_secret (org_id, secret_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Idempotent CreateToken (AIP-155): the first answer to a request_id, kept so
-- a repeat returns it without creating a second token. The kept answer has no
-- secret.
CREATE TABLE request_log (
  org_id VARCHAR(63) NOT NULL,
  request_id VARCHAR(100) NOT NULL,
  method VARCHAR(100) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  response MEDIUMBLOB NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
