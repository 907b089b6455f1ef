// Backup and restore (sql/db.sh backup | restore, sql/backup.sh): a backup of the running
// test stack (data, evidence, audit entries, signing key, a configuration directory) is
// checked against its checksums, a damaged one or a dump that fails leaves no backup
// behind or is refused, and the round trip into a fresh stack of its own (own MariaDB,
// vsokd, nginx on a free port) gives back the same rows, the same evidence bytes
// (SHA-256), the same audit log, and logins, tokens and refresh cookies that still work.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO, VAR, login, getSetCookie, masterPid, processEnv, freePort } from './lib.mjs';
import { RUN, query, createUnit, deactivate } from './fixtures-org.mjs';

const RESTORED = path.join(VAR, `ops-restored-${RUN}`); // the fresh stack's state
const BACKUPS = path.join(VAR, `ops-backups-${RUN}`);
const CONFIG = path.join(BACKUPS, 'etc-vsok'); // a configuration directory to save
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const objectPath = (uploads, hex) => path.join(uploads, 'objects', hex.slice(0, 2), hex.slice(2, 4), hex);

/** Environment for the scripts: the running vsokd's own (binary, sanitizer options, mail). */
function scriptEnv(extra = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  let bin = path.join(REPO, 'build', 'asan', 'vsokd');
  try {
    const pid = masterPid();
    const menv = processEnv(pid);
    bin = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] || bin;
    for (const [k, v] of Object.entries(menv)) if (/^(ASAN|LSAN|UBSAN)_OPTIONS$|^VSOK_MAIL$|^VSOK_MAX_REQUESTS$/.test(k)) env[k] = v;
  } catch {
    /* keep the default */
  }
  return { ...env, VSOK_BIN: bin, ...extra };
}

