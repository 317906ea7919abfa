-- Keys compare exactly (issue 16): VARBINARY instead of utf8mb4_bin, which
-- pads with spaces on MariaDB 10.11 and MySQL 8.0 alike. Existing rows keep
-- their bytes and no key collides after the change (the unique keys already
-- refused keys that differ only by trailing spaces); comparisons only get
-- stricter. The tables are rebuilt once.
ALTER TABLE api_tokens MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY token_id VARBINARY(32) NOT NULL;
ALTER TABLE request_log MODIFY org_id VARBINARY(63) NOT NULL,
  MODIFY request_id VARBINARY(400) NOT NULL;
