-- Keys compare exactly (issue 16): VARBINARY instead of utf8mb4_bin, which
-- pads with spaces on MariaDB 10.11 and MySQL 8.0 alike ('ws-x ' = 'ws-x':
-- a request id with a trailing space was answered as a replay and never
-- written). Existing rows keep their bytes and no key collides after the
-- change (the unique keys already refused keys that differ only by trailing
-- spaces); comparisons only get stricter. request_id is ASCII by validation;
-- 400 bytes hold any id stored before that rule. The tables are rebuilt once
-- (on a large history table, plan the time: it copies every row).
ALTER TABLE milestones MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY plan_id VARBINARY(63) NOT NULL;
ALTER TABLE milestone_updates MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY plan_id VARBINARY(63) NOT NULL, MODIFY request_id VARBINARY(400) NOT NULL;
ALTER TABLE request_log MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY request_id VARBINARY(400) NOT NULL;
