-- Survey links of the parent questionnaire (НОКДО): one per kindergarten and campaign,
-- optionally one per group. The token is 128 bits of random text (Crockford's base32 in
-- lower case, 26 chars, easy to type from paper) that makes the public address /s/<token>;
-- the coordinator prints it again and again, so it is kept as is.
-- `responses` counts the answers that came through the link (kept in the transaction of
-- each answer, so the cap check needs no COUNT); `cap` NULL means no cap.
CREATE TABLE survey_links (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token           CHAR(26) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    campaign_id     BIGINT UNSIGNED NOT NULL,
    instrument_id   BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    group_id        BIGINT UNSIGNED NULL,
    -- 0 for the kindergarten's own link, else the group's id: one link per place
    place_id        BIGINT UNSIGNED AS (COALESCE(group_id, 0)) PERSISTENT,
    cap             INT UNSIGNED NULL,
    responses       INT UNSIGNED NOT NULL DEFAULT 0,
    closed_at       TIMESTAMP NULL,
    created_by      BIGINT UNSIGNED NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_survey_links_token (token),
    UNIQUE KEY uq_survey_links_place (campaign_id, instrument_id, kindergarten_id, place_id),
    KEY ix_survey_links_kindergarten (kindergarten_id, campaign_id),
    CONSTRAINT fk_survey_links_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_survey_links_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
    CONSTRAINT fk_survey_links_kindergarten FOREIGN KEY (kindergarten_id) REFERENCES org_units (id),
    CONSTRAINT fk_survey_links_group FOREIGN KEY (group_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Browsers that have answered through a link: SHA-256 of the link id and the random id of
-- the browser's cookie, nothing else (no time, no address, no link to the answer). Hashed
-- with the link id so that one browser cannot be followed from link to link.
CREATE TABLE survey_link_browsers (
    link_id      BIGINT UNSIGNED NOT NULL,
    browser_hash BINARY(32) NOT NULL,
    PRIMARY KEY (link_id, browser_hash),
    CONSTRAINT fk_survey_link_browsers_link FOREIGN KEY (link_id) REFERENCES survey_links (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE survey_responses
    ADD CONSTRAINT fk_survey_responses_link FOREIGN KEY (link_id) REFERENCES survey_links (id);
