-- Runs of the rollup rebuild (docs/api-dashboards.md, "Administration"): POST
-- /admin/rollups/rebuild answers 202 at once and the worker goes on rebuilding, so the run's
-- state, rows and time are kept here for GET /admin/rollups/rebuild. One row per run, the
-- API's and the `vsokd rebuild-rollups` command's (started_by NULL). A row left 'running'
-- by a worker that died is shown as 'interrupted' (the rebuild's GET_LOCK is free).
CREATE TABLE rebuild_runs (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    finished_at DATETIME(3) NULL,
    started_by BIGINT UNSIGNED NULL,
    state ENUM('running', 'finished', 'failed') NOT NULL DEFAULT 'running',
    rows_written BIGINT UNSIGNED NULL,
    ms BIGINT UNSIGNED NULL,
    CONSTRAINT fk_rebuild_runs_user FOREIGN KEY (started_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB;
