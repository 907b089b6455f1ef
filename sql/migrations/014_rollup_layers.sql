-- Result rollups in two layers (docs/api-dashboards.md, "How a figure is made"): at a
-- kindergarten and below a row sums sheets, above it a row sums kindergartens (each the mean
-- of its sheets), and every sum is kept to 20 decimals so that a mean shown with one decimal
-- is the exact value's. The rows of the old model (sums of sheets at every level, three
-- decimals) are removed: run `make rollups` (vsokd rebuild-rollups) once after this
-- migration, as after 007.
ALTER TABLE rollup_results MODIFY sum DECIMAL(30,20) NOT NULL DEFAULT 0;
DELETE FROM rollup_results;
