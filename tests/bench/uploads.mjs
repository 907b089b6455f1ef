// make bench, uploads part: the client side of tests/bench/uploads.sh (read that file
// first). Node with the official tus-js-client, driven by environment variables the shell
// script sets:
//
//   BENCH_URL          the stack (loopback)
//   BENCH_BASELINE     the baseline nginx that only stores request bodies (POST /store)
//   BENCH_FILE         the big file (an MP4 'ftyp' box and random bytes), BENCH_SIZE bytes
//   BENCH_CHUNK        chunk size (8 MiB, as the SPA sends)
//   BENCH_MASTER       the vsokd master pid (its children are the workers)
//   BENCH_PHOTOS       simultaneous photo uploads (20), each client uploading one photo
//                      after the other for BENCH_PHOTO_SECONDS (8; at least one each)
//   BENCH_PHOTO_BYTES  size of each photo (3000000)
//   BENCH_PHOTO_THUMBS 1: each photo client asks for the preview of each photo it uploaded,
//                      as the tablet does (default); 0: uploads only
//   BENCH_SAVERS       clients autosaving drafts meanwhile (50)
//   BENCH_RSS_LIMIT    KiB the largest worker's peak resident memory may exceed, during the
//                      big upload, its peak during a two-chunk upload of the same file
//
// Prints the figures and exits 1 when any request failed or a worker's memory grew past
// the limit.

import http from 'node:http';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { tusUpload, tusStatus, idOf, makePng, seededRandom } from '../api/fixtures-uploads.mjs';

const env = process.env;
const URLB = env.BENCH_URL.replace(/\/+$/, '');
const BASELINE = env.BENCH_BASELINE.replace(/\/+$/, '');
const FILE = env.BENCH_FILE;
const SIZE = fs.statSync(FILE).size;
const CHUNK = Number(env.BENCH_CHUNK || 8 * 1024 * 1024);
const MASTER = Number(env.BENCH_MASTER);
const PHOTOS = Number(env.BENCH_PHOTOS || 20);
const PHOTO_SECONDS = Number(env.BENCH_PHOTO_SECONDS || 8);
const PHOTO_BYTES = Number(env.BENCH_PHOTO_BYTES || 3000000);
const PHOTO_THUMBS = env.BENCH_PHOTO_THUMBS !== '0';
const SAVERS = Number(env.BENCH_SAVERS || 50);
const RSS_LIMIT = Number(env.BENCH_RSS_LIMIT || 8192); // KiB
const ALONE_MS = 3000;
const MiB = 1024 * 1024;

const failures = [];
const fail = (what) => {
  failures.push(what);
  if (failures.length <= 10) console.error(`bench uploads: ${what}`);
};

// ---------------------------------------------------------------------------------------
// HTTP (one keep-alive connection per client)

function call(agent, method, path, { token, json, headers = {} } = {}) {
  const body = json === undefined ? null : Buffer.from(JSON.stringify(json));
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body) {
    h['Content-Type'] = 'application/json';
    h['Content-Length'] = body.length;
  }
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(URLB + path, { method, agent, headers: h });
    req.setTimeout(60000, () => req.destroy(new Error('timeout')));
    req.on('response', (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let j;
        try {
          j = JSON.parse(text);
        } catch {
          j = undefined;
        }
        resolve({ status: res.statusCode, json: j, text, ms: performance.now() - t0 });
      });
    });
    req.on('error', (e) => resolve({ status: 0, text: e.message, ms: performance.now() - t0 }));
    req.end(body);
  });
}

const shared = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function must(method, path, opts, status = [200, 201]) {
  const r = await call(shared, method, path, opts);
  if (!status.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}

async function login(name) {
  for (let i = 0; i < 60; i++) {
    const r = await call(shared, 'POST', '/api/v1/auth/login', { json: { login: name, password: 'demo' } });
    if (r.status === 200) return r.json;
    if (r.status !== 429) throw new Error(`login ${name}: ${r.status} ${r.text.slice(0, 200)}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`login ${name}: still rate-limited`);
}

// ---------------------------------------------------------------------------------------
// vsokd workers' memory

function workers() {
  const pids = new Set();
  let tasks = [];
  try {
    tasks = fs.readdirSync(`/proc/${MASTER}/task`);
  } catch {
    return [];
  }
  for (const t of tasks) {
    try {
      for (const p of fs.readFileSync(`/proc/${MASTER}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (p) pids.add(Number(p));
    } catch {
      /* gone */
    }
  }
  return [...pids].sort((a, b) => a - b);
}

function memOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s) || [])[1]);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null when gone. */
function cpuOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[11], f[12]: utime, stime (fields 14, 15)
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
}
const CLK_TCK = 100; // USER_HZ on Linux

