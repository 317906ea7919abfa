-- Keys compare exactly (issue 16). utf8mb4_bin pads with spaces on MariaDB
-- 10.11 and MySQL 8.0 alike ('p1 ' = 'p1'), so a name with a trailing space
-- reached a real row; VARBINARY compares byte for byte, without padding, on
-- both. Ids and request ids are ASCII by validation; a code is text, kept in
-- up to 400 bytes (its 100 characters of utf8mb4).
-- Existing rows keep their bytes: no two keys could differ only by trailing
-- spaces (the unique keys refused that), so none collides after the change;
-- comparisons only get stricter. The tables are rebuilt once.
ALTER TABLE organisations MODIFY org_id VARBINARY(63) NOT NULL;
ALTER TABLE plans MODIFY org_id VARBINARY(63) NOT NULL, MODIFY plan_id VARBINARY(63) NOT NULL;
ALTER TABLE plan_items MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY plan_id VARBINARY(63) NOT NULL, MODIFY code VARBINARY(400) NULL;
ALTER TABLE measure_values MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY plan_id VARBINARY(63) NOT NULL;
ALTER TABLE request_log MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY request_id VARBINARY(400) NOT NULL;
