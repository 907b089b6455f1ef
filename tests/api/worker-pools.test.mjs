// The worker pools and their recycling (docs/runtime.md "Processes"): the tus location
// goes to an upload pool of its own, so uploads never hold the API's workers; a worker is
// replaced when its resident memory grew by more than VSOK_MAX_RSS_GROWTH, not after a
// fixed number of requests. The recycling tests run a vsokd of their own (the test stack's
// binary and database, one worker, a private socket) and talk FastCGI to it directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { VAR, request, login, show, masterPid, workerPids, processEnv, waitFor, alive } from './lib.mjs';
import { fcgiRequest } from './fcgi-client.mjs';

const comm = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Starts a one-worker vsokd on a private socket with the test stack's settings and `extra`. */
async function ownVsokd(extra) {
  const master = masterPid();
  const env = { ...processEnv(master) };
  const exe = env.VSOK_BIN || readlinkSync(`/proc/${master}/exe`);
  const dir = mkdtempSync(path.join(VAR, 'run', 'pool-'));
  const sock = path.join(dir, 'vsokd.sock');
  Object.assign(env, {
    VSOK_SOCKET: sock,
    VSOK_UPLOAD_SOCKET: '',
    VSOK_PID_FILE: path.join(dir, 'vsokd.pid'),
    VSOK_WORKERS: '1',
    VSOK_MAX_REQUESTS: '0',
    ...extra,
  });
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(exe, [], { env, cwd: readlinkSync(`/proc/${master}/cwd`), stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((ok) => child.on('exit', ok));
  await waitFor(() => existsSync(sock) && workerPids(child.pid).length === 1, { timeout: 30000, what: 'own vsokd up' });
  return {
    sock,
    log: () => log,
    worker: () => workerPids(child.pid),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The kindergarten's profile in a new campaign with the quality scale (which it reads). */
async function profileUri(s) {
  const region = await login('region');
  const list = await request('/api/v1/instruments', { token: region.token });
  assert.equal(list.status, 200, show(list));
  const qs = list.json.items.find((m) => m.code === 'QS');
  assert.ok(qs, 'no published QS instrument');
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  const c = await request('/api/v1/campaigns', {
    token: region.token,
    json: { title: `Пулы ${Date.now().toString(36)}`, year: Number(day(0).slice(0, 4)), opens_on: day(-1), closes_on: day(30), instrument_ids: [qs.id] },
  });
  assert.equal(c.status, 201, show(c));
  return `/api/v1/units/${s.user.org_unit.id}/profile?campaign_id=${c.json.id}`;
}

/** GET through FastCGI with a bearer token. */
const get = (v, uri, token) => fcgiRequest(v.sock, { uri, headers: token ? { HTTP_AUTHORIZATION: `Bearer ${token}` } : {} });

test('pools: a worker whose resident memory grew by more than VSOK_MAX_RSS_GROWTH is replaced after its request', async () => {
  const doo = await login('doo');
  const v = await ownVsokd({ VSOK_MAX_RSS_GROWTH: '1' }); // KiB: any lasting growth
  try {
    assert.equal((await get(v, '/api/v1/health')).status, 200); // the first request: the baseline
    const [first] = v.worker();
    // the kindergarten's profile parses the published quality scale into the worker's
    // instrument cache: memory the worker keeps after the request
    const r = await get(v, await profileUri(doo), doo.token);
    assert.equal(r.status, 200, r.body.slice(0, 300));
    const now = await waitFor(() => {
      const w = v.worker();
      return w.length === 1 && w[0] !== first ? w : null;
    }, { timeout: 15000, what: 'a new worker' });
    assert.ok(!alive(first), 'the grown worker is gone');
    // the worker wrote the line before it exited; the pipe may bring it a moment later
    const grew = /resident memory grew from \d+ to \d+ KiB \(VSOK_MAX_RSS_GROWTH 1\): replaced/;
    await waitFor(() => grew.test(v.log()), { timeout: 5000, what: 'the replacement logged' });
    // the new worker answers (a fresh connection, statements and caches)
    const me = await get(v, '/api/v1/me', doo.token);
    assert.equal(me.status, 200);
    assert.equal(JSON.parse(me.body).id, doo.user.id);
    assert.deepEqual(v.worker(), now);
  } finally {
    await v.stop();
  }
});

test('pools: a worker whose growth stays under VSOK_MAX_RSS_GROWTH, without VSOK_MAX_REQUESTS, serves on, caches warm', async () => {
  const doo = await login('doo');
  // a limit no request here reaches (1 GiB; under AddressSanitizer its quarantine grows too)
  const v = await ownVsokd({ VSOK_MAX_RSS_GROWTH: String(1024 * 1024), VSOK_MAX_REQUESTS: undefined });
  try {
    const [first] = v.worker();
    assert.equal((await get(v, await profileUri(doo), doo.token)).status, 200);
    for (let i = 0; i < 300; i++) assert.equal((await get(v, '/api/v1/me', doo.token)).status, 200);
    assert.deepEqual(v.worker(), [first]);
    assert.doesNotMatch(v.log(), /replaced/);
  } finally {
    await v.stop();
  }
});

test('pools: tus requests go to the upload pool; with all its workers stopped the API still answers', async () => {
  const master = masterPid();
  const env = processEnv(master);
  const all = workerPids(master);
  const uploads = all.filter((p) => comm(p) === 'vsokd-upload');
  const api = all.filter((p) => comm(p) === 'vsokd');
  assert.equal(uploads.length, Number(env.VSOK_UPLOAD_WORKERS || 2), `workers: ${all.map((p) => `${p}:${comm(p)}`)}`);
  assert.ok(api.length >= 1);
  const s = await login('teacher');
  for (const p of uploads) process.kill(p, 'SIGSTOP');
  let pending;
  try {
    // tus discovery waits in the upload pool's socket ...
    let settled = false;
    pending = request('/api/v1/uploads', { method: 'OPTIONS', headers: { 'Tus-Resumable': '1.0.0' }, timeout: 30000 }).finally(
      () => (settled = true),
    );
    // ... while every API worker goes on answering
    for (let round = 0; round < 3; round++) {
      const rs = await Promise.all(Array.from({ length: 2 * api.length }, () => request('/api/v1/me', { token: s.token })));
      for (const r of rs) assert.equal(r.status, 200, show(r));
    }
    assert.equal(settled, false, 'the tus request was answered with the upload pool stopped');
  } finally {
    for (const p of uploads) process.kill(p, 'SIGCONT');
  }
  const r = await pending;
  assert.equal(r.status, 204, show(r));
  assert.equal(r.headers.get('tus-version'), '1.0.0');
  for (const p of uploads) assert.ok(alive(p), `upload worker ${p} is gone`);
});

test('pools: previews and copies of evidence (GET /files/{id}, /files/{id}/thumb) go to the upload pool, the rest of /files to the API', async () => {
  const master = masterPid();
  const uploads = workerPids(master).filter((p) => comm(p) === 'vsokd-upload');
  assert.ok(uploads.length >= 1);
  const s = await login('teacher');
  const missing = 999999999; // no such file: each answers 404 once a worker takes it
  for (const p of uploads) process.kill(p, 'SIGSTOP');
  let pending;
  try {
    const settled = new Set();
    pending = ['', '/thumb'].map((tail) =>
      request(`/api/v1/files/${missing}${tail}`, { token: s.token, timeout: 30000 }).finally(() => settled.add(tail)),
    );
    // the signed stream link is the API's own work: answered with the upload pool stopped
    const sign = await request(`/api/v1/files/${missing}/stream`, { method: 'POST', token: s.token });
    assert.equal(sign.status, 404, show(sign));
    const me = await request('/api/v1/me', { token: s.token });
    assert.equal(me.status, 200, show(me));
    assert.equal(settled.size, 0, `answered with the upload pool stopped: ${[...settled]}`);
  } finally {
    for (const p of uploads) process.kill(p, 'SIGCONT');
  }
  for (const r of await Promise.all(pending)) assert.equal(r.status, 404, show(r));
});
