// Helpers for the org/access suites (authz-matrix, org-tree, audit): the test stack's
// database read directly (to find targets in the demo data and to check what the API
// cannot show, e.g. materialised paths), short API calls, throwaway objects and a small CSV
// reader. Plain node; no packages.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VAR, request, show, login } from './lib.mjs';
import { expect as ok } from './client.mjs';

export const API = '/api/v1';

/** A short tag unique to this run, for names, logins and codes of throwaway objects. */
export const RUN = `${String(Date.now()).slice(-6)}${String(process.pid % 100).padStart(2, '0')}`;

/** The login of the demo user of each role (docs/runtime.md, "Demo logins"). */
export const DEMO_LOGIN = {
  administrator: 'admin',
  region_coordinator: 'region',
  municipal_coordinator: 'municipal',
  doo_coordinator: 'doo',
  teacher: 'teacher',
  expert: 'expert',
};

/** An id no row has (ids are AUTO_INCREMENT; far above anything a test run creates). */
export const NO_SUCH_ID = 987654321;

// ---------------------------------------------------------------------------------------
// The test stack's MariaDB, as the schema owner `vsok` (test tooling; vsokd itself connects
// as vsok_app, with fewer rights: tests/api/ops-db-users.test.mjs)

function dbArgs() {
  const password = readFileSync(path.join(VAR, 'secrets', 'db.password'), 'utf8').trim();
  return ['--no-defaults', '-S', path.join(VAR, 'run', 'mysqld.sock'), '-u', 'vsok', `-p${password}`, 'vsok'];
}

/**
 * Runs SQL with the mariadb client. Resolves { code, stdout, stderr } whatever the outcome
 * (code 0 = success), so that callers can assert on refusals.
 */
export function mariadb(sql) {
  return new Promise((resolve) => {
    execFile('mariadb', [...dbArgs(), '-B', '-N', '-e', sql], { timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr, err });
    });
  });
}

/** Runs a query that must succeed; returns its rows as arrays of strings (NULL -> null). */
export async function query(sql) {
  const r = await mariadb(sql);
  assert.equal(r.code, 0, `SQL failed: ${sql}\n${r.stderr}`);
  const unescape = (s) => s.replace(/\\([tn0\\])/g, (_, c) => ({ t: '\t', n: '\n', 0: '\0', '\\': '\\' })[c]);
  return r.stdout
    .split('\n')
    .filter((l) => l.length)
    .map((l) => l.split('\t').map((c) => (c === 'NULL' ? null : unescape(c))));
}

/**
 * The org tree, users and expert assignments as stored. units: Map id -> {id, parent_id,
 * level, path, name, code, active}; users: Map login -> {id, login, role, unit_id, active,
 * must_change_password}; assignments: [{expert_id, unit_id}].
 */
export async function snapshot() {
  const units = new Map();
  for (const [id, parent, level, p, name, code, active] of await query(
    'SELECT id, parent_id, level, path, name, code, active FROM org_units ORDER BY id',
  )) {
    units.set(Number(id), {
      id: Number(id),
      parent_id: parent === null ? null : Number(parent),
      level,
      path: p,
      name,
      code,
      active: active === '1',
    });
  }
  const users = new Map();
  for (const [id, login, role, unit, active, mcp] of await query(
    'SELECT id, login, role, org_unit_id, active, must_change_password FROM users ORDER BY id',
  )) {
    users.set(login, {
      id: Number(id),
      login,
      role,
      unit_id: Number(unit),
      active: active === '1',
      must_change_password: mcp === '1',
    });
  }
  const assignments = (await query('SELECT expert_id, kindergarten_id FROM expert_assignments')).map(([e, k]) => ({
    expert_id: Number(e),
    unit_id: Number(k),
  }));
  return { units, users, assignments };
}

/** Signs in every demo login: {T: login -> token, ME: login -> user}. */
export async function demoSessions() {
  const T = {};
  const ME = {};
  for (const l of Object.values(DEMO_LOGIN)) {
    const s = await login(l);
    T[l] = s.token;
    ME[l] = s.user;
  }
  return { T, ME };
}

