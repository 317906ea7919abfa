-- Each organisation's directorate table (issue 15): canonical codes and the
-- other spellings documents use for them, so importers and reports group
-- "CS&F" with "CSF". Keys are VARBINARY and compare byte for byte, as 0002
-- made every key. Portable SQL: runs on MariaDB 10.11 and MySQL 8.0.

-- aliases: the spellings as written, one per line (validation refuses line
-- breaks inside one), in the order given.
CREATE TABLE directorates (
  org_id VARBINARY(63) NOT NULL,
  directorate_id VARBINARY(63) NOT NULL,
  code VARCHAR(32) NOT NULL,
  display_name VARCHAR(300) NOT NULL,
  aliases TEXT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (org_id, directorate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every spelling (a directorate's code and each alias) in the form in which
-- spellings are compared (gt::DirectorateMatchKey: upper case, no spaces
-- around '&' or '/'). The primary key is what makes a spelling belong to one
-- directorate of the organisation only.
CREATE TABLE directorate_spellings (
  org_id VARBINARY(63) NOT NULL,
  match_key VARBINARY(400) NOT NULL,
  directorate_id VARBINARY(63) NOT NULL,
  PRIMARY KEY (org_id, match_key),
  KEY ix_directorate (org_id, directorate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
