-- A sheet's area and overall scores are kept exact (docs/figures.md, R2 and R4): fifteen
-- decimals instead of two (overall_score) or three (the scores), so
-- that a figure is rounded once, where shown, and never twice (58/27 = 2.148… was stored
-- 2.15 and shown 2,2 while its score said 2,1). The rollups' sums are widened by
-- migration 014 (twenty decimals). Existing rows take
-- their exact means back from the scores each sheet keeps as JSON.
ALTER TABLE submissions MODIFY overall_score DECIMAL(20,15) NULL;
ALTER TABLE submission_scores MODIFY score DECIMAL(20,15) NULL;

UPDATE submissions
   SET overall_score = JSON_VALUE(scores, '$.overall.mean')
 WHERE overall_score IS NOT NULL AND JSON_VALUE(scores, '$.overall.mean') IS NOT NULL;

UPDATE submission_scores sc
  JOIN submissions s ON s.id = sc.submission_id
  JOIN JSON_TABLE(s.scores, '$.sections[*]'
         COLUMNS (code VARCHAR(64) PATH '$.code', mean DOUBLE PATH '$.mean')) j
    ON j.code = sc.code
   SET sc.score = j.mean
 WHERE sc.kind = 'section' AND j.mean IS NOT NULL;

UPDATE submission_scores sc
  JOIN submissions s ON s.id = sc.submission_id
   SET sc.score = JSON_VALUE(s.scores, '$.overall.mean')
 WHERE sc.kind = 'overall' AND JSON_VALUE(s.scores, '$.overall.mean') IS NOT NULL;

-- The rollups' sums follow from the exact scores: `make rollups` (or POST
-- /api/v1/admin/rollups/rebuild) recomputes them; until then they keep the old sums.