/**
 * The demo places the org suites work in, from a snapshot and the demo users: the region of
 * `region`, the municipality M of `municipal`, its kindergarten K of `doo`, a sister S of K
 * in M, a kindergarten Far in the region outside M, and Far's municipality M2.
 */
export function demoPlaces(snap, ME) {
  const unit = (id) => snap.units.get(id);
  const region = unit(ME.region.org_unit.id);
  const M = unit(ME.municipal.org_unit.id);
  const K = unit(ME.doo.org_unit.id);
  const kgs = [...snap.units.values()].filter((u) => u.level === 'kindergarten' && u.active);
  const S = kgs.find((k) => k.parent_id === M.id && k.id !== K.id);
  const Far = kgs.find((k) => !under(k.path, M.path) && under(k.path, region.path));
  assert.ok(S && Far && K.parent_id === M.id, 'demo: two kindergartens in the municipality of municipal, one elsewhere in the region');
  return { region, M, K, S, Far, M2: unit(Far.parent_id) };
}

/** Is the unit with this path inside the subtree `scopePath` (a path or '/')? */
export const under = (unitPath, scopePath) => unitPath.startsWith(scopePath);

// ---------------------------------------------------------------------------------------
// API calls

export const get = (p, token) => request(API + p, { token });
export const post = (p, json, token) => request(API + p, { method: 'POST', json, token });
export const patch = (p, json, token) => request(API + p, { method: 'PATCH', json, token });
export const put = (p, token) => request(API + p, { method: 'PUT', token });
export const del = (p, token) => request(API + p, { method: 'DELETE', token });
export const postCsv = (p, body, token) =>
  request(API + p, { method: 'POST', body, headers: { 'Content-Type': 'text/csv' }, token, timeout: 60000 });

/** Asserts the status of a response, showing the body on failure; returns the JSON (client.mjs). */
export { ok };

/**
 * A user made by the administrator through a suite's client (`api` of apiClient, whose
 * tokens have `admin`) who may sign in at once: the first sign-in's password change is
 * cleared with SQL. Returns {id, token}.
 */
export async function readyUser(api, json) {
  const u = ok(await api('admin', 'POST', '/users', { json }), 201, `user ${json.login}`);
  await query(`UPDATE users SET must_change_password = 0 WHERE id = ${Number(u.id)}`);
  return { id: u.id, token: (await login(json.login, json.password)).token };
}

/** Creates a unit (as `token`) and remembers it in `created` for deactivation. */
export async function createUnit(token, body, created) {
  const r = await post('/units', body, token);
  const u = ok(r, 201, `POST /units ${JSON.stringify(body)}`);
  if (created) created.push(u.id);
  return u;
}

/**
 * Deactivates units (deepest first, so that no active unit stays below an inactive one)
 * and users, as an administrator. Best effort: the suites' own assertions report failures.
 */
export async function deactivate(token, { units = [], users = [] } = {}, snap) {
  const depth = (id) => (snap?.units.get(id)?.path.split('/').length ?? 0);
  const sorted = [...new Set(units)].sort((a, b) => depth(b) - depth(a) || b - a);
  for (const id of sorted) await patch(`/units/${id}`, { active: false }, token);
  for (const id of new Set(users)) await patch(`/users/${id}`, { active: false }, token);
}

// ---------------------------------------------------------------------------------------
// CSV

/** One CSV line: cells quoted when they hold the separator, a quote or a line break. */
export const csvLine = (cells, sep = ';') =>
  cells.map((c) => (/[";,\r\n]/.test(c) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(sep);
export const csv = (rows, sep = ';') => rows.map((r) => csvLine(r, sep)).join('\r\n') + '\r\n';

/** RFC 4180 reader: rows of cells (a leading BOM is dropped). */
export function parseCsv(text, sep = ';') {
  const rows = [];
  let row = [];
  let cell = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') continue;
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}
