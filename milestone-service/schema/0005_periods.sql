-- The monitoring round (issue 18): a plan's reporting periods, the sign-off
-- of updates, and each published pack, stored once and never changed.
-- Portable SQL: MariaDB 10.11 and MySQL 8.0.

-- One row per plan that has periods: locked by every write that must see
-- the plan's periods unchanged (no two overlapping periods are created by
-- concurrent calls: READ COMMITTED takes no gap locks).
CREATE TABLE period_plans (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  PRIMARY KEY (org_id, plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE periods (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  period_id VARCHAR(63) NOT NULL,
  title VARCHAR(200) NOT NULL,
  start_date DATE NOT NULL,
  as_of DATE NOT NULL,
  due_date DATE NOT NULL,
  state TINYINT NOT NULL,
  approval_required TINYINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  open_time DATETIME(6) NULL,
  review_time DATETIME(6) NULL,
  publish_time DATETIME(6) NULL,
  cancel_time DATETIME(6) NULL,
  cancel_reason TEXT NOT NULL,
  pack_sha256 CHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (org_id, plan_id, period_id),
  KEY ix_start (org_id, plan_id, start_date),
  -- The due-updates gauge reads only periods in a round (OPEN, IN_REVIEW).
  KEY ix_state (state, org_id, plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: every approval and return, with who and when.
CREATE TABLE update_reviews (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  review_id BIGINT NOT NULL AUTO_INCREMENT,
  period_id VARCHAR(63) NOT NULL,
  milestone_id BIGINT NOT NULL,
  update_id BIGINT NOT NULL,
  action TINYINT NOT NULL,
  reason TEXT NOT NULL,
  reviewed_by VARCHAR(200) NOT NULL,
  review_time DATETIME(6) NOT NULL,
  request_id VARCHAR(100) NOT NULL,
  PRIMARY KEY (org_id, plan_id, review_id),
  KEY ix_id (review_id),
  KEY ix_period (org_id, plan_id, period_id, review_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A published pack's files, exactly as rendered at publication: written in
-- the transaction that publishes the period, never updated or deleted.
CREATE TABLE period_pack_files (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  period_id VARCHAR(63) NOT NULL,
  position INT NOT NULL,
  filename VARCHAR(200) NOT NULL,
  content_type VARCHAR(100) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  size_bytes BIGINT NOT NULL,
  content LONGBLOB NOT NULL,
  PRIMARY KEY (org_id, plan_id, period_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Due updates read the history of a plan by kind and effective time.
CREATE INDEX ix_progress ON milestone_updates (org_id, plan_id, kind, effective_at);