/** Runs a script of the repository; resolves { code, stdout, stderr }. */
function run(script, args, env) {
  return new Promise((resolve) => {
    execFile(path.join(REPO, script), args, { env, cwd: REPO, timeout: 300000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
const show = (r) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** SQL as the schema owner against the MariaDB of a stack's state directory; rows as arrays. */
const queryAt = (dir) => (sql) => {
  const password = readFileSync(path.join(dir, 'secrets', 'db.password'), 'utf8').trim();
  const args = ['--no-defaults', '--default-character-set=utf8mb4', '-S', path.join(dir, 'run', 'mysqld.sock'), '-u', 'vsok', `-p${password}`, 'vsok', '-B', '-N', '-e', sql];
  return new Promise((resolve, reject) => {
    execFile('mariadb', args, { timeout: 60000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${sql}: ${stderr}`));
      else resolve(stdout.split('\n').filter((l) => l.length).map((l) => l.split('\t')));
    });
  });
};
const querySource = queryAt(VAR);
const queryRestored = queryAt(RESTORED);

/** The evidence objects under an uploads directory (names: their SHA-256). */
function objectsIn(uploads) {
  const out = [];
  const root = path.join(uploads, 'objects');
  if (!existsSync(root)) return out;
  for (const a of readdirSync(root)) for (const b of readdirSync(path.join(root, a))) out.push(...readdirSync(path.join(root, a, b)));
  return out.sort();
}

async function requestAt(base, urlPath, { method = 'GET', json, token, cookie } = {}) {
  const headers = {};
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(base + urlPath, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), signal: AbortSignal.timeout(30000) });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: body };
}

// What must come back the same: rows of the tables that hold the monitoring's data, each
// table as one digest (the queries run alike on both databases).
const DIGESTS = {
  org_units: 'SELECT id, parent_id, level, path, name, code, active FROM org_units',
  users: 'SELECT id, login, password_hash, full_name, role, org_unit_id, active FROM users',
  campaigns: 'SELECT * FROM campaigns',
  submissions: 'SELECT * FROM submissions',
  submission_scores: 'SELECT * FROM submission_scores',
  survey_responses: 'SELECT * FROM survey_responses',
  evidence_files: 'SELECT * FROM evidence_files',
  evidence_links: 'SELECT * FROM evidence_links',
  expert_assignments: 'SELECT * FROM expert_assignments',
  instruments: 'SELECT * FROM instruments',
};

async function digests(q, auditMax) {
  const out = {};
  for (const [name, sql] of Object.entries(DIGESTS)) {
    const rows = await q(`${sql} ORDER BY 1, 2`);
    out[name] = `${rows.length} ${sha256(rows.map((r) => r.join('\t')).join('\n'))}`;
  }
  const audit = await q(`SELECT id, at, actor_id, actor_login, action, entity, entity_id, unit_path, changes FROM audit_log WHERE id <= ${auditMax} ORDER BY id`);
  out.audit_log = `${audit.length} ${sha256(audit.map((r) => r.join('\t')).join('\n'))}`;
  return out;
}

const S = {}; // what the tests share

after(async () => {
  if (existsSync(RESTORED)) await run('backend/deploy/stack.sh', ['stop'], scriptEnv({ VAR: RESTORED }));
  rmSync(RESTORED, { recursive: true, force: true });
  rmSync(BACKUPS, { recursive: true, force: true });
  if (S.evidence) {
    await query(`DELETE FROM evidence_files WHERE id = ${S.evidence.id}`);
    rmSync(objectPath(path.join(VAR, 'uploads'), S.evidence.hex), { force: true });
  }
});

test('backup: the running stack with data, evidence, audit entries, key and configuration, checked', async () => {
  mkdirSync(CONFIG, { recursive: true });
  writeFileSync(path.join(CONFIG, 'vsokd.env'), `VSOK_PUBLIC_URL=https://ops-${RUN}.example\n`);
  // an audited change, a session (access token, refresh cookie), an evidence file
  S.admin = await login('admin');
  const region = (await query("SELECT id FROM org_units WHERE parent_id IS NULL AND level = 'region' ORDER BY id LIMIT 1"))[0][0];
  const unit = await createUnit(S.admin.token, { parent_id: Number(region), level: 'municipality', name: `Резервная копия ${RUN}` });
  await deactivate(S.admin.token, { units: [unit.id] });
  const bytes = randomBytes(4096);
  const hex = sha256(bytes);
  const obj = objectPath(path.join(VAR, 'uploads'), hex);
  mkdirSync(path.dirname(obj), { recursive: true });
  writeFileSync(obj, bytes, { mode: 0o640 });
  const [[owner, kg]] = await query("SELECT u.id, u.org_unit_id FROM users u WHERE u.login = 'teacher'");
  const [[id]] = await query(
    `INSERT INTO evidence_files (sha256, size, mime, owner_id, kindergarten_id, original_name) VALUES (UNHEX('${hex}'), ${bytes.length}, 'image/png', ${owner}, ${kg}, 'ops-${RUN}.png'); SELECT LAST_INSERT_ID()`,
  );
  S.evidence = { id: Number(id), hex };

  const [[auditMax]] = await query('SELECT MAX(id) FROM audit_log');
  assert.ok(Number(auditMax) > 0, 'audit entries');
  S.auditMax = Number(auditMax);
  S.before = await digests(querySource, S.auditMax);
  S.objects = objectsIn(path.join(VAR, 'uploads'));
  assert.ok(S.objects.includes(hex));

  S.dir = path.join(BACKUPS, 'nightly');
  const r = await run('sql/db.sh', ['backup', S.dir], scriptEnv({ VAR, VSOK_CONFIG_DIR: CONFIG }));
  assert.equal(r.code, 0, show(r));
  assert.ok(!existsSync(`${S.dir}.part`), 'no .part left');
  const sums = readFileSync(path.join(S.dir, 'SHA256SUMS'), 'utf8');
  for (const f of ['database.sql.gz', 'backup.info', 'secrets/jwt.key', 'config/vsokd.env']) {
    assert.match(sums, new RegExp(`^[0-9a-f]{64}  ${f.replace('.', '\\.')}$`, 'm'), `${f} in SHA256SUMS`);
  }
  assert.ok(sums.includes(`${hex}  objects/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}\n`), 'the evidence file by content address');
  assert.deepEqual(readFileSync(path.join(S.dir, 'objects', hex.slice(0, 2), hex.slice(2, 4), hex)), bytes);
  const info = readFileSync(path.join(S.dir, 'backup.info'), 'utf8');
  assert.equal(Number(/^evidence_files (\d+)$/m.exec(info)[1]), S.objects.length, info);
  const check = await new Promise((resolve) =>
    execFile('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: S.dir }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })),
  );
  assert.equal(check.code, 0, `sha256sum -c: ${check.stdout}${check.stderr}`);
  // the dump is whole and has the audit log's rows
  const dump = await new Promise((resolve) => execFile('bash', ['-c', `gzip -dc '${S.dir}/database.sql.gz' | tail -n 1`], (e, out) => resolve(out)));
  assert.match(dump, /^-- Dump completed/);
});

test('backup: a dump that fails (wrong password) exits non-zero and leaves no backup', async () => {
  const bad = path.join(BACKUPS, 'wrong.password');
  writeFileSync(bad, 'not-the-password\n', { mode: 0o600 });
  const dir = path.join(BACKUPS, 'failed');
  const r = await run('sql/db.sh', ['backup', dir], scriptEnv({ VAR, VSOK_DB_OWNER_PASSWORD_FILE: bad }));
  assert.notEqual(r.code, 0, show(r));
  assert.ok(!existsSync(dir), 'no backup directory under the name');
  // and a second backup into an existing directory is refused
  assert.ok(S.dir && existsSync(S.dir), 'the backup test ran');
  const again = await run('sql/db.sh', ['backup', S.dir], scriptEnv({ VAR }));
  assert.notEqual(again.code, 0, show(again));
});

test('backup: the next night links the evidence files already in the previous backup (VSOK_BACKUP_LINK_DEST)', async () => {
  assert.ok(S.dir && existsSync(S.dir), 'the backup test ran');
  const dir = path.join(BACKUPS, 'next-night');
  const r = await run('sql/db.sh', ['backup', dir], scriptEnv({ VAR, VSOK_BACKUP_LINK_DEST: S.dir }));
  assert.equal(r.code, 0, show(r));
  const rel = path.join('objects', S.evidence.hex.slice(0, 2), S.evidence.hex.slice(2, 4), S.evidence.hex);
  assert.equal(statSync(path.join(dir, rel)).ino, statSync(path.join(S.dir, rel)).ino, 'a hard link to the previous copy');
  const check = await new Promise((resolve) =>
    execFile('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr })),
  );
  assert.equal(check.code, 0, `sha256sum -c: ${check.stdout}${check.stderr}`);
});

test('restore: refuses a backup that does not match its checksums, then restores into a fresh stack', async () => {
  assert.ok(S.dir, 'the backup test ran');
  const env = scriptEnv({ VAR: RESTORED, VSOK_CONFIG_DIR: path.join(RESTORED, 'etc') });
  let r = await run('sql/db.sh', ['start'], env);
  assert.equal(r.code, 0, show(r));
  // a damaged copy of the signing key: nothing is restored
  const key = path.join(S.dir, 'secrets', 'jwt.key');
  const size = statSync(key).size;
  appendFileSync(key, 'x');
  r = await run('sql/db.sh', ['restore', S.dir], env);
  truncateSync(key, size);
  assert.notEqual(r.code, 0, show(r));
  assert.match(r.stderr, /checksums/, show(r));
  assert.deepEqual(await queryRestored('SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()'), [['0']]);

  r = await run('sql/db.sh', ['restore', S.dir], env);
  assert.equal(r.code, 0, show(r));
  // into a database that has tables only with --replace
  const again = await run('sql/db.sh', ['restore', S.dir], env);
  assert.notEqual(again.code, 0, show(again));
  assert.match(again.stderr, /--replace/);

  S.port = await freePort();
  r = await run('backend/deploy/stack.sh', ['start'], { ...env, PORT: String(S.port), VSOK_HTTP_HOST: '127.0.0.1', VSOK_SEED_DEMO: '0' });
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /database is up to date/, 'no migration was missing after the restore');
});

test('restore: the same rows, audit log, evidence bytes, key and configuration', async () => {
  assert.ok(S.port, 'the restored stack runs');
  assert.deepEqual(await digests(queryRestored, S.auditMax), S.before);
  const [[max]] = await queryRestored('SELECT MAX(id) FROM audit_log');
  assert.ok(Number(max) >= S.auditMax);
  // every evidence file's bytes are back, by content address, and hash to their name
  const uploads = path.join(RESTORED, 'uploads');
  assert.deepEqual(objectsIn(uploads), S.objects);
  for (const h of S.objects) assert.equal(sha256(readFileSync(objectPath(uploads, h))), h, `object ${h} bytes`);
  const [[sha]] = await queryRestored(`SELECT LOWER(HEX(sha256)) FROM evidence_files WHERE id = ${S.evidence.id}`);
  assert.equal(sha, S.evidence.hex, 'the test evidence row');
  assert.ok(!existsSync(path.join(uploads, 'partial')) || readdirSync(path.join(uploads, 'partial')).length === 0);
  const [[unfinished]] = await queryRestored('SELECT COUNT(*) FROM uploads WHERE file_id IS NULL');
  assert.equal(unfinished, '0', 'uploads in progress (bytes not saved) are forgotten');
  assert.equal(readFileSync(path.join(RESTORED, 'secrets', 'jwt.key'), 'utf8'), readFileSync(path.join(VAR, 'secrets', 'jwt.key'), 'utf8'));
  assert.equal(statSync(path.join(RESTORED, 'secrets', 'jwt.key')).mode & 0o777, 0o600);
  assert.equal(readFileSync(path.join(RESTORED, 'etc', 'vsokd.env'), 'utf8'), readFileSync(path.join(CONFIG, 'vsokd.env'), 'utf8'));
});

test('restore: logins, access tokens and refresh cookies of the old server still work', async () => {
  assert.ok(S.port, 'the restored stack runs');
  const base = `http://127.0.0.1:${S.port}`;
  const l = await requestAt(base, '/api/v1/auth/login', { method: 'POST', json: { login: 'teacher', password: 'demo' } });
  assert.equal(l.status, 200, l.text);
  const me = await requestAt(base, '/api/v1/me', { token: S.admin.token });
  assert.equal(me.status, 200, `an access token signed before the backup: ${me.text}`);
  assert.equal(me.json.login, 'admin');
  const rf = await requestAt(base, '/api/v1/auth/refresh', { method: 'POST', cookie: S.admin.cookie });
  assert.equal(rf.status, 200, `a refresh cookie issued before the backup: ${rf.text}`);
  assert.ok(getSetCookie(rf.headers), 'a rotated cookie');
});
