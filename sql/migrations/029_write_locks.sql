-- Rows that serialise one kind of write across every worker and host (docs/figures.md,
-- "Concurrent changes"). 'rollups': a sheet's status change, a parent's answer and a unit
-- move take this row FOR UPDATE after their kindergarten's lock, just before they add their
-- deltas to the rollup rows of the units above. Without it, two changes in different
-- kindergartens of one municipality lock the shared municipality and region rows in
-- different orders (and the gaps of rows not yet there) and deadlock under load. Nothing
-- else locks these rows, and they are always taken last, so they add no new wait cycle.
CREATE TABLE write_locks (
    name VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO write_locks (name) VALUES ('rollups');
