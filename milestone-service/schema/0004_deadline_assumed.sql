-- A deadline the source document did not state (issue 15): the importer
-- inferred it; reports mark it "deadline assumed". Existing milestones were
-- imported before readers said what they guessed: false.
ALTER TABLE milestones ADD COLUMN deadline_assumed TINYINT NOT NULL DEFAULT 0;
