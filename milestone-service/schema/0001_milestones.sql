-- milestone-service: milestones, their append-only history, idempotency log.
-- Every key starts with org_id, so the data shards by organisation; ids come
-- from AUTO_INCREMENT, which is per shard and only ever used together with
-- org_id and plan_id. Portable SQL: MariaDB 10.11 and MySQL 8.0.

-- The current state of each milestone: the fold of its history, kept so that
-- lists, filters and the overdue gauge are single indexed queries.
CREATE TABLE milestones (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  milestone_id BIGINT NOT NULL AUTO_INCREMENT,
  activity_id BIGINT NOT NULL,
  outcome_id BIGINT NOT NULL,
  priority_id BIGINT NOT NULL,
  -- Document order of the activity (positions of its priority, outcome and
  -- itself), copied from plan-service when the milestone is created.
  priority_position INT NOT NULL,
  outcome_position INT NOT NULL,
  activity_position INT NOT NULL,
  ordinal INT NOT NULL,
  title TEXT NOT NULL,
  lead_officer VARCHAR(500) NOT NULL,
  directorate VARCHAR(100) NOT NULL,
  baseline_deadline DATE NULL,
  current_deadline DATE NULL,
  status TINYINT NOT NULL,
  percent_complete SMALLINT NOT NULL,
  latest_comment MEDIUMTEXT NOT NULL,
  completed_date DATE NULL,
  revision_count INT NOT NULL,
  -- Effective times of the rows the current progress and deadline come from:
  -- a backdated update older than these goes into history only.
  progress_effective_at DATETIME(6) NOT NULL,
  deadline_effective_at DATETIME(6) NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  -- Deleted milestones are hidden, never removed: their history stays.
  delete_time DATETIME(6) NULL,
  PRIMARY KEY (org_id, plan_id, milestone_id),
  KEY ix_id (milestone_id),
  KEY ix_order (org_id, plan_id, priority_position, outcome_position, activity_position,
                activity_id, ordinal, milestone_id),
  -- Covers the metrics scrape (overdue and status counts, last update per
  -- plan): one index scan, no table rows read.
  KEY ix_scrape (delete_time, org_id, plan_id, status, directorate, current_deadline, update_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Append-only: never updated, never deleted.
CREATE TABLE milestone_updates (
  org_id VARCHAR(63) NOT NULL,
  plan_id VARCHAR(63) NOT NULL,
  update_id BIGINT NOT NULL AUTO_INCREMENT,
  milestone_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  status TINYINT NOT NULL,
  percent_complete SMALLINT NOT NULL,
  comment MEDIUMTEXT NOT NULL,
  previous_deadline DATE NULL,
  new_deadline DATE NULL,
  reason TEXT NOT NULL,
  effective_at DATETIME(6) NOT NULL,
  recorded_at DATETIME(6) NOT NULL,
  request_id VARCHAR(100) NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  PRIMARY KEY (org_id, plan_id, update_id),
  KEY ix_id (update_id),
  KEY ix_milestone (org_id, plan_id, milestone_id, update_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE request_log (
  org_id VARCHAR(63) NOT NULL,
  request_id VARCHAR(100) NOT NULL,
  method VARCHAR(100) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  response MEDIUMBLOB NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
