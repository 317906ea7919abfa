-- A measure's RAG tolerance and its targets for parts of the plan's period
-- (issue 19). Portable SQL: MariaDB 10.11 and MySQL 8.0; keys VARBINARY as
-- 0002 made every key.

-- A measure's targets, in the order given (ordinal 0, 1, ...); a change of
-- them replaces the measure's rows as a whole. target_value is NULL for a
-- text target ("maintain"), target_text '' for a numeric one.
CREATE TABLE IF NOT EXISTS measure_targets (
  org_id VARBINARY(63) NOT NULL,
  plan_id VARBINARY(63) NOT NULL,
  item_id BIGINT NOT NULL,
  ordinal INT NOT NULL,
  from_date DATE NOT NULL,
  to_date DATE NOT NULL,
  target_value DOUBLE NULL,
  target_text VARCHAR(500) NOT NULL,
  label VARCHAR(100) NOT NULL,
  PRIMARY KEY (org_id, plan_id, item_id, ordinal)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- At most one of the two is set (validation); NULL for every existing
-- measure, which therefore stays GREEN-or-RED. Last, and one statement, so a
-- run that fails here can simply run again.
ALTER TABLE plan_items ADD COLUMN amber_within_percent DOUBLE NULL,
  ADD COLUMN amber_within_units DOUBLE NULL;
