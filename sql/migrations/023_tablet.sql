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

-- «Забыли пароль?» where mail is configured (docs/api-org.md, "Password reset by e-mail"): a
-- link with a random token, of which only the SHA-256 is kept; it works once and for 30
-- minutes. Mail that belongs to no notification (the reset link) has no notification_id.
CREATE TABLE password_reset_tokens (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id    BIGINT UNSIGNED NOT NULL,
    token_hash CHAR(64) NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME NULL,
    UNIQUE KEY ux_password_reset_hash (token_hash),
    KEY ix_password_reset_user (user_id, created_at),
    CONSTRAINT fk_password_reset_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE mail_outbox MODIFY notification_id BIGINT UNSIGNED NULL;
