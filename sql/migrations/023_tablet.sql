-- The sheet as it was when a reviewer returned it: its answers and the photos and videos
-- linked to its indicators ([{indicator, file_id}]), kept on the return's event, so that the
-- reviewer of the resubmitted sheet sees what changed since (docs/api-forms.md, "What
-- changed since the return"). Events before this migration have none.
ALTER TABLE submission_events
    ADD COLUMN answers_snapshot LONGTEXT NULL,
    ADD COLUMN evidence_snapshot LONGTEXT NULL;

-- A campaign made by mistake is cancelled, not deleted: it stays with its sheets, hidden from
-- lists and dashboards by default (docs/api-campaigns.md, "Cancelling a campaign").
ALTER TABLE campaigns
    ADD COLUMN cancelled_at DATETIME NULL,
    ADD COLUMN cancelled_by BIGINT UNSIGNED NULL,
    ADD COLUMN cancel_reason VARCHAR(1000) NULL;
