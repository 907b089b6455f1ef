-- The turn of the periodic reminders (a stage opens, its deadline is near).
INSERT INTO maintenance_runs (task, ran_at) VALUES ('reminders', '2000-01-01 00:00:00');
