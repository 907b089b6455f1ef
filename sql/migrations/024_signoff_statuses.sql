-- The analysis stage (docs/analysis.md): the sign-off of a kindergarten's results for a
-- campaign by the levels above it, and the status the region gives a kindergarten from its
-- results.

-- Which levels sign a campaign's results, in order ('municipality,region', 'region' or
-- 'municipality'). A campaign without a row uses the default, municipality then region.
CREATE TABLE signoff_levels (
    campaign_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    levels      VARCHAR(40) CHARACTER SET ascii NOT NULL,
    updated_by  BIGINT UNSIGNED NULL,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_signoff_levels_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where a kindergarten's results stand: `signed` levels of the chain have confirmed them;
-- `returned_by` names the level whose send-back is not answered yet (its comment beside it);
-- `confirmed` is 1 once the top required level has confirmed (the dashboards' confirmed=1).
CREATE TABLE signoffs (
    campaign_id     BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    signed          TINYINT UNSIGNED NOT NULL DEFAULT 0,
    returned_by     VARCHAR(16) CHARACTER SET ascii NULL,
    comment         TEXT NULL,
    confirmed       TINYINT(1) NOT NULL DEFAULT 0,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (campaign_id, kindergarten_id),
    KEY ix_signoffs_confirmed (campaign_id, confirmed, kindergarten_id),
    CONSTRAINT fk_signoffs_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_signoffs_kindergarten FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The history of the sign-off: every confirmation, send-back and resubmission.
CREATE TABLE signoff_events (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id     BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    level           VARCHAR(16) CHARACTER SET ascii NOT NULL, -- kindergarten, municipality, region
    action          VARCHAR(16) CHARACTER SET ascii NOT NULL, -- confirm, return, resubmit
    comment         TEXT NULL,
    actor_id        BIGINT UNSIGNED NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_signoff_events_kg (campaign_id, kindergarten_id, id),
    CONSTRAINT fk_signoff_events_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_signoff_events_kindergarten FOREIGN KEY (kindergarten_id) REFERENCES org_units (id),
    CONSTRAINT fk_signoff_events_actor FOREIGN KEY (actor_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The region's status bands of a campaign: the source of the figures they read and the
-- bands from the highest down, as JSON [{"name", "min_overall", "min_sections": {code: v}}].
CREATE TABLE status_scales (
    campaign_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    source      VARCHAR(16) CHARACTER SET ascii NOT NULL,
    bands       TEXT NOT NULL,
    updated_by  BIGINT UNSIGNED NULL,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_status_scales_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The status a kindergarten was given for a campaign (the campaign's year beside it, so that
-- the profile lists them by year): the band's name as it was, the one proposed then, and the
-- reason of an override.
CREATE TABLE kindergarten_statuses (
    campaign_id     BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    year            SMALLINT UNSIGNED NOT NULL,
    status          VARCHAR(100) NOT NULL,
    proposed        VARCHAR(100) NULL,
    reason          VARCHAR(2000) NULL,
    assigned_by     BIGINT UNSIGNED NOT NULL,
    assigned_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (campaign_id, kindergarten_id),
    KEY ix_kindergarten_statuses_kg (kindergarten_id, year),
    CONSTRAINT fk_kg_statuses_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_kg_statuses_kindergarten FOREIGN KEY (kindergarten_id) REFERENCES org_units (id),
    CONSTRAINT fk_kg_statuses_user FOREIGN KEY (assigned_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
