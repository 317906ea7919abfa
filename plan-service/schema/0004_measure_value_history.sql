-- Measure values become history (issue 19). A value recorded for a date that
-- has one is a correction and a delete is a withdrawal: both are appended
-- rows, and the date's current value is its latest row (none when that row
-- is a withdrawal), so a report "as published at T" reads only the rows
-- recorded before T. Rows go only with their measure or plan (DeleteMeasure,
-- DeletePlan, an import that drops the measure).
-- Portable SQL: MariaDB 10.11 and MySQL 8.0. Keys are VARBINARY, as 0002
-- made every key.
--
-- The table measure_values (0001) is left in place, unused from this
-- migration on: its rows are copied here once and the service neither reads
-- nor writes it any more. Drop it in a later migration once no binary older
-- than this one can run against the database.
--
-- Written so that a run interrupted part-way can run again: the table is
-- created only when missing and a row is copied only when its date has no
-- history yet.

-- revision: 1 for a date's first row, 2 for the next (a correction or a
-- withdrawal), ...; unique per date, so two appends racing for one revision
-- cannot both be written. recorded_at never goes backwards within a date, so
-- revision order and recorded order agree. A withdrawal row repeats the value
-- it withdrew.
CREATE TABLE IF NOT EXISTS measure_value_history (
  org_id VARBINARY(63) NOT NULL,
  plan_id VARBINARY(63) NOT NULL,
  value_id BIGINT NOT NULL AUTO_INCREMENT,
  item_id BIGINT NOT NULL,
  value_date DATE NOT NULL,
  revision INT NOT NULL,
  value DOUBLE NOT NULL,
  note VARCHAR(1000) NOT NULL,
  provisional TINYINT NOT NULL,
  withdrawn TINYINT NOT NULL,
  recorded_at DATETIME(6) NOT NULL,
  recorded_by VARCHAR(200) NOT NULL,
  request_id VARBINARY(400) NOT NULL,
  PRIMARY KEY (org_id, plan_id, value_id),
  KEY ix_id (value_id),
  UNIQUE KEY uq_revision (org_id, plan_id, item_id, value_date, revision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- measure_values held one row per date: each becomes revision 1, recorded
-- when it was created, by no one known. Copied in recorded order, so the row
-- ids follow it too.
INSERT INTO measure_value_history (org_id, plan_id, item_id, value_date, revision, value, note,
  provisional, withdrawn, recorded_at, recorded_by, request_id)
SELECT v.org_id, v.plan_id, v.item_id, v.value_date, 1, v.value, v.note, 0, 0, v.create_time, '',
  ''
FROM measure_values v
WHERE NOT EXISTS (SELECT 1 FROM measure_value_history h WHERE h.org_id = v.org_id
  AND h.plan_id = v.plan_id AND h.item_id = v.item_id AND h.value_date = v.value_date)
ORDER BY v.create_time, v.org_id, v.plan_id, v.item_id, v.value_date;
