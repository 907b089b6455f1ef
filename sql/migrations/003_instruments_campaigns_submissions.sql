-- Instruments (versioned JSON definitions), campaigns, submissions with their answers,
-- scores and review history.

-- A published version never changes; editing makes a new version of the same code.
CREATE TABLE instruments (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code          VARCHAR(64) CHARACTER SET ascii NOT NULL,
    version       INT UNSIGNED NOT NULL,
    title         VARCHAR(500) NOT NULL,
    scoring_rule  VARCHAR(32) CHARACTER SET ascii NOT NULL,
    respondents   VARCHAR(255) CHARACTER SET ascii NOT NULL, -- comma-separated roles
    targets       VARCHAR(255) CHARACTER SET ascii NOT NULL, -- comma-separated levels
    definition    LONGTEXT NOT NULL CHECK (JSON_VALID(definition)),
    status        ENUM('draft','published') NOT NULL DEFAULT 'draft',
    created_by    BIGINT UNSIGNED NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    published_at  TIMESTAMP NULL,
    UNIQUE KEY uq_instruments_code_version (code, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE campaigns (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_unit_id BIGINT UNSIGNED NOT NULL, -- the region (or municipality) that runs it
    title       VARCHAR(300) NOT NULL,
    year        SMALLINT UNSIGNED NOT NULL,
    opens_on    DATE NOT NULL,
    closes_on   DATE NOT NULL,
    created_by  BIGINT UNSIGNED NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_campaigns_unit (org_unit_id),
    CONSTRAINT fk_campaigns_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE campaign_instruments (
    campaign_id   BIGINT UNSIGNED NOT NULL,
    instrument_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (campaign_id, instrument_id),
    CONSTRAINT fk_ci_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_ci_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One sheet: an instrument filled for a target unit (a kindergarten or a group) and, for
-- personal sheets (a teacher's self-assessment, an expert's assessment), a person.
CREATE TABLE submissions (
    id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id      BIGINT UNSIGNED NOT NULL,
    instrument_id    BIGINT UNSIGNED NOT NULL,
    target_unit_id   BIGINT UNSIGNED NOT NULL,
    target_user_id   BIGINT UNSIGNED NOT NULL DEFAULT 0, -- 0: not a personal sheet
    kindergarten_id  BIGINT UNSIGNED NOT NULL,            -- for access and roll-ups
    respondent_role  VARCHAR(32) CHARACTER SET ascii NOT NULL,
    status           ENUM('draft','submitted','returned','approved') NOT NULL DEFAULT 'draft',
    version          INT UNSIGNED NOT NULL DEFAULT 1,     -- optimistic concurrency
    answers          LONGTEXT NOT NULL CHECK (JSON_VALID(answers)),
    answered_count   INT UNSIGNED NOT NULL DEFAULT 0,
    required_count   INT UNSIGNED NOT NULL DEFAULT 0,
    required_answered INT UNSIGNED NOT NULL DEFAULT 0,
    scores           LONGTEXT NULL CHECK (scores IS NULL OR JSON_VALID(scores)),
    overall_score    DECIMAL(5,2) NULL,
    created_by       BIGINT UNSIGNED NOT NULL,
    created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    submitted_at     TIMESTAMP NULL,
    UNIQUE KEY uq_submissions_target (campaign_id, instrument_id, target_unit_id, target_user_id),
    KEY ix_submissions_kindergarten (kindergarten_id, campaign_id),
    KEY ix_submissions_user (target_user_id),
    CONSTRAINT fk_submissions_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_submissions_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
    CONSTRAINT fk_submissions_unit FOREIGN KEY (target_unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_submissions_kindergarten FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The scores computed by the server when a sheet is submitted, one row per indicator,
-- area (section) and the whole sheet, so that profiles and means are plain SQL.
CREATE TABLE submission_scores (
    submission_id BIGINT UNSIGNED NOT NULL,
    kind          ENUM('indicator','section','overall') NOT NULL,
    code          VARCHAR(64) CHARACTER SET ascii NOT NULL,
    level         TINYINT UNSIGNED NULL,
    score         DECIMAL(6,3) NULL,
    PRIMARY KEY (submission_id, kind, code),
    CONSTRAINT fk_submission_scores FOREIGN KEY (submission_id) REFERENCES submissions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Status history: who moved the sheet, when, with which comments.
CREATE TABLE submission_events (
    id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    submission_id      BIGINT UNSIGNED NOT NULL,
    at                 TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    actor_id           BIGINT UNSIGNED NOT NULL,
    from_status        VARCHAR(16) CHARACTER SET ascii NULL,
    to_status          VARCHAR(16) CHARACTER SET ascii NOT NULL,
    comment            TEXT NULL,
    indicator_comments LONGTEXT NULL CHECK (indicator_comments IS NULL OR JSON_VALID(indicator_comments)),
    KEY ix_submission_events (submission_id, id),
    CONSTRAINT fk_submission_events FOREIGN KEY (submission_id) REFERENCES submissions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
