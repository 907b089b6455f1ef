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


-- What is expected under each unit, kept by the triggers below whatever writes the org
-- tree, the users or the expert assignments (the API, imports, SQL by hand): active
-- kindergartens, active groups, active teachers of active units, assignments of active
-- experts to active kindergartens, and the children enrolled in active groups (enrolled:
-- their sum, enrolled_known: the groups that have the figure). Each unit, teacher and
-- assignment counts for every id of the unit's materialised path; a path that is not
-- made of ids (a unit being created) counts nowhere. A row may fall to 0 and stay.
CREATE TABLE rollup_units (
    unit_id BIGINT UNSIGNED NOT NULL,
    kind    ENUM('kindergarten','group','teacher','expert','enrolled','enrolled_known')
            CHARACTER SET ascii NOT NULL,
    n       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER //

-- A unit's own contribution (sg = 1 adds it, -1 takes it away) along its path.
CREATE TRIGGER rollup_units_unit_insert AFTER INSERT ON org_units FOR EACH ROW
BEGIN
    IF NEW.path REGEXP '^/([0-9]+/)+$' THEN
        INSERT INTO rollup_units (unit_id, kind, n)
        SELECT a.id, c.kind, c.n
          FROM JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM NEW.path), '/', ','), ']'),
                          '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a,
               (SELECT 'kindergarten' AS kind, (NEW.level = 'kindergarten' AND NEW.active = 1) AS n
                UNION ALL SELECT 'group', (NEW.level = 'group' AND NEW.active = 1)
                UNION ALL SELECT 'enrolled', IF(NEW.level = 'group' AND NEW.active = 1, COALESCE(NEW.children_enrolled, 0), 0)
                UNION ALL SELECT 'enrolled_known', (NEW.level = 'group' AND NEW.active = 1 AND NEW.children_enrolled IS NOT NULL)) c
         WHERE c.n <> 0
        ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + VALUES(n);
    END IF;
END//

CREATE TRIGGER rollup_units_unit_update AFTER UPDATE ON org_units FOR EACH ROW
BEGIN
    IF NOT (OLD.path <=> NEW.path AND OLD.active <=> NEW.active AND OLD.level <=> NEW.level
            AND OLD.children_enrolled <=> NEW.children_enrolled) THEN
        IF OLD.path REGEXP '^/([0-9]+/)+$' THEN
            INSERT INTO rollup_units (unit_id, kind, n)
            SELECT a.id, c.kind, -c.n
              FROM JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM OLD.path), '/', ','), ']'),
                              '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a,
                   (SELECT 'kindergarten' AS kind, (OLD.level = 'kindergarten' AND OLD.active = 1) AS n
                    UNION ALL SELECT 'group', (OLD.level = 'group' AND OLD.active = 1)
                    UNION ALL SELECT 'enrolled', IF(OLD.level = 'group' AND OLD.active = 1, COALESCE(OLD.children_enrolled, 0), 0)
                    UNION ALL SELECT 'enrolled_known', (OLD.level = 'group' AND OLD.active = 1 AND OLD.children_enrolled IS NOT NULL)
                    UNION ALL SELECT 'teacher', IF(OLD.active = 1, (SELECT COUNT(*) FROM users t WHERE t.org_unit_id = OLD.id AND t.role = 'teacher' AND t.active = 1), 0)
                    UNION ALL SELECT 'expert', IF(OLD.level = 'kindergarten' AND OLD.active = 1, (SELECT COUNT(*) FROM expert_assignments ea JOIN users e ON e.id = ea.expert_id WHERE ea.kindergarten_id = OLD.id AND e.role = 'expert' AND e.active = 1), 0)) c
             WHERE c.n <> 0
            ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + VALUES(n);
            DELETE FROM rollup_units WHERE n = 0 AND unit_id IN (
                SELECT a.id FROM JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM OLD.path), '/', ','), ']'),
                                            '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a);
        END IF;
        IF NEW.path REGEXP '^/([0-9]+/)+$' THEN
            INSERT INTO rollup_units (unit_id, kind, n)
            SELECT a.id, c.kind, c.n
              FROM JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM NEW.path), '/', ','), ']'),
                              '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a,
                   (SELECT 'kindergarten' AS kind, (NEW.level = 'kindergarten' AND NEW.active = 1) AS n
                    UNION ALL SELECT 'group', (NEW.level = 'group' AND NEW.active = 1)
                    UNION ALL SELECT 'enrolled', IF(NEW.level = 'group' AND NEW.active = 1, COALESCE(NEW.children_enrolled, 0), 0)
                    UNION ALL SELECT 'enrolled_known', (NEW.level = 'group' AND NEW.active = 1 AND NEW.children_enrolled IS NOT NULL)
                    UNION ALL SELECT 'teacher', IF(NEW.active = 1, (SELECT COUNT(*) FROM users t WHERE t.org_unit_id = NEW.id AND t.role = 'teacher' AND t.active = 1), 0)
                    UNION ALL SELECT 'expert', IF(NEW.level = 'kindergarten' AND NEW.active = 1, (SELECT COUNT(*) FROM expert_assignments ea JOIN users e ON e.id = ea.expert_id WHERE ea.kindergarten_id = NEW.id AND e.role = 'expert' AND e.active = 1), 0)) c
             WHERE c.n <> 0
            ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + VALUES(n);
        END IF;
    END IF;
