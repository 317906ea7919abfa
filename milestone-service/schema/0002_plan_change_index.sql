-- The latest change of each plan's milestones, read with a loose index scan
-- (one entry per plan): the metrics scrape recounts only plans that changed.
CREATE INDEX ix_plan_changed ON milestones (org_id, plan_id, update_time);
