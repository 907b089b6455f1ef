-- Expert work: where an expert works (the conflict-of-interest check), assignments that
-- may name the campaign and the kind of assessment, and the experts' reports with the
-- kindergarten coordinator's comments (docs/api-experts.md).

-- The expert's workplace: a kindergarten, or a group of one. An expert is never assigned
-- to the kindergarten where they work.
ALTER TABLE users
    ADD COLUMN works_at_unit_id BIGINT UNSIGNED NULL,
    ADD CONSTRAINT fk_users_works_at FOREIGN KEY (works_at_unit_id) REFERENCES org_units (id);

-- An assignment may be tied to one campaign (a stage later) and to a kind of assessment.
ALTER TABLE expert_assignments
    ADD COLUMN campaign_id BIGINT UNSIGNED NULL,
    ADD COLUMN kind ENUM('remote','onsite') NULL,
    ADD CONSTRAINT fk_expert_assignments_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id);

-- The same rule in the database, for every path that writes assignments or workplaces:
-- the kindergarten of an assignment must not hold the expert's workplace or own unit.
DELIMITER //
CREATE TRIGGER expert_assignments_conflict BEFORE INSERT ON expert_assignments FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM users u
                 JOIN org_units k ON k.id = NEW.kindergarten_id
                 JOIN org_units w ON w.id = u.works_at_unit_id OR w.id = u.org_unit_id
                WHERE u.id = NEW.expert_id AND w.path LIKE CONCAT(k.path, '%')) THEN
        SIGNAL SQLSTATE '45000'
            SET MESSAGE_TEXT = 'conflict of interest: the expert works at this kindergarten';
    END IF;
END//
CREATE TRIGGER users_workplace_conflict BEFORE UPDATE ON users FOR EACH ROW
BEGIN
    IF NOT (NEW.works_at_unit_id <=> OLD.works_at_unit_id) OR NEW.org_unit_id <> OLD.org_unit_id THEN
        IF EXISTS (SELECT 1 FROM expert_assignments ea
                     JOIN org_units k ON k.id = ea.kindergarten_id
                     JOIN org_units w ON w.id = NEW.works_at_unit_id OR w.id = NEW.org_unit_id
                    WHERE ea.expert_id = NEW.id AND w.path LIKE CONCAT(k.path, '%')) THEN
            SIGNAL SQLSTATE '45000'
                SET MESSAGE_TEXT = 'conflict of interest: the expert is assigned to this kindergarten';
        END IF;
    END IF;
END//
DELIMITER ;

-- One report per campaign, kindergarten and expert: draft (the expert's own) →
-- preliminary (sent to the kindergarten) → final (with recommendations, read-only).
CREATE TABLE expert_reports (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id     BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    expert_id       BIGINT UNSIGNED NOT NULL,
    status          ENUM('draft','preliminary','final') NOT NULL DEFAULT 'draft',
    summary         TEXT NULL,        -- the overall text: conclusions and recommendations
    areas           LONGTEXT NOT NULL DEFAULT '{}' CHECK (JSON_VALID(areas)), -- area code -> text
    version         INT UNSIGNED NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    sent_at         TIMESTAMP NULL,
    finalised_at    TIMESTAMP NULL,
    UNIQUE KEY uq_expert_reports (campaign_id, kindergarten_id, expert_id),
    KEY ix_expert_reports_kindergarten (kindergarten_id, campaign_id),
    KEY ix_expert_reports_expert (expert_id),
    CONSTRAINT fk_expert_reports_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_expert_reports_unit FOREIGN KEY (kindergarten_id) REFERENCES org_units (id),
    CONSTRAINT fk_expert_reports_expert FOREIGN KEY (expert_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The kindergarten coordinator's comments on a preliminary report.
CREATE TABLE expert_report_comments (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    report_id  BIGINT UNSIGNED NOT NULL,
    author_id  BIGINT UNSIGNED NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY ix_expert_report_comments (report_id, id),
    CONSTRAINT fk_expert_report_comments_report FOREIGN KEY (report_id) REFERENCES expert_reports (id),
    CONSTRAINT fk_expert_report_comments_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
