-- Periodic jobs (the upload sweep, mail, reminders, the storage check) and the rollup rebuild
-- run on one process at a time across every vsokd host of a deployment (docs/scaling.md,
-- "Jobs that run once"): a lease per job, taken with one UPDATE that succeeds only when the
-- lease has expired or is already the taker's. holder is "<host>:<pid>" of the taker; ran_at
-- is when a periodic job last started (one run per interval). Replaces maintenance_runs,
-- which is kept (unused) so that older migrations that write to it still apply.
CREATE TABLE job_leases (
    job        VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    holder     VARCHAR(300) NOT NULL DEFAULT '',
    expires_at DATETIME(6) NOT NULL DEFAULT '2000-01-01 00:00:00',
    ran_at     DATETIME(6) NOT NULL DEFAULT '2000-01-01 00:00:00'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO job_leases (job, ran_at) SELECT task, ran_at FROM maintenance_runs;
INSERT IGNORE INTO job_leases (job) VALUES ('rollup_rebuild');

