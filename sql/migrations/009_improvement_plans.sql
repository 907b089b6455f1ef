-- Improvement plans (планы повышения качества): tasks of a kindergarten's, a
-- municipality's or a region's plan, most of them drawn from weak indicators of a quality
-- profile or a dashboard.
CREATE TABLE plan_tasks (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    org_unit_id     BIGINT UNSIGNED NOT NULL,   -- whose plan: a region, municipality or kindergarten
    campaign_id     BIGINT UNSIGNED NULL,       -- the monitoring the task came from
    indicator_code  VARCHAR(64) CHARACTER SET ascii NULL,
    action          TEXT NOT NULL,
    responsible     VARCHAR(300) NOT NULL,
    due_on          DATE NOT NULL,
    status          ENUM('planned','in_progress','done','cancelled') NOT NULL DEFAULT 'planned',
    result          TEXT NULL,
    evidence        TEXT NULL,                  -- where the result can be seen (documents, links)
    version         INT UNSIGNED NOT NULL DEFAULT 1,
    created_by      BIGINT UNSIGNED NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    KEY ix_plan_tasks_unit (org_unit_id, due_on),
    CONSTRAINT fk_plan_tasks_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_plan_tasks_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
