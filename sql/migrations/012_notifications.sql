-- In-app notifications (the bell) and the outgoing mail that repeats them when e-mail is on.
CREATE TABLE notifications (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT UNSIGNED NOT NULL,
    kind        VARCHAR(32) CHARACTER SET ascii NOT NULL, -- sheet_returned, assignment, ...
    title       VARCHAR(300) NOT NULL,
    body        TEXT NULL,
    link        VARCHAR(500) NULL,                        -- a path of the SPA
    dedup_key   VARCHAR(120) CHARACTER SET ascii NULL,    -- one notification per key and user
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    read_at     TIMESTAMP NULL,
    UNIQUE KEY uq_notifications_dedup (user_id, dedup_key),
    KEY ix_notifications_user (user_id, read_at, id),
    CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: queued (to be sent), recorded (VSOK_MAIL=record: kept, never sent), sent, failed.
CREATE TABLE mail_outbox (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    notification_id BIGINT UNSIGNED NOT NULL,
    to_address      VARCHAR(254) NOT NULL,
    subject         VARCHAR(300) NOT NULL,
    body            TEXT NOT NULL,
    status          ENUM('queued','recorded','sent','failed') NOT NULL,
    attempts        INT UNSIGNED NOT NULL DEFAULT 0,
    last_error      VARCHAR(500) NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    sent_at         TIMESTAMP NULL,
    KEY ix_mail_outbox_status (status, id),
    CONSTRAINT fk_mail_outbox_notification FOREIGN KEY (notification_id) REFERENCES notifications (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO maintenance_runs (task, ran_at) VALUES ('mail_send', '2000-01-01 00:00:00');