END//

-- A teacher counts along the path of its (active) unit.
CREATE TRIGGER rollup_units_user_insert AFTER INSERT ON users FOR EACH ROW
BEGIN
    IF NEW.role = 'teacher' AND NEW.active = 1 THEN
        INSERT INTO rollup_units (unit_id, kind, n)
        SELECT a.id, 'teacher', 1
          FROM org_units o,
               JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'),
                          '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a
         WHERE o.id = NEW.org_unit_id AND o.active = 1 AND o.path REGEXP '^/([0-9]+/)+$'
        ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + 1;
    END IF;
END//

CREATE TRIGGER rollup_units_user_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
    IF NOT (OLD.role <=> NEW.role AND OLD.active <=> NEW.active AND OLD.org_unit_id <=> NEW.org_unit_id) THEN
        IF OLD.role = 'teacher' AND OLD.active = 1 THEN
            INSERT INTO rollup_units (unit_id, kind, n)
            SELECT a.id, 'teacher', -1
              FROM org_units o,
                   JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'),
                              '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a
             WHERE o.id = OLD.org_unit_id AND o.active = 1 AND o.path REGEXP '^/([0-9]+/)+$'
            ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n - 1;
        END IF;
        IF NEW.role = 'teacher' AND NEW.active = 1 THEN
            INSERT INTO rollup_units (unit_id, kind, n)
            SELECT a.id, 'teacher', 1
              FROM org_units o,
                   JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'),
                              '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a
             WHERE o.id = NEW.org_unit_id AND o.active = 1 AND o.path REGEXP '^/([0-9]+/)+$'
            ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + 1;
        END IF;
        -- an expert's assignments count while the expert is active
        IF (OLD.role = 'expert' AND OLD.active = 1) <> (NEW.role = 'expert' AND NEW.active = 1) THEN
            INSERT INTO rollup_units (unit_id, kind, n)
            SELECT a.id, 'expert', IF(NEW.role = 'expert' AND NEW.active = 1, 1, -1)
              FROM expert_assignments ea JOIN org_units o ON o.id = ea.kindergarten_id,
                   JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'),
                              '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a
             WHERE ea.expert_id = NEW.id AND o.level = 'kindergarten' AND o.active = 1
               AND o.path REGEXP '^/([0-9]+/)+$'
            ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + VALUES(n);
        END IF;
    END IF;
END//

-- An assignment counts along its kindergarten's path while the expert and the
-- kindergarten are active.
CREATE TRIGGER rollup_units_assignment_insert AFTER INSERT ON expert_assignments FOR EACH ROW
BEGIN
    INSERT INTO rollup_units (unit_id, kind, n)
    SELECT a.id, 'expert', 1
      FROM org_units o JOIN users e ON e.id = NEW.expert_id AND e.role = 'expert' AND e.active = 1,
           JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'),
                      '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a
     WHERE o.id = NEW.kindergarten_id AND o.level = 'kindergarten' AND o.active = 1
       AND o.path REGEXP '^/([0-9]+/)+$'
    ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n + 1;
END//

CREATE TRIGGER rollup_units_assignment_delete AFTER DELETE ON expert_assignments FOR EACH ROW
BEGIN
    INSERT INTO rollup_units (unit_id, kind, n)
    SELECT a.id, 'expert', -1
      FROM org_units o JOIN users e ON e.id = OLD.expert_id AND e.role = 'expert' AND e.active = 1,
           JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'),
                      '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a
     WHERE o.id = OLD.kindergarten_id AND o.level = 'kindergarten' AND o.active = 1
       AND o.path REGEXP '^/([0-9]+/)+$'
    ON DUPLICATE KEY UPDATE rollup_units.n = rollup_units.n - 1;
END//

DELIMITER ;
