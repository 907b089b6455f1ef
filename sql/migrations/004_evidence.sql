-- Evidence: resumable uploads (tus), stored files (content-addressed, deduplicated) and
-- their links to the indicators of sheets.

-- An upload in progress. The bytes so far are in uploads/partial/<id>; received is what the
-- database confirms as received (a longer file is cut back to it before the next chunk).
CREATE TABLE uploads (
    id              CHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    owner_id        BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    submission_id   BIGINT UNSIGNED NOT NULL,
    indicator_code  VARCHAR(64) CHARACTER SET ascii NOT NULL,
    filename        VARCHAR(255) NOT NULL,
    filetype        VARCHAR(127) CHARACTER SET ascii NULL,
    length          BIGINT UNSIGNED NOT NULL,
    received        BIGINT UNSIGNED NOT NULL DEFAULT 0, -- the Upload-Offset
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at      DATETIME NOT NULL,
    file_id         BIGINT UNSIGNED NULL,
    KEY ix_uploads_expires (expires_at),
    KEY ix_uploads_kindergarten (kindergarten_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A stored file: its bytes are uploads/objects/ab/cd/<sha256 hex>, shared by every row with
-- the same hash.
CREATE TABLE evidence_files (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sha256          BINARY(32) NOT NULL,
    size            BIGINT UNSIGNED NOT NULL,
    mime            VARCHAR(127) CHARACTER SET ascii NOT NULL,
    owner_id        BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    original_name   VARCHAR(255) NOT NULL,
    declared_type   VARCHAR(127) CHARACTER SET ascii NULL,
    caption         VARCHAR(1000) NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_evidence_files_sha (sha256),
    KEY ix_evidence_files_kindergarten (kindergarten_id),
    CONSTRAINT fk_evidence_files_unit FOREIGN KEY (kindergarten_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE evidence_links (
    file_id         BIGINT UNSIGNED NOT NULL,
    submission_id   BIGINT UNSIGNED NOT NULL,
    indicator_code  VARCHAR(64) CHARACTER SET ascii NOT NULL,
    created_by      BIGINT UNSIGNED NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (submission_id, indicator_code, file_id),
    KEY ix_evidence_links_file (file_id),
    CONSTRAINT fk_evidence_links_file FOREIGN KEY (file_id) REFERENCES evidence_files (id),
    CONSTRAINT fk_evidence_links_submission FOREIGN KEY (submission_id) REFERENCES submissions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row: when the last sweep of expired uploads ran (workers take turns through it).
CREATE TABLE maintenance_runs (
    task    VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
    ran_at  DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO maintenance_runs (task, ran_at) VALUES ('upload_sweep', '2000-01-01 00:00:00');
