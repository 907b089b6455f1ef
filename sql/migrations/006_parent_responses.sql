-- Parent questionnaire answers (НОКДО) and the number of children enrolled per group (the
-- denominator of the response rate). A response is anonymous: no user, no IP address, no
-- user agent, and its date only to the day.
ALTER TABLE org_units ADD COLUMN children_enrolled INT UNSIGNED NULL AFTER address;

CREATE TABLE survey_responses (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    campaign_id     BIGINT UNSIGNED NOT NULL,
    instrument_id   BIGINT UNSIGNED NOT NULL,
    kindergarten_id BIGINT UNSIGNED NOT NULL,
    group_id        BIGINT UNSIGNED NULL,     -- when the link was made for one group
    link_id         BIGINT UNSIGNED NULL,     -- the survey link it came through, if any
    answers         LONGTEXT NOT NULL CHECK (JSON_VALID(answers)),
    answered_on     DATE NOT NULL,
    KEY ix_survey_responses_kindergarten (kindergarten_id, campaign_id),
    KEY ix_survey_responses_campaign (campaign_id, instrument_id),
    CONSTRAINT fk_survey_responses_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id),
    CONSTRAINT fk_survey_responses_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
    CONSTRAINT fk_survey_responses_kindergarten FOREIGN KEY (kindergarten_id) REFERENCES org_units (id),
    CONSTRAINT fk_survey_responses_group FOREIGN KEY (group_id) REFERENCES org_units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