// ---------------------------------------------------------------------------------------
// Fixtures: a campaign (or several) with QS, sheets for the teacher's groups

const teacher = await login('teacher');
const region = await login('region');
const doo = await login('doo');
const TT = teacher.access_token;
const ins = await must('GET', '/api/v1/instruments', { token: TT });
const QS = ins.items.find((i) => i.code === 'QS');
const def = (await must('GET', `/api/v1/instruments/${QS.id}`, { token: TT })).definition;
const checks = def.sections.flatMap((s) => s.indicators.flatMap((i) => i.items.filter((x) => x.type === 'check').map((x) => x.code)));
const indicators = def.sections.flatMap((s) => s.indicators.map((i) => i.code));
const groups = (await must('GET', `/api/v1/units/${doo.user.org_unit.id}/children`, { token: doo.access_token })).items.filter(
  (u) => u.level === 'group' && u.active,
);
const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
const sheets = [];
const tag = `${Date.now().toString(36)}`;
for (let c = 0; sheets.length < SAVERS + 1; c++) {
  const camp = await must('POST', '/api/v1/campaigns', {
    token: region.access_token,
    json: { title: `Бенчмарк загрузок ${tag} ${c + 1}`, year: Number(day(0).slice(0, 4)), opens_on: day(-1), closes_on: day(30), instrument_ids: [QS.id] },
  });
  for (const g of groups) {
    if (sheets.length >= SAVERS + 1) break;
    sheets.push(await must('POST', '/api/v1/submissions', { token: TT, json: { campaign_id: camp.id, instrument_id: QS.id, target_unit_id: g.id } }));
  }
}
const uploadSheet = sheets.pop();
const ENDPOINT = `${URLB}/api/v1/uploads`;
const meta = (name, type, i = 0) => ({ filename: name, filetype: type, submission: String(uploadSheet.id), indicator: indicators[i % indicators.length] });

// a photo: PNG signature and IHDR (libmagic: image/png) followed by random bytes, distinct each time
const pngHead = makePng(8, 8, seededRandom(1)).subarray(0, 33);
const photo = (n = PHOTO_BYTES) => Buffer.concat([pngHead, randomBytes(n - pngHead.length)]);

// warm-up: a few small uploads so that every worker has run the whole path once
await Promise.all(
  Array.from({ length: 8 }, (_, i) => tusUpload(photo(200000), { endpoint: ENDPOINT, token: TT, metadata: meta(`warm-${i}.png`, 'image/png', i), chunkSize: CHUNK })),
);

// ---------------------------------------------------------------------------------------
// 1. nginx alone storing the same chunks (baseline), then the tus upload through vsokd

async function baseline() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const t0 = performance.now();
  for (let off = 0; off < SIZE; off += CHUNK) {
    const end = Math.min(off + CHUNK, SIZE);
    await new Promise((resolve, reject) => {
      const req = http.request(`${BASELINE}/store`, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/offset+octet-stream', 'Content-Length': end - off },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`baseline answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      fs.createReadStream(FILE, { start: off, end: end - 1 }).pipe(req);
    });
  }
  agent.destroy();
  return (performance.now() - t0) / 1000;
}

const baseSeconds = await baseline();

/** Resets the peak resident size (VmHWM) of every worker; false when not allowed. */
function resetPeaks() {
  let ok = true;
  for (const p of workers()) {
    try {
      fs.writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      ok = false;
    }
  }
  return ok;
}

/**
 * Uploads `bytes` bytes of the big file from its start with tus-js-client, sampling every
 * worker's VmRSS every 50 ms and, when allowed, its VmHWM reset just before: returns
 * { seconds, result, peak (pid -> KiB, the larger of the two), before (pid -> VmRSS) }.
 */
