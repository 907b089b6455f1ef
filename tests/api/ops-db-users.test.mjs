// Two database users (docs/runtime.md, "Database users"): the schema owner runs the
// migrations; vsokd connects as the application's user, which may read and write the rows
// of its tables but change no schema, and only append to audit_log. Every other test of
// the suite runs against vsokd connected that way, so its rights are also enough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, VAR, masterPid, processEnv } from './lib.mjs';
import { query } from './fixtures-org.mjs';

/** SQL as the application's user vsok_app; resolves { code, stdout, stderr }. */
function asApp(sql) {
  const password = readFileSync(path.join(VAR, 'secrets', 'db-app.password'), 'utf8').trim();
  const args = ['--no-defaults', '-S', path.join(VAR, 'run', 'mysqld.sock'), '-u', 'vsok_app', `-p${password}`, 'vsok', '-B', '-N', '-e', sql];
  return new Promise((resolve) => {
    execFile('mariadb', args, { timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

test('vsokd connects as the application user vsok_app, not as the schema owner', () => {
  const env = processEnv(masterPid());
  assert.equal(env.VSOK_DB_USER, 'vsok_app');
  assert.equal(env.VSOK_DB_PASSWORD_FILE, path.join(VAR, 'secrets', 'db-app.password'));
});

test('the application user appends to audit_log but cannot empty, change or unprotect it', async () => {
  const ins = await asApp("INSERT INTO audit_log (action, entity) VALUES ('ops.probe', 'test')");
  assert.equal(ins.code, 0, `it appends: ${ins.stderr}`);
  const [[count0]] = await query('SELECT COUNT(*) FROM audit_log');
  const r = await asApp('SELECT COUNT(*) FROM audit_log');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), count0, 'it reads audit_log');
  const [[id]] = await query('SELECT MAX(id) FROM audit_log');
  const attempts = [
    'TRUNCATE TABLE audit_log',
    'DELETE FROM audit_log',
    `UPDATE audit_log SET action = 'tampered' WHERE id = ${id}`,
    'DROP TRIGGER audit_log_no_delete',
    'ALTER TABLE audit_log ENGINE = InnoDB',
    'DROP TABLE audit_log',
    'RENAME TABLE audit_log TO audit_log_gone',
    'CREATE TABLE audit_log_copy LIKE audit_log',
  ];
  for (const sql of attempts) {
    const a = await asApp(sql);
    assert.notEqual(a.code, 0, `${sql}: accepted`);
    // refused for want of the right (1142 table, 1044 database), not a syntax or connection error
    assert.match(a.stderr, /ERROR (1142|1044) /, `${sql}: ${a.stderr}`);
  }
  const [[count1]] = await query('SELECT COUNT(*) FROM audit_log');
  assert.equal(count1, count0, 'nothing removed');
  const [[triggers]] = await query(
    "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE() AND event_object_table = 'audit_log'",
  );
  assert.equal(triggers, '2', 'the append-only triggers are in place');
});

test('the application user changes no schema: no DDL on the ordinary tables', async () => {
  for (const sql of [
    'TRUNCATE TABLE users',
    'DROP TABLE submissions',
    'ALTER TABLE users ADD COLUMN x INT',
    'CREATE TABLE ops_probe (id INT)',
    'DROP TRIGGER rollup_units_user_insert',
    'CREATE VIEW ops_probe AS SELECT 1',
    'DELETE FROM schema_migrations',
  ]) {
    const a = await asApp(sql);
    assert.notEqual(a.code, 0, `${sql}: accepted`);
    assert.match(a.stderr, /ERROR (1142|1044) /, `${sql}: ${a.stderr}`);
  }
});

test('the application user may rebuild rollups through shadow tables (CREATE, RENAME, DROP on rollup_*)', async () => {
  const sql = [
    'CREATE TABLE rollup_units_new LIKE rollup_units',
    'INSERT INTO rollup_units_new SELECT * FROM rollup_units',
    'RENAME TABLE rollup_units TO rollup_units_old, rollup_units_new TO rollup_units',
    'DROP TABLE rollup_units_old',
  ].join('; ');
  const [[before]] = await query('SELECT COUNT(*) FROM rollup_units');
  const a = await asApp(sql);
  assert.equal(a.code, 0, a.stderr);
  const [[after]] = await query('SELECT COUNT(*) FROM rollup_units');
  assert.equal(after, before);
});

test('sql/db.sh migrate refuses to run when vsokd would connect as the schema owner', async () => {
  const r = await new Promise((resolve) => {
    execFile(path.join(REPO, 'sql', 'db.sh'), ['migrate'], { env: { PATH: process.env.PATH, VAR, VSOK_DB_USER: 'vsok' }, timeout: 60000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /schema owner/);
});
