// make bench, previews part: what evidence previews and copies without location cost, each
// figure a ratio to a baseline measured in the same run.
//
//   1. BENCH_PREVIEW_PHOTOS JPEG photos (default 6, 2400×1600, made by vips from random
//      pixels, with an Exif block carrying a location) are uploaded with tus-js-client;
//   2. first preview: GET /api/v1/files/{id}/thumb of each (vsokd runs vipsthumbnail as a
//      child process and keeps the result), against the same vipsthumbnail command run
//      here directly on the same file: the ratio is what the access check, the spawn and
//      the atomic rename add;
//   3. cached preview: BENCH_PREVIEW_REQUESTS (default 400) GETs of a kept preview on one
//      keep-alive connection, against the same number of GET /api/v1/me (the lightest
//      authenticated call through the same nginx and worker): the ratio says what serving a
//      kept preview costs beyond the access check;
//   4. the copy without location: the first GET /api/v1/files/{id} of each photo by the
//      kindergarten's coordinator (the JPEG rewritten without its GPS IFD) and later ones
//      (the kept copy), against the uploader's GET of the same file (the original bytes).
//
// Environment: BENCH_URL (loopback stack), BENCH_TMP (a scratch directory),
// BENCH_PREVIEW_PHOTOS, BENCH_PREVIEW_REQUESTS. Exit 1 when any request failed.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { tusUpload, makePng, seededRandom } from '../api/fixtures-uploads.mjs';
import { exifSegment, withSegments } from '../api/fixtures-media.mjs';

const env = process.env;
const URLB = env.BENCH_URL.replace(/\/+$/, '');
const TMP = env.BENCH_TMP;
const PHOTOS = Number(env.BENCH_PREVIEW_PHOTOS || 6);
const REQUESTS = Number(env.BENCH_PREVIEW_REQUESTS || 400);
const failures = [];
const fail = (what) => {
  failures.push(what);
  if (failures.length <= 10) console.error(`bench previews: ${what}`);
};

function call(agent, method, p, { token, json } = {}) {
  const body = json === undefined ? null : Buffer.from(JSON.stringify(json));
  const h = {};
  if (token) h.Authorization = `Bearer ${token}`;
  if (body) {
    h['Content-Type'] = 'application/json';
    h['Content-Length'] = body.length;
  }
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(URLB + p, { method, agent, headers: h });
    req.setTimeout(120000, () => req.destroy(new Error('timeout')));
    req.on('response', (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const buf = Buffer.concat(parts);
        let j;
        try {
          j = JSON.parse(buf.toString('utf8'));
        } catch {
          j = undefined;
        }
        resolve({ status: res.statusCode, json: j, bytes: buf, ms: performance.now() - t0 });
      });
    });
    req.on('error', (e) => resolve({ status: 0, json: undefined, bytes: Buffer.from(e.message), ms: performance.now() - t0 }));
    req.end(body);
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function must(method, p, opts) {
  const r = await call(agent, method, p, opts);
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${p}: ${r.status} ${r.bytes.toString('utf8').slice(0, 200)}`);
  return r.json;
}

async function login(name) {
  for (let i = 0; i < 60; i++) {
    const r = await call(agent, 'POST', '/api/v1/auth/login', { json: { login: name, password: 'demo' } });
    if (r.status === 200) return r.json.access_token;
    if (r.status !== 429) throw new Error(`login ${name}: ${r.status}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`login ${name}: still rate-limited`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const ms = (x) => `${x.toFixed(1)} ms`;

// ---------------------------------------------------------------------------------------
// Fixtures: a campaign with QS and one sheet of the teacher

const teacher = await login('teacher');
const doo = await login('doo');
const region = await login('region');
const ins = await must('GET', '/api/v1/instruments', { token: teacher });
const QS = ins.items.find((i) => i.code === 'QS');
const def = (await must('GET', `/api/v1/instruments/${QS.id}`, { token: teacher })).definition;
const indicator = def.sections[0].indicators[0].code;
const me = await must('GET', '/api/v1/me', { token: doo });
const groups = (await must('GET', `/api/v1/units/${me.org_unit.id}/children`, { token: doo })).items.filter((u) => u.level === 'group' && u.active);
const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
const camp = await must('POST', '/api/v1/campaigns', {
  token: region,
  json: { title: `Бенчмарк эскизов ${Date.now().toString(36)}`, year: Number(day(0).slice(0, 4)), opens_on: day(-1), closes_on: day(30), instrument_ids: [QS.id] },
});
const sheet = await must('POST', '/api/v1/submissions', { token: teacher, json: { campaign_id: camp.id, instrument_id: QS.id, target_unit_id: groups[0].id } });

// ---------------------------------------------------------------------------------------
// Photos

const rnd = seededRandom(Date.now() % 1000000007);
const exif = exifSegment({ orientation: 1, gps: { lat: [55, 45, 1], lon: [37, 37, 2] } }).segment;
const files = [];
for (let i = 0; i < PHOTOS; i++) {
  const png = path.join(TMP, `photo-${i}.png`);
  const jpg = path.join(TMP, `photo-${i}.jpg`);
  fs.writeFileSync(png, makePng(2400, 1600, rnd));
  execFileSync('vips', ['copy', png, `${jpg}[Q=85]`]);
  fs.writeFileSync(jpg, withSegments(fs.readFileSync(jpg), [exif]));
  fs.rmSync(png);
  const data = fs.readFileSync(jpg);
  const res = await tusUpload(data, {
    endpoint: `${URLB}/api/v1/uploads`,
    token: teacher,
    metadata: { filename: `photo-${i}.jpg`, filetype: 'image/jpeg', submission: String(sheet.id), indicator },
    chunkSize: 8 * 1024 * 1024,
  });
  const st = await must('GET', `/api/v1/uploads/${res.id}`, { token: teacher });
  files.push({ id: st.file_id, path: jpg, bytes: data.length });
}
const mb = files.reduce((s, f) => s + f.bytes, 0) / files.length / 1e6;

// ---------------------------------------------------------------------------------------
// 2. first preview vs vipsthumbnail run directly

const direct = [];
const first = [];
for (const f of files) {
  const out = path.join(TMP, `direct-${f.id}.jpg`);
  const t0 = performance.now();
  execFileSync('vipsthumbnail', ['--size', '320x320>', '-o', `${out}[Q=82,strip]`, f.path], { env: { PATH: '/usr/bin:/bin', VIPS_CONCURRENCY: '1' } });
  direct.push(performance.now() - t0);
  const r = await call(agent, 'GET', `/api/v1/files/${f.id}/thumb`, { token: teacher });
  if (r.status !== 200) fail(`first preview of ${f.id}: ${r.status}`);
  first.push(r.ms);
}

// 3. cached preview vs GET /me
async function series(p, token) {
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const r = await call(agent, 'GET', p, { token });
    if (r.status !== 200) fail(`GET ${p}: ${r.status}`);
  }
  return (REQUESTS * 1000) / (performance.now() - t0);
}
await series('/api/v1/me', doo); // warm-up
const meRate = await series('/api/v1/me', doo);
const thumbRate = await series(`/api/v1/files/${files[0].id}/thumb`, doo);