async function measuredUpload(bytes, name) {
  const exact = resetPeaks();
  const before = new Map();
  const peak = new Map();
  const cpu0 = new Map();
  const cpu1 = new Map();
  const sample = () => {
    for (const p of workers()) {
      const m = memOf(p);
      if (!m) continue;
      if (!before.has(p)) before.set(p, m.rss);
      peak.set(p, Math.max(peak.get(p) || 0, m.rss, exact ? m.hwm : 0));
      const c = cpuOf(p);
      if (c === null) continue;
      if (!cpu0.has(p)) cpu0.set(p, c);
      cpu1.set(p, c);
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  const t = performance.now();
  let result = null;
  try {
    result = await tusUpload(fs.createReadStream(FILE, { start: 0, end: bytes - 1 }), {
      endpoint: ENDPOINT,
      token: TT,
      metadata: meta(name, 'video/mp4'),
      chunkSize: CHUNK,
    });
  } catch (e) {
    fail(`the upload of ${name} failed: ${tusStatus(e) ?? ''} ${e.message}`);
  }
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  sample();
  // the workers' CPU time during the upload (a worker replaced meanwhile counts up to its last sample)
  let cpu = 0;
  for (const [p, c] of cpu1) cpu += c - cpu0.get(p);
  return { seconds, result, peak, before, exact, cpu };
}

// the reference: two chunks of the same file (a small video through the same path)
const REF = Math.min(2 * CHUNK, Math.floor(SIZE / 2));
const ref = await measuredUpload(REF, `Фрагмент ${tag}.mp4`);
const bigRun = await measuredUpload(SIZE, `Утренник ${tag}.mp4`);
const tusSeconds = bigRun.seconds;
const big = bigRun.result;

// what was stored: complete, the right size, first and last MiB byte-identical
let fileId = null;
if (big) {
  const st = await call(shared, 'GET', `/api/v1/uploads/${big.id}`, { token: TT });
  if (st.status !== 200 || !st.json?.complete || st.json.length !== SIZE) fail(`upload state: ${st.status} ${st.text.slice(0, 200)}`);
  fileId = st.json?.file_id;
  const fd = fs.openSync(FILE, 'r');
  for (const [from, to] of [
    [0, MiB - 1],
    [SIZE - MiB, SIZE - 1],
  ]) {
    const want = Buffer.alloc(to - from + 1);
    fs.readSync(fd, want, 0, want.length, from);
    const got = await new Promise((resolve) => {
      http.get(`${URLB}/api/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${TT}`, Range: `bytes=${from}-${to}` } }, (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(parts) }));
      });
    });
    if (got.status !== 206 || !got.body.equals(want)) fail(`GET /files/${fileId} bytes ${from}-${to}: ${got.status}, not the source bytes`);
    if (got.type !== 'video/mp4') fail(`GET /files/${fileId}: Content-Type ${got.type}, expected video/mp4`);
  }
  fs.closeSync(fd);
}

// ---------------------------------------------------------------------------------------
// 2. 20 simultaneous photo uploads while 50 clients autosave their drafts

const saves = { alone: [], during: [], errors: 0 };
let phase = 'alone';
let saving = true;
async function saver(i) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const s = sheets[i];
  let version = s.version;
  let n = 0;
  while (saving) {
    const code = checks[(i * 7 + n) % checks.length];
    const r = await call(agent, 'PATCH', `/api/v1/submissions/${s.id}`, {
      token: TT,
      json: { base_version: version, answers: { [code]: n % 2 ? 'not_met' : 'met' } },
    });
    n++;
    if (r.status === 200) {
      version = r.json.version;
      saves[phase].push(r.ms);
    } else {
      saves.errors++;
      fail(`autosave of sheet ${s.id}: ${r.status} ${r.text.slice(0, 200)}`);
      const doc = await call(agent, 'GET', `/api/v1/submissions/${s.id}`, { token: TT });
      if (doc.status === 200) version = doc.json.version;
    }
  }
  agent.destroy();
}

// The photo clients run in a thread of their own (photographers.mjs): in this thread their
// JavaScript would delay the autosaving clients' event loop, and the autosave latency would
// measure the client instead of the server. The delay this loop does see is printed per phase.
function photographers() {
  const metas = Array.from({ length: PHOTOS }, (_, i) => meta('', 'image/png', i));
  const w = new Worker(new URL('./photographers.mjs', import.meta.url), {
    workerData: { endpoint: ENDPOINT, token: TT, chunk: CHUNK, photos: PHOTOS, bytes: PHOTO_BYTES, seconds: PHOTO_SECONDS, thumbs: PHOTO_THUMBS, metas },
  });
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}
const loopDelay = { alone: monitorEventLoopDelay({ resolution: 10 }), during: monitorEventLoopDelay({ resolution: 10 }) };

const savers = Array.from({ length: SAVERS }, (_, i) => saver(i));
loopDelay.alone.enable();
await new Promise((r) => setTimeout(r, ALONE_MS));
loopDelay.alone.disable();
phase = 'during';
loopDelay.during.enable();
const p0 = performance.now();
const shots = await photographers();
const photoTimes = shots.times;
const photoErrors = shots.errors.length;
for (const e of shots.errors) fail(e);
const photoSeconds = (performance.now() - p0) / 1000;
loopDelay.during.disable();
saving = false;
await Promise.all(savers);

