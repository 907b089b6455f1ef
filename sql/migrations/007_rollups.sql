-- Rollups for the dashboards (docs/api-dashboards.md): per org unit, its subtree's figures,
-- kept in the same transaction as the change they summarise (backend/src/rollup.c) and
-- rebuilt from the raw data by `vsokd rebuild-rollups`. Every key starts with (campaign,
-- instrument, source) so that a drill-down reads the rows of a unit and of its children
-- by primary key.

-- Results: for each sheet counted (docs/api-dashboards.md, "What is counted"), its score
-- rows (submission_scores) added to its target unit and every ancestor. sum holds levels
-- (indicators) or scores (areas, overall); l1..l7 count sheets at each level (area and
-- overall: the score rounded down).
CREATE TABLE rollup_results (
    campaign_id   BIGINT UNSIGNED NOT NULL,
    instrument_id BIGINT UNSIGNED NOT NULL,
    source        ENUM('self','group','expert','teacher') CHARACTER SET ascii NOT NULL,
    unit_id       BIGINT UNSIGNED NOT NULL,
    kind          ENUM('indicator','section','overall') CHARACTER SET ascii NOT NULL,
    code          VARCHAR(64) CHARACTER SET ascii NOT NULL,
    n             INT NOT NULL DEFAULT 0,
    sum           DECIMAL(16,3) NOT NULL DEFAULT 0,
    l1 INT NOT NULL DEFAULT 0, l2 INT NOT NULL DEFAULT 0, l3 INT NOT NULL DEFAULT 0,
    l4 INT NOT NULL DEFAULT 0, l5 INT NOT NULL DEFAULT 0, l6 INT NOT NULL DEFAULT 0,
    l7 INT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, instrument_id, source, unit_id, kind, code),
    KEY ix_rollup_results_unit (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Completion: sheets submitted (submitted or approved) and approved, per subtree. The
-- expected counts come from the org tree (active kindergartens, groups, teachers).
CREATE TABLE rollup_completion (
    campaign_id   BIGINT UNSIGNED NOT NULL,
    instrument_id BIGINT UNSIGNED NOT NULL,
    source        ENUM('self','group','expert','teacher') CHARACTER SET ascii NOT NULL,
    unit_id       BIGINT UNSIGNED NOT NULL,
    submitted     INT NOT NULL DEFAULT 0,
    approved      INT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, instrument_id, source, unit_id),
    KEY ix_rollup_completion_unit (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Parent questionnaire: responses per subtree, and per statement the answers given and the
-- positive ones (the instrument's share-positive rule).
CREATE TABLE rollup_parent_responses (
    campaign_id   BIGINT UNSIGNED NOT NULL,
    instrument_id BIGINT UNSIGNED NOT NULL,
    unit_id       BIGINT UNSIGNED NOT NULL,
    responses     INT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, instrument_id, unit_id),
    KEY ix_rollup_parent_responses_unit (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE rollup_parent_statements (
    campaign_id   BIGINT UNSIGNED NOT NULL,
    instrument_id BIGINT UNSIGNED NOT NULL,
    unit_id       BIGINT UNSIGNED NOT NULL,
    code          VARCHAR(64) CHARACTER SET ascii NOT NULL,
    answered      INT NOT NULL DEFAULT 0,
    positive      INT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, instrument_id, unit_id, code),
    KEY ix_rollup_parent_statements_unit (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Expected counts and enrolment per subtree are read with one grouped scan of this index
-- (the active units of one level under a path prefix).
ALTER TABLE org_units ADD KEY ix_org_units_level_active_path (level, active, path, children_enrolled);
