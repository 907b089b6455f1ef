-- Campaign stages (the plan-schedule), participation (all kindergartens or a sample),
-- municipal internal deadlines, reopenings for one kindergarten, calendar feed tokens.

-- Who takes part: every kindergarten under the campaign's unit, or the listed sample.
ALTER TABLE campaigns
    ADD COLUMN participation  ENUM('all','sample') NOT NULL DEFAULT 'all',
    ADD COLUMN sample_percent DECIMAL(5,2) NULL,      -- when drawn
    ADD COLUMN sample_seed    BIGINT UNSIGNED NULL;   -- when drawn

CREATE TABLE campaign_participants (
    campaign_id     BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (campaign_id, kindergarten_id),
    KEY ix_campaign_participants_kg (kindergarten_id),
    CONSTRAINT fk_cp_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_cp_unit FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One stage of a campaign: its window, the instrument it uses (none for a stage that is a
-- deadline only, e.g. the final reports) and who fills it. Within a campaign one kind
-- appears once, and an instrument with a respondent role belongs to one stage at most, so
-- a sheet (campaign + instrument + respondent role) is governed by at most one stage.
CREATE TABLE campaign_stages (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id   BIGINT UNSIGNED NOT NULL,
    kind          VARCHAR(32) CHARACTER SET ascii NOT NULL,
    title         VARCHAR(300) NOT NULL,
    position      SMALLINT UNSIGNED NOT NULL,
    instrument_id BIGINT UNSIGNED NULL,
    respondents   VARCHAR(255) CHARACTER SET ascii NOT NULL, -- comma-separated roles
    target_level  VARCHAR(16) CHARACTER SET ascii NOT NULL,  -- kindergarten | group | teacher | unit
    opens_on      DATE NOT NULL,
    closes_on     DATE NOT NULL,
    UNIQUE KEY uq_campaign_stages_kind (campaign_id, kind),
    KEY ix_campaign_stages_instrument (campaign_id, instrument_id),
    CONSTRAINT fk_cs_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_cs_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A municipality's earlier internal deadline for a stage: drives the calendar and "late",
-- it does not close the stage.
CREATE TABLE stage_deadlines (
    stage_id        BIGINT UNSIGNED NOT NULL,
    municipality_id BIGINT UNSIGNED NOT NULL,
    due_on          DATE NOT NULL,
    set_by          BIGINT UNSIGNED NOT NULL,
    set_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (stage_id, municipality_id),
    CONSTRAINT fk_sd_stage FOREIGN KEY (stage_id) REFERENCES campaign_stages (id),
    CONSTRAINT fk_sd_unit FOREIGN KEY (municipality_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A stage reopened for one kindergarten until a date (inclusive), with the reason.
CREATE TABLE stage_reopenings (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    stage_id        BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    until_on        DATE NOT NULL,
    reason          VARCHAR(1000) NOT NULL,
    created_by      BIGINT UNSIGNED NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_stage_reopenings (stage_id, kindergarten_id, until_on),
    CONSTRAINT fk_sr_stage FOREIGN KEY (stage_id) REFERENCES campaign_stages (id),
    CONSTRAINT fk_sr_unit FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The secret of a user's iCalendar feed, stored only as its SHA-256; rotating replaces it.
CREATE TABLE calendar_feeds (
    user_id    BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    token_hash BINARY(32) NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_calendar_feeds_hash (token_hash),
    CONSTRAINT fk_cf_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