// ---------------------------------------------------------------------------------------
// Report

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const MB = SIZE / MiB;
const ratio = baseSeconds / tusSeconds;
console.log(`bench uploads: ${MB.toFixed(0)} MiB video/mp4 through nginx with tus-js-client in ${CHUNK / MiB} MiB chunks (${Math.ceil(SIZE / CHUNK)} PATCH), ${workers().length} vsokd workers`);
console.log('');
console.log(`${''.padEnd(46)}${'seconds'.padStart(9)}${'MiB/s'.padStart(9)}`);
console.log(`${'nginx alone storing the chunks (baseline)'.padEnd(46)}${baseSeconds.toFixed(2).padStart(9)}${(MB / baseSeconds).toFixed(1).padStart(9)}`);
console.log(`${'tus upload through vsokd (until complete)'.padEnd(46)}${tusSeconds.toFixed(2).padStart(9)}${(MB / tusSeconds).toFixed(1).padStart(9)}`);
console.log(`vsokd / nginx alone: ${(100 * ratio).toFixed(0)}% of the baseline's throughput`);
const cpuPerGiB = bigRun.cpu / (SIZE / (1024 * MiB));
console.log(`vsokd workers' CPU time (user + system, /proc/<pid>/stat) during the upload: ${bigRun.cpu.toFixed(2)} s, ${cpuPerGiB.toFixed(2)} s per GiB`);
console.log('');
const how = bigRun.exact ? 'VmHWM reset before each upload, and VmRSS sampled every 50 ms' : 'VmRSS sampled every 50 ms';
console.log(`vsokd workers' peak resident memory (${how}):`);
console.log(`${'  worker'.padEnd(18)}${'before'.padStart(12)}${`${(REF / MiB).toFixed(0)} MiB upload`.padStart(16)}${`${MB.toFixed(0)} MiB upload`.padStart(18)}`);
const pids = [...new Set([...ref.peak.keys(), ...bigRun.peak.keys()])].sort((a, b) => a - b);
for (const p of pids) {
  const cell = (x) => (x === undefined ? '-' : `${x} KiB`);
  console.log(`${`  worker ${p}`.padEnd(18)}${cell(bigRun.before.get(p) ?? ref.before.get(p)).padStart(12)}${cell(ref.peak.get(p)).padStart(16)}${cell(bigRun.peak.get(p)).padStart(18)}`);
}
const top = (m) => Math.max(0, ...m.values());
const growth = top(bigRun.peak) - top(ref.peak);
const flat = growth <= RSS_LIMIT;
console.log(
  `  largest worker: ${top(ref.peak)} KiB for ${(REF / MiB).toFixed(0)} MiB, ${top(bigRun.peak)} KiB for ${MB.toFixed(0)} MiB: ${growth >= 0 ? '+' : ''}${growth} KiB (limit ${RSS_LIMIT} KiB): ${flat ? 'flat' : 'NOT FLAT'}`,
);
if (!flat) fail(`a worker's peak memory grew by ${growth} KiB with the file size (limit ${RSS_LIMIT} KiB)`);
console.log('');
console.log(
  `concurrency: ${PHOTOS} simultaneous photo uploads (${(PHOTO_BYTES / 1e6).toFixed(1)} MB each, one after the other for ${PHOTO_SECONDS} s) while ${SAVERS} clients autosave drafts`,
);
console.log(`${''.padEnd(34)}${'requests'.padStart(9)}${'errors'.padStart(8)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}`);
const row = (name, xs, errors) =>
  console.log(
    `${name.padEnd(34)}${String(xs.length).padStart(9)}${String(errors).padStart(8)}${f1(pct(xs, 50)).padStart(9)}${f1(pct(xs, 95)).padStart(9)}${f1(pct(xs, 99)).padStart(9)}${f1(Math.max(...xs)).padStart(9)}`,
  );
row(`autosave alone (${ALONE_MS / 1000} s)`, saves.alone, 0);
row(`autosave during the uploads`, saves.during, saves.errors);
row(PHOTO_THUMBS ? `photo uploads and their previews` : `photo uploads (POST + PATCH)`, photoTimes, photoErrors);
const lag = (h) => (h.count ? (h.percentile(99) / 1e6).toFixed(1) : '-');
console.log(`the autosaving clients' own event-loop delay, p99: ${lag(loopDelay.alone)} ms alone, ${lag(loopDelay.during)} ms during the uploads`);
console.log(
  `photos: ${photoTimes.length} in ${photoSeconds.toFixed(1)} s (${((photoTimes.length * PHOTO_BYTES) / MiB / photoSeconds).toFixed(1)} MiB/s); autosaves during them: ${(saves.during.length / photoSeconds).toFixed(0)}/s`,
);
console.log(`RESULT ratio=${ratio.toFixed(3)} worker_cpu_s_per_gib=${cpuPerGiB.toFixed(2)} worker_peak_kib=${top(bigRun.peak)} rss_growth_kib=${growth} autosave_p99_ms=${f1(pct(saves.during, 99))} autosave_alone_p99_ms=${f1(pct(saves.alone, 99))} errors=${failures.length}`);
shared.destroy();
process.exit(failures.length ? 1 : 0);
