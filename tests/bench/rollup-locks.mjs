// How long do status changes wait while the rollups are rebuilt? Against a running stack
// with the region of `make scale-data` (its submitted sheets): for BENCH_LOCK_SECONDS the
// sheets are returned (administrator), submitted again (their respondent) and now and then
// approved, one after the other by BENCH_LOCK_CLIENTS clients — first with nothing else
// running (the baseline), then while `vsokd rebuild-rollups` runs. Prints the count, p50,
// p99 and max of each phase, and MariaDB's own row lock waits in each (Innodb_row_lock_*:
// how many, their total and their mean; the longest since the server started), which tell
// a wait for a lock from a request slowed by a busy machine. Exit 1 when a change failed or
// the rebuild failed.
//
//   VSOK_BENCH_URL=http://127.0.0.1:8101 VSOK_BENCH_VAR=var node tests/bench/rollup-locks.mjs
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE = (process.env.VSOK_BENCH_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const VAR = path.resolve(REPO, process.env.VSOK_BENCH_VAR || 'var');
const BIN = path.resolve(REPO, process.env.VSOK_BIN || 'build/release/vsokd');
const SECONDS = Number(process.env.BENCH_LOCK_SECONDS || 15);
const CLIENTS = Number(process.env.BENCH_LOCK_CLIENTS || 4);
const APPROVE_EVERY = 10; // one round in ten ends with an approval

const DB_ENV = {
  ...process.env,
  VSOK_DB_HOST: '',
  VSOK_DB_SOCKET: path.join(VAR, 'run', 'mysqld.sock'),
  VSOK_DB_NAME: 'vsok',
  VSOK_DB_USER: 'vsok',
  VSOK_DB_PASSWORD_FILE: path.join(VAR, 'secrets', 'db.password'),
};

function run(cmd, args, env = DB_ENV) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    p.stdout.on('data', (c) => out.push(c));
    p.stderr.on('data', (c) => err.push(c));
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

async function sql(text) {
  const password = readFileSync(DB_ENV.VSOK_DB_PASSWORD_FILE, 'utf8').trim();
  const r = await run('mariadb', ['--no-defaults', '-S', DB_ENV.VSOK_DB_SOCKET, '-u', 'vsok', `-p${password}`, '-B', '-N', 'vsok', '-e', text]);
  if (r.code !== 0) throw new Error(`mariadb: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

const key = Buffer.from(readFileSync(path.join(VAR, 'secrets', 'jwt.key'), 'utf8').trim(), 'hex');
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function tokenFor(id, role, org) {
  const iat = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: String(id), role, org: Number(org), iat, exp: iat + 3600 })}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

async function call(method, p, token, json) {
  const t0 = performance.now();
  const r = await fetch(BASE + '/api/v1' + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(json ?? {}),
  });
  const body = await r.json().catch(() => null);
  if (r.status !== 200) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, body };
}

const [admin] = await sql("SELECT id, org_unit_id FROM users WHERE role = 'administrator' AND active = 1 ORDER BY id LIMIT 1");
const adminToken = tokenFor(admin[0], 'administrator', admin[1]);
const rows = await sql(
  "SELECT s.id, s.version, u.id, u.role, u.org_unit_id FROM submissions s JOIN users u ON u.id = s.created_by WHERE s.status = 'submitted' AND s.respondent_role <> 'expert' ORDER BY s.id",
);
if (rows.length < CLIENTS * 4) {
  console.error(`rollup-locks: ${rows.length} submitted sheets; make scale-data first`);
  process.exit(1);
}
const pool = rows.map(([id, version, uid, role, org]) => ({ id, version: Number(version), token: tokenFor(uid, role, org) }));
let next = 0;

/** Status changes by CLIENTS clients until stop() is true; their times in ms. */
async function changes(stop) {
  const times = [];
  let round = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (!stop() && next < pool.length) {
        const s = pool[next++];
        let r = await call('POST', `/submissions/${s.id}/return`, adminToken, { comment: 'Уточните' });
        times.push(r.ms);
        r = await call('POST', `/submissions/${s.id}/submit`, s.token, { base_version: r.body.version });
        times.push(r.ms);
        if (++round % APPROVE_EVERY === 0) {
          times.push((await call('POST', `/submissions/${s.id}/approve`, adminToken, {})).ms);
        } else {
          pool.push(s); // submitted again: it can go round once more
        }
      }
    }),
  );
  return times;
}

async function lockStatus() {
  const rows = await sql("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_%'");
  return Object.fromEntries(rows.map(([k, v]) => [k.replace('Innodb_row_lock_', ''), Number(v)]));
}

function waits(label, a, b) {
  const n = b.waits - a.waits;
  const ms = b.time - a.time;
  console.log(`  row lock waits ${label}: ${n}, ${ms} ms in all, ${n ? (ms / n).toFixed(0) : 0} ms each; longest since the server started ${b.time_max} ms`);
}

function summary(label, times) {
  const t = [...times].sort((a, b) => a - b);
  const at = (q) => t[Math.min(t.length - 1, Math.floor(q * t.length))] ?? 0;
  console.log(`${label.padEnd(28)} ${String(t.length).padStart(6)} ${at(0.5).toFixed(1).padStart(9)} ${at(0.99).toFixed(1).padStart(9)} ${(t[t.length - 1] ?? 0).toFixed(1).padStart(9)}`);
  return t[t.length - 1] ?? 0;
}

console.log(`rollup-locks: ${pool.length} submitted sheets, ${CLIENTS} clients, ${SECONDS} s alone, then during a rebuild`);
console.log(`${'phase'.padEnd(28)} ${'changes'.padStart(6)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}`);
let until = Date.now() + SECONDS * 1000;
const s0 = await lockStatus();
const alone = summary('alone', await changes(() => Date.now() > until));
const s1 = await lockStatus();

let done = false;
const t0 = Date.now();
const rebuild = run(BIN, ['rebuild-rollups']).then((r) => ((done = true), r));
const during = summary('during the rebuild', await changes(() => done));
const r = await rebuild;
const s2 = await lockStatus();
console.log(`rebuild: ${(r.stdout || r.stderr).trim()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
waits('alone', s0, s1);
waits('during the rebuild', s1, s2);
console.log(`slowest change during the rebuild − slowest alone: ${Math.max(0, during - alone).toFixed(0)} ms`);
process.exit(r.code === 0 ? 0 : 1);
