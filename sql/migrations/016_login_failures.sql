-- The back-off of password guesses counts per login name, whether or not an account has
-- that name, so that it does not tell which logins exist (docs/api-org.md, "Sign-in and
-- passwords"). Wrong current passwords given to POST /me/password count here too. The
-- name compares like users.login (case-insensitively). Rows of names that have not failed
-- for a day are removed as new failures come in.
CREATE TABLE login_failures (
    login           VARCHAR(64) NOT NULL PRIMARY KEY,
    failures        INT UNSIGNED NOT NULL DEFAULT 0,
    locked_until    DATETIME NULL,
    last_failure_at DATETIME NOT NULL,
    KEY ix_login_failures_last (last_failure_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The per-account counters they replace. session_version: carried by every access token
-- (claim "sv") and raised when the password is changed or reset, so that the access tokens
-- issued before stop working at once, not only the refresh tokens (docs/api-org.md).
ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until,
    ADD COLUMN session_version INT UNSIGNED NOT NULL DEFAULT 0;
