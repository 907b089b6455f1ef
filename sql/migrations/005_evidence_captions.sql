-- Captions belong to the link (sheet, indicator, file), not to the stored file: the same photo
-- attached to two indicators says a different thing under each. An upload carries the caption
-- given in its Upload-Metadata until it completes. The orphan sweep of stored objects takes
-- its own turn (once a day), apart from the sweep of expired uploads.
ALTER TABLE evidence_links ADD COLUMN caption VARCHAR(1000) NULL AFTER indicator_code;
ALTER TABLE uploads ADD COLUMN caption VARCHAR(1000) NULL AFTER filetype;
UPDATE evidence_links l JOIN evidence_files f ON f.id = l.file_id
   SET l.caption = f.caption WHERE f.caption IS NOT NULL;
ALTER TABLE evidence_files DROP COLUMN caption;
INSERT INTO maintenance_runs (task, ran_at) VALUES ('object_sweep', '2000-01-01 00:00:00');
