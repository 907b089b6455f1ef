-- Analytic reports («аналитическая справка») of a kindergarten, a municipality or the region
-- for a campaign (docs/analysis.md, "Analytic reports"): the figures are compiled from the
-- dashboards' views when the report is read; the coordinator's texts live here. A published
-- report keeps the figures it was published with (snapshot), so that the signed document
-- does not change under its readers; a return clears it.
CREATE TABLE analytic_reports (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_unit_id    BIGINT UNSIGNED NOT NULL,
    campaign_id    BIGINT UNSIGNED NOT NULL,
    instrument_id  BIGINT UNSIGNED NOT NULL,
    status         ENUM('draft','sent','published','returned') NOT NULL DEFAULT 'draft',
    intro          TEXT NULL,
    conclusions    TEXT NULL,
    measures       TEXT NULL,
    return_comment TEXT NULL,
    snapshot       LONGTEXT NULL,
    version        INT UNSIGNED NOT NULL DEFAULT 1,
    created_by     BIGINT UNSIGNED NOT NULL,
    created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    sent_at        DATETIME NULL,
    published_at   DATETIME NULL,
    UNIQUE KEY ux_analytic_reports_unit (org_unit_id, campaign_id, instrument_id),
    KEY ix_analytic_reports_campaign (campaign_id, status),
    CONSTRAINT fk_analytic_reports_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_analytic_reports_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_analytic_reports_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Yearly targets (docs/analysis.md, "Yearly targets"): the score a unit should reach in a
-- year on an instrument (by its code, so that the target outlives the campaign), overall, in
-- an area or on an indicator, one decimal. `origin` says who set it: `above` — a coordinator
-- of a level above the unit; `own` — the unit's own coordinator, never below the one set
-- above. The target in force is the higher of the two.
CREATE TABLE unit_targets (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_unit_id     BIGINT UNSIGNED NOT NULL,
    year            SMALLINT UNSIGNED NOT NULL,
    instrument_code VARCHAR(64) CHARACTER SET ascii NOT NULL,
    kind            ENUM('overall','section','indicator') NOT NULL,
    code            VARCHAR(64) CHARACTER SET ascii NOT NULL,
    origin          ENUM('above','own') NOT NULL,
    value_tenths    SMALLINT UNSIGNED NOT NULL,
    set_by          BIGINT UNSIGNED NOT NULL,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY ux_unit_targets (org_unit_id, year, instrument_code, kind, code, origin),
    CONSTRAINT fk_unit_targets_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
