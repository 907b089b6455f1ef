-- Children's privacy in evidence: who read which file (one row per file, user and day),
-- the parents' consent to photos and videos per group, each kindergarten's choice for
-- uploads to a group without consent, the storage warnings already sent, and the end date
-- of an expert's assignment (docs/api-evidence.md).

-- Read log: written when a file, its preview or its stream is served. read_count counts the
-- answers of that day (a video seeking asks for several ranges).
CREATE TABLE evidence_reads (
    file_id   BIGINT UNSIGNED NOT NULL,
    day       DATE NOT NULL,
    user_id   BIGINT UNSIGNED NOT NULL,
    read_count INT UNSIGNED NOT NULL DEFAULT 1,
    first_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (file_id, day, user_id),
    KEY ix_evidence_reads_user (user_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Consent of a group's parents, as recorded by the kindergarten's coordinator. Append-only
-- history: the newest row of a group is its state; an upload is judged by the row in
-- force when it was attached.
CREATE TABLE group_consents (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    group_id     BIGINT UNSIGNED NOT NULL,
    consented    TINYINT(1) NOT NULL,
    consent_date DATE NOT NULL,           -- the date of the parents' consent (or refusal)
    recorded_by  BIGINT UNSIGNED NOT NULL,
    recorded_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_group_consents_group (group_id, id),
    CONSTRAINT fk_group_consents_group FOREIGN KEY (group_id) REFERENCES org_units (id),
    CONSTRAINT fk_group_consents_user FOREIGN KEY (recorded_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A file attached to a sheet of a group whose newest consent record is not a consent (or
-- that has none) is marked on its link, as the database sees it when the link is written:
-- only possible where the kindergarten accepts such uploads ('mark'), and kept when the
-- consent changes later.
ALTER TABLE evidence_links ADD COLUMN without_consent TINYINT(1) NOT NULL DEFAULT 0;
CREATE TRIGGER evidence_links_consent BEFORE INSERT ON evidence_links FOR EACH ROW
    SET NEW.without_consent = COALESCE((
        SELECT NOT COALESCE((SELECT c.consented FROM group_consents c WHERE c.group_id = g.id
                              ORDER BY c.id DESC LIMIT 1), 0)
          FROM submissions s JOIN org_units g ON g.id = s.target_unit_id AND g.level = 'group'
         WHERE s.id = NEW.submission_id), 0);

-- Per kindergarten: what happens to an upload for a group without consent (refuse: 422
-- before any byte is sent; mark: accepted and shown marked), and the storage warning
-- level last notified (0, 80 or 95 per cent of the quota). No row: refuse, nothing sent.
CREATE TABLE kindergarten_privacy (
    kindergarten_id    BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    without_consent    ENUM('refuse','mark') NOT NULL DEFAULT 'refuse',
    storage_warned     TINYINT UNSIGNED NOT NULL DEFAULT 0,
    updated_by         BIGINT UNSIGNED NULL,
    updated_at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_kindergarten_privacy_unit FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The last day an expert may see the kindergarten (NULL: until unassigned).
ALTER TABLE expert_assignments ADD COLUMN ends_on DATE NULL;

-- The turn of the storage check (workers take turns through it).
INSERT INTO maintenance_runs (task, ran_at) VALUES ('storage_check', '2000-01-01 00:00:00');

-- The view of scopes follows the same rule as backend/src/scope.h: an assignment counts up
-- to and including its end date.
CREATE OR REPLACE VIEW user_scope AS
    SELECT u.id AS user_id, IF(u.role = 'administrator', '/', o.path) AS path
      FROM users u JOIN org_units o ON o.id = u.org_unit_id
     WHERE u.active = 1 AND u.role <> 'expert'
    UNION ALL
    SELECT ea.expert_id AS user_id, k.path AS path
      FROM expert_assignments ea
      JOIN users u ON u.id = ea.expert_id
      JOIN org_units k ON k.id = ea.kindergarten_id
     WHERE u.active = 1 AND u.role = 'expert'
       AND (ea.ends_on IS NULL OR ea.ends_on >= CURRENT_DATE);
