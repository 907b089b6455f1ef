-- Foundation schema: the org unit tree, users and refresh tokens.

CREATE TABLE org_units (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    parent_id   BIGINT UNSIGNED NULL,
    level       ENUM('region','municipality','kindergarten','group') NOT NULL,
    -- materialised path of ids from the root, e.g. '/1/7/112/'
    path        VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name        VARCHAR(500) NOT NULL,
    short_name  VARCHAR(200) NULL,
    code        VARCHAR(64) NULL,
    address     VARCHAR(500) NULL,
    active      TINYINT(1) NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_org_units_path (path),
    KEY ix_org_units_parent (parent_id),
    CONSTRAINT fk_org_units_parent FOREIGN KEY (parent_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
    id                   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    login                VARCHAR(64) NOT NULL,
    password_hash        VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    full_name            VARCHAR(300) NOT NULL,
    email                VARCHAR(254) NULL,
    phone                VARCHAR(32) NULL,
    role                 ENUM('administrator','region_coordinator','municipal_coordinator',
                              'doo_coordinator','teacher','expert') NOT NULL,
    org_unit_id          BIGINT UNSIGNED NOT NULL,
    active               TINYINT(1) NOT NULL DEFAULT 1,
    must_change_password TINYINT(1) NOT NULL DEFAULT 0,
    failed_logins        INT UNSIGNED NOT NULL DEFAULT 0,
    locked_until         DATETIME NULL,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_users_login (login),
    KEY ix_users_org_unit (org_unit_id),
    CONSTRAINT fk_users_org_unit FOREIGN KEY (org_unit_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refresh tokens are stored only as SHA-256 hashes. Every rotation keeps the family id;
-- presenting a token that was already used revokes the whole family.
CREATE TABLE refresh_tokens (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT UNSIGNED NOT NULL,
    family      BINARY(16) NOT NULL,
    token_hash  BINARY(32) NOT NULL,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME NULL,
    revoked_at  DATETIME NULL,
    UNIQUE KEY uq_refresh_tokens_hash (token_hash),
    KEY ix_refresh_tokens_family (family),
    KEY ix_refresh_tokens_user (user_id),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