// 4. the copy without location
const owner = [];
const copyFirst = [];
const copyKept = [];
for (const f of files) {
  const o = await call(agent, 'GET', `/api/v1/files/${f.id}`, { token: teacher });
  if (o.status !== 200) fail(`original ${f.id}: ${o.status}`);
  owner.push(o.ms);
  const c = await call(agent, 'GET', `/api/v1/files/${f.id}`, { token: doo });
  if (c.status !== 200 || c.bytes.equals(o.bytes) || c.bytes.length > o.bytes.length) fail(`copy ${f.id}: ${c.status}, ${c.bytes.length} bytes, the same as the original`);
  copyFirst.push(c.ms);
  const k = await call(agent, 'GET', `/api/v1/files/${f.id}`, { token: doo });
  if (k.status !== 200) fail(`kept copy ${f.id}: ${k.status}`);
  copyKept.push(k.ms);
}

const row = (what, value, base, ratio) => console.log(`  ${what.padEnd(46)} ${value.padStart(12)}  ${base.padStart(12)}  ${ratio}`);
console.log(`Previews and copies without location (${PHOTOS} JPEG photos 2400×1600, ${mb.toFixed(1)} MB each; medians):`);
console.log(`  ${''.padEnd(46)} ${'vsokd'.padStart(12)}  ${'baseline'.padStart(12)}  ratio`);
row('first preview (thumb) / vipsthumbnail directly', ms(median(first)), ms(median(direct)), (median(first) / median(direct)).toFixed(2));
row('kept preview, req/s / GET /me req/s', thumbRate.toFixed(0), meRate.toFixed(0), (thumbRate / meRate).toFixed(2));
row('first GPS-free copy / the original (uploader)', ms(median(copyFirst)), ms(median(owner)), (median(copyFirst) / median(owner)).toFixed(2));
row('kept GPS-free copy / the original (uploader)', ms(median(copyKept)), ms(median(owner)), (median(copyKept) / median(owner)).toFixed(2));
if (failures.length) {
  console.error(`bench previews: ${failures.length} failure(s)`);
  process.exit(1);
}
