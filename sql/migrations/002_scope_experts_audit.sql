-- Access scope, expert assignments and the audit log.

-- Kindergartens whose self-assessment and evidence an expert may see and score.
CREATE TABLE expert_assignments (
    expert_id       BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    assigned_by     BIGINT UNSIGNED NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (expert_id, kindergarten_id),
    KEY ix_expert_assignments_kindergarten (kindergarten_id),
    CONSTRAINT fk_expert_assignments_expert FOREIGN KEY (expert_id) REFERENCES users (id),
    CONSTRAINT fk_expert_assignments_unit FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The subtrees each active user may see: everything for an administrator, the own unit
-- for coordinators and teachers, the assigned kindergartens for experts. Every scoped
-- query matches org_units.path against these prefixes (backend/src/scope.h).
CREATE VIEW user_scope AS
    SELECT u.id AS user_id, IF(u.role = 'administrator', '/', o.path) AS path
      FROM users u JOIN org_units o ON o.id = u.org_unit_id
     WHERE u.active = 1 AND u.role <> 'expert'
    UNION ALL
    SELECT ea.expert_id AS user_id, k.path AS path
      FROM expert_assignments ea
      JOIN users u ON u.id = ea.expert_id
      JOIN org_units k ON k.id = ea.kindergarten_id
     WHERE u.active = 1 AND u.role = 'expert';

-- Append-only record of every write, login and failed login.
CREATE TABLE audit_log (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at          TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    actor_id    BIGINT UNSIGNED NULL,
    actor_login VARCHAR(64) NULL,
    actor_role  VARCHAR(32) NULL,
    action      VARCHAR(64) CHARACTER SET ascii NOT NULL,
    entity      VARCHAR(32) CHARACTER SET ascii NULL,
    entity_id   BIGINT UNSIGNED NULL,
    -- path of the unit the row concerns, for scoped reading; '/' when it concerns no unit
    unit_path   VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '/',
    changes     LONGTEXT NULL CHECK (changes IS NULL OR JSON_VALID(changes)),
    ip          VARCHAR(45) CHARACTER SET ascii NULL,
    KEY ix_audit_log_unit_path (unit_path, id),
    KEY ix_audit_log_actor (actor_id, id),
    KEY ix_audit_log_entity (entity, entity_id, id),
    KEY ix_audit_log_action (action, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';

-- Kindergarten codes are unique among kindergartens (other levels may repeat codes).
ALTER TABLE org_units
    ADD COLUMN kindergarten_code VARCHAR(64) AS (IF(level = 'kindergarten', code, NULL)) PERSISTENT,
    ADD UNIQUE KEY uq_org_units_kindergarten_code (kindergarten_code),
    ADD KEY ix_org_units_level_path (level, path);
