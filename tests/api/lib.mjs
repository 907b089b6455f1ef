// Helpers shared by the API tests: base URL, requests, cookies, login, problem+json
// checks, JWT crafting, polling and a few process/database controls for the
// resilience tests. Plain node (fetch, node:crypto, node:child_process); no packages.

import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BASE = (process.env.VSOK_TEST_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const VAR = path.resolve(REPO, process.env.VSOK_TEST_VAR || 'var/test');

export const DEMO_PASSWORD = 'demo';
export const ROLES = [
  'administrator',
  'region_coordinator',
  'municipal_coordinator',
  'doo_coordinator',
  'teacher',
  'expert',
];
export const LEVELS = ['region', 'municipality', 'kindergarten', 'group'];
// login -> [role, level of the scope org unit] (docs/runtime.md, "Demo logins")
export const DEMO_USERS = {
  admin: ['administrator', 'region'],
  region: ['region_coordinator', 'region'],
  municipal: ['municipal_coordinator', 'municipality'],
  doo: ['doo_coordinator', 'kindergarten'],
  teacher: ['teacher', 'kindergarten'],
  expert: ['expert', 'municipality'],
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A rollup rebuild to its end: POST /admin/rollups/rebuild answers 202 and the worker rebuilds
 * after the answer, so GET the run until it is no longer running. call(method) makes the
 * request (each suite through its own checked helper). Returns the POST's answer when it is
 * not 202 (403, 409), else the last GET's, which must say `finished`.
 */
export async function rebuildRollups(call, { timeout = 120000 } = {}) {
  const r = await call('POST');
  if (r.status !== 202) return r;
  const end = Date.now() + timeout;
  for (;;) {
    const g = await call('GET');
    if (g.status !== 200 || g.json?.state !== 'running') {
      assert.equal(g.json?.state, 'finished', `the rebuild: ${g.status} ${g.text}`);
      assert.equal(g.json.id, r.json.id, 'the run the POST started');
      return g;
    }
    assert.ok(Date.now() < end, 'the rebuild did not finish in time');
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------
// Requests

/**
 * fetch() against BASE. Returns { status, headers, text, json, bytes, res } (text decoded as
 * fetch's text() does, without a leading BOM; bytes as sent).
 * opts: method, headers, body (string/Buffer), json (object -> JSON body), token, cookie.
 */
export async function request(urlPath, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.Cookie = opts.cookie;
  const res = await fetch(BASE + urlPath, {
    method: opts.method || (body !== undefined ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeout || 15000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, bytes, res };
}

/** Describes a response for assertion messages. */
export function show(r) {
  return `${r.status} ${r.headers.get('content-type') || ''} ${r.text.slice(0, 300)}`;
}

// ---------------------------------------------------------------------------------------
// Cookies (fetch keeps none: parse Set-Cookie ourselves)

/** Parses one Set-Cookie header into { name, value, attrs } (attrs keys lower-cased). */
export function parseSetCookie(line) {
  const parts = line.split(';').map((s) => s.trim());
  const [nv, ...rest] = parts;
  const eq = nv.indexOf('=');
  const cookie = { name: nv.slice(0, eq), value: nv.slice(eq + 1), attrs: {}, raw: line };
  for (const a of rest) {
    if (!a) continue;
    const i = a.indexOf('=');
    const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    cookie.attrs[k] = i < 0 ? true : a.slice(i + 1).trim();
  }
  return cookie;
}

/** All Set-Cookie headers of a response, parsed. */
export function setCookies(headers) {
  return headers.getSetCookie().map(parseSetCookie);
}

/** The Set-Cookie for `name`, or undefined. */
export function getSetCookie(headers, name = 'vsok_refresh') {
  return setCookies(headers).find((c) => c.name === name);
}

/** True when a Set-Cookie removes the cookie (empty value, Max-Age<=0 or Expires past). */
export function isCleared(c) {
  if (!c) return false;
  if (c.attrs['max-age'] !== undefined && Number(c.attrs['max-age']) <= 0) return true;
  if (c.attrs.expires && Date.parse(c.attrs.expires) <= Date.now()) return true;
  return c.value === '' || c.value === '""';
}

// ---------------------------------------------------------------------------------------
// Login (retries while nginx rate-limits this address, so that tests stay independent of
// each other's pace)

/**
 * request() that waits and retries while the answer is 429 (nginx limits the login rate per
 * address; other tests' logins must not make this one flaky). Gives up after `timeout` ms.
 */
export async function requestRetry429(urlPath, opts = {}, { timeout = 60000 } = {}) {
  const deadline = Date.now() + timeout;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    const r = await request(urlPath, opts);
    if (r.status !== 429 || Date.now() > deadline) return r;
    const ra = Number(r.headers.get('retry-after'));
    await sleep(Number.isFinite(ra) && ra > 0 ? Math.min(ra * 1000, 5000) : delay);
  }
}

export function loginRaw(login, password = DEMO_PASSWORD, { retry429 = true } = {}) {
  const opts = { json: { login, password } };
  return retry429 ? requestRetry429('/api/v1/auth/login', opts) : request('/api/v1/auth/login', opts);
}

/** Logs in (must succeed); returns { token, user, body, cookie (name=value), refresh (parsed) }. */
export async function login(login, password = DEMO_PASSWORD) {
  const r = await loginRaw(login, password);
  assert.equal(r.status, 200, `login ${login}: ${show(r)}`);
  const refresh = getSetCookie(r.headers);
  assert.ok(refresh, `login ${login}: no vsok_refresh Set-Cookie`);
  return {
    token: r.json.access_token,
    user: r.json.user,
    body: r.json,
    refresh,
    cookie: `${refresh.name}=${refresh.value}`,
    res: r,
  };
}

/** POST /api/v1/auth/refresh with a cookie header value (or none). */
export function refresh(cookie) {
  return request('/api/v1/auth/refresh', { method: 'POST', cookie });
}

// ---------------------------------------------------------------------------------------
// Assertions

/** Asserts an RFC 9457 problem: media type, type/title/status matching the HTTP status. */
export function assertProblem(r, status) {
  const msg = `expected ${status} problem+json, got ${show(r)}`;
  if (Array.isArray(status)) assert.ok(status.includes(r.status), msg);
  else assert.equal(r.status, status, msg);
  const ct = r.headers.get('content-type') || '';
  assert.match(ct, /^application\/problem\+json\b/i, msg);
  assert.ok(r.json && typeof r.json === 'object' && !Array.isArray(r.json), msg);
  assert.equal(typeof r.json.type, 'string', `problem.type: ${msg}`);
  assert.ok(r.json.type.length > 0, `problem.type empty: ${msg}`);
  assert.equal(typeof r.json.title, 'string', `problem.title: ${msg}`);
  assert.ok(r.json.title.length > 0, `problem.title empty: ${msg}`);
  assert.equal(r.json.status, r.status, `problem.status: ${msg}`);
  if (r.json.detail !== undefined) assert.equal(typeof r.json.detail, 'string', msg);
  if (r.json.errors !== undefined) assert.ok(Array.isArray(r.json.errors), msg);
  return r.json;
}

/** Asserts the documented login/refresh response shape; returns the body. */
export function assertTokenResponse(r) {
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
  const b = r.json;
  assert.equal(typeof b.access_token, 'string');
  assert.match(b.access_token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.equal(b.token_type, 'Bearer');
  assert.equal(typeof b.expires_in, 'number');
  assert.ok(b.expires_in > 0, `expires_in ${b.expires_in}`);
  assertUser(b.user);
  return b;
}

/** Asserts the shape of a user object ({id, login, full_name, role, org_unit{id,name,level}}). */
export function assertUser(u) {
  assert.ok(u && typeof u === 'object', 'user object');
  assert.ok(Number.isInteger(u.id) && u.id > 0, `user.id ${u.id}`);
  assert.equal(typeof u.login, 'string');
  assert.equal(typeof u.full_name, 'string');
  assert.ok(u.full_name.length > 0, 'full_name empty');
  assert.ok(ROLES.includes(u.role), `role ${u.role}`);
  assert.ok(u.org_unit && typeof u.org_unit === 'object', 'org_unit');
  assert.ok(Number.isInteger(u.org_unit.id) && u.org_unit.id > 0, `org_unit.id ${u.org_unit.id}`);
  assert.equal(typeof u.org_unit.name, 'string');
  assert.ok(u.org_unit.name.length > 0, 'org_unit.name empty');
  assert.ok(LEVELS.includes(u.org_unit.level), `org_unit.level ${u.org_unit.level}`);
}

/** Asserts the refresh cookie's attributes (docs/runtime.md). */
export function assertRefreshCookie(c) {
  assert.ok(c, 'vsok_refresh Set-Cookie missing');
  assert.ok(c.value.length >= 32, `refresh token too short: ${c.raw}`);
  assert.equal(c.attrs.httponly, true, `HttpOnly: ${c.raw}`);
  assert.equal(String(c.attrs.samesite).toLowerCase(), 'strict', `SameSite: ${c.raw}`);
  assert.equal(c.attrs.path, '/api/v1/auth', `Path: ${c.raw}`);
}

// ---------------------------------------------------------------------------------------
// JWT crafting (HS256 / HS384 / HS512 / none) for the token tests

export const b64url = (buf) => Buffer.from(buf).toString('base64url');
export const b64json = (obj) => b64url(JSON.stringify(obj));

/** The HMAC key of the running stack: the raw bytes of the hex in $VAR/secrets/jwt.key. */
export function jwtKey() {
  const hex = readFileSync(path.join(VAR, 'secrets', 'jwt.key'), 'utf8').trim();
  assert.match(hex, /^[0-9a-fA-F]{64,}$/, 'jwt.key: expected hex');
  return Buffer.from(hex, 'hex');
}

/** Signs header.payload with HMAC (alg HS256/HS384/HS512) and returns the compact JWT. */
export function signJwt(payload, key, { alg = 'HS256', header } = {}) {
  const h = header || { alg, typ: 'JWT' };
  const input = `${b64json(h)}.${b64json(payload)}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  const sig = hash ? createHmac(hash, key).update(input).digest('base64url') : '';
  return `${input}.${sig}`;
}

export function decodeJwt(token) {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
  };
}

export const randomKey = () => randomBytes(32);
export const now = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------------------
// Seeded random numbers (a failing run is replayed from its seed)

/** A tag unique to this run of a suite (prefix, time, pid), for names, logins and codes. */
export const runTag = (prefix = '') => `${prefix}${Date.now().toString(36)}${process.pid % 100}`;

/** The seed of a suite's random data: VSOK_TEST_SEED, or one from the clock (failures name it). */
export const testSeed = () => Number(process.env.VSOK_TEST_SEED) || Date.now() % 1000000007;

/** mulberry32: a small seeded generator; returns () => float in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** seededRandom with the usual draws: next, int(lo, hi), chance(p), pick, weighted([[v, w]]), shuffle. */
export function prng(seed) {
  const next = seededRandom(seed);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    weighted: (pairs) => {
      let x = next() * pairs.reduce((a, [, w]) => a + w, 0);
      for (const [v, w] of pairs) if ((x -= w) < 0) return v;
      return pairs[pairs.length - 1][0];
    },
    shuffle: (xs) => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Polling

/**
 * Sends bursts of `width` parallel attempt()s (ten at the most) until one is answered 429;
 * every other answer must have a status of `allowed`. Returns the first 429 answer.
 */
export async function burstUntil429(attempt, { width, allowed }) {
  let limited;
  const seen = {};
  for (let round = 0; round < 10 && !limited; round++) {
    const rs = await Promise.all(Array.from({ length: width }, attempt));
    for (const r of rs) {
      seen[r.status] = (seen[r.status] || 0) + 1;
      if (r.status === 429 && !limited) limited = r;
      else assert.ok([...allowed, 429].includes(r.status), `unexpected ${show(r)}`);
    }
  }
  assert.ok(limited, `no 429 after ${Object.values(seen).reduce((a, b) => a + b, 0)} attempts: ${JSON.stringify(seen)}`);
  return limited;
}

/** Polls fn() until it returns a truthy value; returns it, or throws after timeoutMs. */
export async function waitFor(fn, { timeout = 10000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last?.message ?? JSON.stringify(last)})`);
    }
    await sleep(interval);
  }
}

/**
 * Runs requests in a loop with `concurrency` parallel clients until stop() is called.
 * Returns { stop: async () => ({ ok, failed: [...] }) }. `fn` returns a status code.
 */
export function requestLoop(fn, { concurrency = 4 } = {}) {
  let running = true;
  const results = { ok: 0, failed: [] };
  const client = async () => {
    while (running) {
      let status;
      try {
        status = await fn();
      } catch (e) {
        status = `error: ${e.cause?.code || e.message}`;
      }
      if (status === 200) results.ok++;
      else results.failed.push(status);
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(clients);
      return results;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Processes of the test stack

export function masterPid() {
  const pid = Number(readFileSync(path.join(VAR, 'run', 'vsokd.pid'), 'utf8').trim());
  assert.ok(Number.isInteger(pid) && pid > 1, 'vsokd.pid');
  return pid;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie is not alive for our purposes
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live child pids of the vsokd master (its workers), sorted. */
export function workerPids(master = masterPid()) {
  const pids = new Set();
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${master}/task`);
  } catch {
    return [];
  }
  for (const t of tasks) {
    try {
      for (const p of readFileSync(`/proc/${master}/task/${t}/children`, 'utf8').trim().split(/\s+/)) {
        if (p) pids.add(Number(p));
      }
    } catch {
      /* task gone */
    }
  }
  return [...pids].filter(alive).sort((a, b) => a - b);
}

/** The environment variables the vsokd master runs with (from /proc; we are the same user or root). */
export function processEnv(pid) {
  const env = {};
  for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/** A TCP port of 127.0.0.1 that nothing listens on (for a server a test starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs `bash sql/db.sh <cmd>` for the test stack's var dir. */
export function dbctl(cmd) {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [path.join(REPO, 'sql', 'db.sh'), cmd],
      { cwd: REPO, env: { ...process.env, VAR }, timeout: 120000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`sql/db.sh ${cmd} failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}
