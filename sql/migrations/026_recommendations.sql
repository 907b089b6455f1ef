-- Targeted recommendations (адресные рекомендации): from the region to a municipality or a
-- kindergarten, from a municipality to one of its kindergartens, tied to an area or an
-- indicator of the quality scales, with a due date. The receiver turns one into a task of
-- its improvement plan (plan_tasks.recommendation_id); the sender follows its status, which
-- is read from that task (docs/analysis.md).
CREATE TABLE recommendations (
    id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sender_unit_id   BIGINT UNSIGNED NOT NULL,   -- a region or a municipality
    receiver_unit_id BIGINT UNSIGNED NOT NULL,   -- a municipality or a kindergarten below it
    campaign_id      BIGINT UNSIGNED NULL,       -- the monitoring it follows from
    area_code        VARCHAR(64) CHARACTER SET ascii NULL,
    indicator_code   VARCHAR(64) CHARACTER SET ascii NULL,
    title            VARCHAR(300) NOT NULL,
    body             TEXT NOT NULL,
    due_on           DATE NOT NULL,
    plan_task_id     BIGINT UNSIGNED NULL,       -- the receiver's plan task made from it
    accepted_at      TIMESTAMP NULL,
    created_by       BIGINT UNSIGNED NOT NULL,
    created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_recommendations_receiver (receiver_unit_id, due_on),
    KEY ix_recommendations_sender (sender_unit_id, due_on),
    CONSTRAINT fk_recommendations_sender FOREIGN KEY (sender_unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_recommendations_receiver FOREIGN KEY (receiver_unit_id) REFERENCES org_units (id),
    CONSTRAINT fk_recommendations_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_recommendations_task FOREIGN KEY (plan_task_id) REFERENCES plan_tasks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE plan_tasks ADD COLUMN recommendation_id BIGINT UNSIGNED NULL AFTER campaign_id,
    ADD CONSTRAINT fk_plan_tasks_recommendation FOREIGN KEY (recommendation_id)
        REFERENCES recommendations (id);
