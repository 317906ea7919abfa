-- plan-service: organisations and the plan tree.
-- Every key starts with org_id so the data shards by organisation. Ids below
-- the plan are allocated per organisation from organisations.next_item_id (no
-- global AUTO_INCREMENT to coordinate across shards).
-- Portable SQL: runs on MariaDB 10.11 and MySQL 8.0.

CREATE TABLE organisations (
  org_id VARCHAR(63) NOT NULL,
  display_name VARCHAR(300) NOT NULL,
  next_item_id BIGINT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE plans (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  title VARCHAR(300) NOT NULL,
  description TEXT NOT NULL,
  period_start DATE NOT NULL,
  period_end DATE NOT NULL,
  state TINYINT NOT NULL,
  source VARCHAR(1000) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id, plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Priorities (kind 1), outcomes (2), activities (3) and measures (4) share one
-- table: the tree is homogeneous (parent, code, title, position), and the
-- whole tree of a plan is one range scan of the primary key prefix.
-- code is NULL only for measures without a reference.
CREATE TABLE plan_items (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  item_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  -- 0 for priorities (their parent is the plan); measures hang off a priority
  -- or an outcome, hence parent_kind.
  parent_kind TINYINT NOT NULL,
  parent_id BIGINT NOT NULL,
  code VARCHAR(100) NULL,
  title TEXT NOT NULL,
  position INT NOT NULL,
  lead_member VARCHAR(500) NOT NULL,
  lead_officer VARCHAR(500) NOT NULL,
  directorate VARCHAR(100) NOT NULL,
  deadline DATE NULL,
  reported_status TINYINT NOT NULL,
  reported_percent SMALLINT NULL,
  reported_comment MEDIUMTEXT NOT NULL,
  unit VARCHAR(50) NOT NULL,
  direction TINYINT NOT NULL,
  baseline DOUBLE NULL,
  target DOUBLE NULL,
  target_text VARCHAR(500) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (org_id, plan_id, item_id),
  UNIQUE KEY uq_code (org_id, plan_id, kind, parent_id, code),
  KEY ix_order (org_id, plan_id, kind, parent_id, position, item_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE measure_values (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  item_id BIGINT NOT NULL,
  value_date DATE NOT NULL,
  value DOUBLE NOT NULL,
  note VARCHAR(1000) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id, plan_id, item_id, value_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Idempotent writes (AIP-155): the first answer to a request_id, kept so a
-- repeat returns it without writing again.
CREATE TABLE request_log (
  org_id VARCHAR(63) NOT NULL,
  request_id VARCHAR(100) NOT NULL,
  method VARCHAR(100) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  response MEDIUMBLOB NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
