// Evidence uploads (docs/api-evidence.md): the tus 1.0 server under /api/v1/uploads driven
// by the official tus-js-client (node build, Buffers, small chunks), and raw requests
// where the client would never send them (wrong offsets, wrong types, missing protocol
// header, cut connections). Checked on the way: the stored bytes' SHA-256 against the
// source, what lies on disk under $VSOK_TEST_VAR/uploads (partial files, content-addressed
// objects, nothing outside), who may continue an upload and who may read a file, Range,
// deduplication, expiry with `vsokd sweep`, odd file names, termination and detaching.
//
// Fixtures through the API: the region coordinator opens a campaign with the published
// instruments; the teacher starts quality-scale (QS) sheets for groups of its kindergarten;
// indicators come from GET /instruments/{id}. SQL only where the API has no way: moving an
// upload's expiry into the past, and reading evidence_files / uploads rows.
//
// Random data and cut points come from a seeded generator: the seed is printed, and
// VSOK_TEST_SEED=<n> replays a run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BASE, VAR, request, login, show, masterPid, processEnv, waitFor, runTag, testSeed } from './lib.mjs';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay, requiredCodes } from './fixtures-forms.mjs';
import {
  tus,
  sha256,
  seededRandom,
  makePng,
  assertPng,
  tusUpload,
  tusStatus,
  idOf,
  PacedHttpStack,
  rawTus,
  listFiles,
  exists,
  hashedHow,
  objectPath,
} from './fixtures-uploads.mjs';

const ENDPOINT = `${BASE}${API}/uploads`;
const RUN = runTag('u');
const SEED = testSeed();
const rnd = seededRandom(SEED);
const UPLOADS = path.join(VAR, 'uploads');
const KiB = 1024;
const LOGINS = ['admin', 'region', 'municipal', 'municipal2', 'doo', 'doo2', 'teacher', 'teacher2', 'teacher3', 'expert', 'expert2'];
const TUS = { 'Tus-Resumable': '1.0.0' };

const C = new Conformance(loadSpec()); // openapi conformance recorder
const T = {}; // login -> { token, user }
const { api, tokenOf } = apiClient({ tokens: T, conformance: C, checkAll: false });
let QS; // published QS meta
let DEF; // its definition
let INDICATORS = []; // its indicator codes
let CAMPAIGN;
let GROUPS = [];
const SHEET = {}; // name -> sheet document
let MAIN; // the first file: { png, sha, fid, uploadId }
let tmpDir;

// ---------------------------------------------------------------------------------------
// Calls

const seedNote = () => `(VSOK_TEST_SEED=${SEED})`;

/** GET with the raw bytes of the answer: { status, headers, bytes, text, json }. */
const getBytes = (p, who, headers = {}) => request(p, { token: tokenOf(who), headers, timeout: 30000 });

/** GET /files/{id} as `who`: status documented; returns the bytes answer. */
const getFile = async (fid, who, headers) => C.checkBytes('GET', '/files/{id}', await getBytes(`${API}/files/${fid}`, who, headers));

/** The tus upload of `data` by `who` to `sheet`/`indicator` through tus-js-client. */
function up(data, { who = 'teacher', sheet = SHEET.main, indicator = INDICATORS[0], filename, filetype = 'image/png', ...rest } = {}) {
  return tusUpload(data, {
    endpoint: ENDPOINT,
    token: T[who].token,
    metadata: { filename: filename ?? `photo-${RUN}.png`, filetype, submission: String(sheet.id), indicator },
    ...rest,
  });
}

/** GET /api/v1/uploads/{id} as `who` (JSON state; checked against the spec). */
const uploadState = (id, who = 'teacher') => api(who, 'GET', `/uploads/${id}`, { template: '/uploads/{id}' });

/** HEAD /api/v1/uploads/{id} (tus). */
const head = (id, who = 'teacher', headers = TUS) => api(who, 'HEAD', `/uploads/${id}`, { headers });

/** HEAD that must succeed; returns the Upload-Offset kept. */
async function offsetOf(id, who = 'teacher') {
  const r = await head(id, who);
  assert.equal(r.status, 200, `HEAD ${id}: ${show(r)}`);
  assert.equal(r.headers.get('tus-resumable'), '1.0.0');
  assert.equal(r.headers.get('cache-control'), 'no-store', 'HEAD is not cached (tus core)');
  return Number(r.headers.get('upload-offset'));
}

/** The file id a finished upload became (GET /uploads/{id}). */
async function fileIdOf(id, length, who = 'teacher') {
  const st = expect(await uploadState(id, who), 200, `state of upload ${id}`);
  assert.deepEqual({ offset: st.offset, length: st.length, complete: st.complete }, { offset: length, length, complete: true });
  assert.ok(Number.isInteger(st.file_id) && st.file_id > 0, `file_id ${st.file_id}`);
  return st.file_id;
}

/** tus creation by a raw POST; returns the response (Location checked on 201). */
async function create(who, { length, filename = `raw-${RUN}.png`, filetype = 'image/png', sheet = SHEET.main, indicator = INDICATORS[0], meta, headers = TUS } = {}) {
  const m = meta ?? { filename, filetype, submission: String(sheet.id), indicator };
  const h = { ...headers };
  if (length !== undefined) h['Upload-Length'] = String(length);
  h['Upload-Metadata'] = Object.entries(m)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
  const r = await api(who, 'POST', '/uploads', { headers: h, template: '/uploads' });
  if (r.status === 201) {
    assert.match(r.headers.get('location') || '', /^\/api\/v1\/uploads\/[0-9a-f]{32}$/, 'Location names the upload by a path');
    assert.ok(Date.parse(r.headers.get('upload-expires')) > Date.now(), `Upload-Expires ${r.headers.get('upload-expires')}`);
    r.id = idOf(r.headers.get('location'));
  }
  return r;
}

/** A raw tus PATCH with fetch. */
function patch(who, id, offset, body, { contentType = 'application/offset+octet-stream', headers = TUS } = {}) {
  const h = { ...headers };
  if (offset !== undefined) h['Upload-Offset'] = String(offset);
  if (contentType) h['Content-Type'] = contentType;
  return api(who, 'PATCH', `/uploads/${id}`, { headers: h, body, template: '/uploads/{id}' });
}

/** A limit of the running vsokd (its environment, or the documented default). */
function limit(name, fallback) {
  try {
    const v = processEnv(masterPid())[name];
    if (v) return Number(v);
  } catch {
    /* default */
  }
  return fallback;
}

const partialPath = (id) => path.join(UPLOADS, 'partial', id);
const partialSize = (id) => (exists(partialPath(id)) ? statSync(partialPath(id)).size : 0);
const objects = () => listFiles(path.join(UPLOADS, 'objects'));

/** Runs `vsokd sweep` (the binary the stack runs) against the test stack as the schema owner; resolves { code, stdout, stderr }. */
const sweep = () =>
  vsokd(['sweep'], { VSOK_DB_USER: 'vsok', VSOK_DB_PASSWORD_FILE: path.join(VAR, 'secrets', 'db.password'), VSOK_UPLOADS_DIR: UPLOADS }, { timeout: 60000 });

const sqlStr = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A small PNG no other test uploads (random pixels). */
const smallPng = (w = 24, h = 24) => makePng(w, h, rnd);

// ---------------------------------------------------------------------------------------

before(async () => {
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'vsok-uploads-'));
  for (const l of LOGINS) {
    const s = await login(l);
    T[l] = { token: s.token, user: s.user };
  }
  const list = expect(await api('teacher', 'GET', '/instruments'), 200, 'instruments');
  QS = list.items.find((m) => m.code === 'QS');
  assert.ok(QS, 'the quality scale is published');
  const one = expect(await api('teacher', 'GET', `/instruments/${QS.id}`), 200, 'QS definition');
  DEF = one.definition;
  INDICATORS = DEF.sections.flatMap((s) => s.indicators.map((i) => i.code));
  assert.ok(INDICATORS.length >= 6, `QS has indicators: ${INDICATORS}`);
  CAMPAIGN = expect(
    await api('region', 'POST', '/campaigns', {
      json: {
        title: `Доказательства ${RUN}`,
        year: Number(isoDay(0).slice(0, 4)),
        opens_on: isoDay(-1),
        closes_on: isoDay(30),
        instrument_ids: list.items.map((m) => m.id),
      },
    }),
    201,
    'campaign',
  );
  const kids = expect(await api('doo', 'GET', `/units/${T.doo.user.org_unit.id}/children`), 200, 'groups');
  GROUPS = kids.items.filter((u) => u.level === 'group' && u.active);
  assert.ok(GROUPS.length >= 2, 'the demo kindergarten has groups');
  assert.equal(T.teacher.user.org_unit.id, T.doo.user.org_unit.id, 'teacher and doo share the kindergarten');
  const startSheet = async (name, who, target) => {
    const r = await api(who, 'POST', '/submissions', { json: { campaign_id: CAMPAIGN.id, instrument_id: QS.id, target_unit_id: target } });
    SHEET[name] = expect(r, 201, `${who} starts QS for unit ${target}`);
  };
  // the parents of the groups used here consent to photos (another suite may have added a
  // group without consent that now sorts first; docs/api-evidence.md, "Consent")
  const consent = async (who, g) =>
    expect(await api(who, 'PUT', `/units/${g.id}/consent`, { json: { consented: true, date: isoDay(0) } }), 200, `consent of ${g.name}`);
  await consent('doo', GROUPS[0]);
  await consent('doo', GROUPS[1]);
  await startSheet('main', 'teacher', GROUPS[0].id);
  await startSheet('submit', 'teacher', GROUPS[1].id);
  const kids2 = expect(await api('doo2', 'GET', `/units/${T.doo2.user.org_unit.id}/children`), 200, 'groups of kindergarten 2');
  const g2 = kids2.items.find((u) => u.level === 'group' && u.active);
  await consent('doo2', g2);
  await startSheet('other', 'teacher2', g2.id);
  console.log(`# uploads suite: seed ${SEED}, campaign ${CAMPAIGN.id}, sheets ${Object.values(SHEET).map((s) => s.id)}`);
});

after(() => {
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------

test('tus OPTIONS advertises the version, the extensions and the maximum size', async () => {
  const r = await api(null, 'OPTIONS', '/uploads', { template: '/uploads' });
  assert.equal(r.status, 204, show(r));
  assert.equal(r.headers.get('tus-resumable'), '1.0.0');
  assert.ok((r.headers.get('tus-version') || '').split(/\s*,\s*/).includes('1.0.0'), `Tus-Version: ${r.headers.get('tus-version')}`);
  const ext = (r.headers.get('tus-extension') || '').split(/\s*,\s*/);
  for (const e of ['creation', 'termination', 'expiration']) assert.ok(ext.includes(e), `Tus-Extension lists ${e}: ${ext}`);
  const max = limit('VSOK_MAX_VIDEO', 4e9);
  assert.equal(r.headers.get('tus-max-size'), String(max), 'Tus-Max-Size is the largest file accepted (VSOK_MAX_VIDEO)');
});

test('Tus-Resumable missing or another version → 412 with Tus-Version, on POST, HEAD, PATCH and DELETE', async () => {
  const png = smallPng();
  for (const headers of [{}, { 'Tus-Resumable': '0.2.2' }]) {
    const what = headers['Tus-Resumable'] ? 'Tus-Resumable: 0.2.2' : 'no Tus-Resumable';
    const c = await create('teacher', { length: png.length, headers });
    expectProblem(c, 412, 'tus-version', `POST, ${what}`);
    assert.equal(c.headers.get('tus-version'), '1.0.0');
  }
  const c = await create('teacher', { length: png.length });
  assert.equal(c.status, 201, show(c));
  for (const headers of [{}, { 'Tus-Resumable': '0.2.2' }]) {
    const h = await head(c.id, 'teacher', headers);
    assert.equal(h.status, 412, `HEAD without the protocol version: ${show(h)}`);
    assert.equal(h.headers.get('tus-version'), '1.0.0');
    expectProblem(await patch('teacher', c.id, 0, png, { headers }), 412, 'tus-version', 'PATCH');
    expectProblem(await api('teacher', 'DELETE', `/uploads/${c.id}`, { headers, template: '/uploads/{id}' }), 412, 'tus-version', 'DELETE');
  }
  assert.equal(await offsetOf(c.id), 0, 'nothing was stored by the refused requests');
  assert.equal(partialSize(c.id), 0, 'no bytes kept');
  // the JSON state needs no protocol header
  assert.deepEqual(expect(await uploadState(c.id), 200, 'GET'), { offset: 0, length: png.length, complete: false, file_id: null });
  expect(await api('teacher', 'DELETE', `/uploads/${c.id}`, { headers: TUS }), 204, 'clean up');
});

test('a 1 MiB PNG in 64 KiB chunks through tus-js-client: the stored bytes have the source’s SHA-256', async () => {
  const png = makePng(600, 600, rnd); // random pixels: about 1.08 MB, deflate cannot shrink it
  assertPng(png);
  assert.ok(png.length > 1000000, `PNG of ${png.length} bytes`);
  const chunk = 64 * KiB;
  const name = `Группа ${RUN}.png`;
  const res = await up(png, { chunkSize: chunk, filename: name, indicator: INDICATORS[0] });
  const expected = [];
  for (let o = chunk; o < png.length; o += chunk) expected.push(o);
  expected.push(png.length);
  assert.deepEqual(res.chunks, expected, `one PATCH per 64 KiB chunk (${expected.length})`);
  assert.ok(!exists(partialPath(res.id)), 'the partial file is gone once complete');

  const h = await head(res.id);
  assert.equal(h.status, 200, show(h));
  assert.equal(h.headers.get('upload-offset'), String(png.length));
  assert.equal(h.headers.get('upload-length'), String(png.length));
  const fid = await fileIdOf(res.id, png.length);

  const f = await getFile(fid, 'teacher');
  assert.equal(f.status, 200, show(f));
  assert.equal(f.headers.get('content-type'), 'image/png', 'the type read from the bytes');
  assert.equal(f.headers.get('x-content-type-options'), 'nosniff', 'browsers may not sniff evidence into another type');
  assert.equal(f.headers.get('x-accel-redirect'), null, 'the internal path does not leak');
  assert.equal(Number(f.headers.get('content-length')), png.length);
  assert.equal(sha256(f.bytes), sha256(png), 'GET /files returns the source bytes');
  const hex = sha256(png);
  const obj = objectPath(UPLOADS, hex);
  assert.ok(exists(obj), `content-addressed object ${obj}`);
  assert.equal(sha256(readFileSync(obj)), hex, 'the object holds the bytes of its name');

  const ev = expect(await api('teacher', 'GET', `/submissions/${SHEET.main.id}/evidence`, { template: '/submissions/{id}/evidence' }), 200, 'evidence');
  const item = ev.items.find((i) => i.file_id === fid);
  assert.deepEqual(
    item && { indicator: item.indicator, name: item.name, mime: item.mime, size: item.size, url: item.url },
    { indicator: INDICATORS[0], name, mime: 'image/png', size: png.length, url: `${API}/files/${fid}` },
    JSON.stringify(ev),
  );
  const [row] = await query(
    `SELECT LOWER(HEX(sha256)), size, mime, owner_id, kindergarten_id, original_name, declared_type FROM evidence_files WHERE id = ${fid}`,
  );
  assert.deepEqual(row, [hex, String(png.length), 'image/png', String(T.teacher.user.id), String(T.teacher.user.org_unit.id), name, 'image/png']);
  const [[audits]] = await query(`SELECT COUNT(*) FROM audit_log WHERE action = 'evidence.upload' AND entity_id = ${fid}`);
  assert.equal(audits, '1', 'the upload is audited');
  MAIN = { png, sha: hex, fid, uploadId: res.id, name };
});

test('an upload cut in the middle of chunks at random offsets resumes from the offset kept and ends byte-identical', async () => {
  const png = makePng(640, 520, rnd);
  const chunk = 128 * KiB;
  const piece = 16 * KiB;
  const full = Math.floor(png.length / chunk); // chunks of full size
  // distinct full chunks, a cut strictly inside each (never on the last piece: the body stays incomplete)
  const picks = new Set();
  while (picks.size < 4) picks.add(Math.floor(rnd() * full));
  const cuts = [...picks].sort((a, b) => a - b).map((i) => i * chunk + 1 + Math.floor(rnd() * (chunk - 2 * piece)));
  const storage = new tus.FileUrlStorage(path.join(tmpDir, 'tus-urls.json'));
  const name = `cut-${RUN}.png`;
  let id;
  for (const cut of cuts) {
    let upload;
    let cutDone;
    const cutHappened = new Promise((r) => (cutDone = r));
    const stack = new PacedHttpStack({
      piece,
      pauseMs: 1,
      onBytes: (method, written, total, req) => {
        const start = Number(req.getHeader('Upload-Offset'));
        if (method === 'PATCH' && start + written >= cut && !req.aborted) {
          upload.abort().then(() => cutDone({ start, written, total }));
        }
      },
    });
    const run = up(png, { chunkSize: chunk, filename: name, urlStorage: storage, resume: true, httpStack: stack, onUpload: (u) => (upload = u) });
    const done = await Promise.race([cutHappened, run.then(() => 'finished')]);
    assert.notEqual(done, 'finished', `the upload finished before the cut at ${cut} ${seedNote()}`);
    assert.ok(done.written < done.total, `the cut lands inside the chunk: ${JSON.stringify(done)}`);
    id ??= idOf(upload.url);
    assert.equal(idOf(upload.url), id, 'every resume continues the same upload (URL from the storage)');
    const kept = await offsetOf(id);
    assert.equal(kept, done.start, `cut at byte ${cut} (${done.written} bytes into the chunk at ${done.start}): HEAD reports the chunks before it ${seedNote()}`);
    assert.equal(partialSize(id), kept, 'the partial file holds exactly the confirmed bytes');
  }

  // killing the connection by hand, half a chunk sent: nothing of it is kept
  let at = await offsetOf(id);
  const send = 1 + Math.floor(rnd() * (chunk - 2));
  const auth = { ...TUS, Authorization: `Bearer ${T.teacher.token}`, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(at) };
  const killed = await rawTus(`${ENDPOINT}/${id}`, { headers: auth, body: png.subarray(at, at + chunk), send, cut: true });
  assert.ok(killed.cut);
  assert.equal(await offsetOf(id), at, `a request killed after ${send} of ${chunk} bytes stores nothing ${seedNote()}`);

  // the whole chunk sent, the connection dropped before the answer: kept or not, never half
  const dropped = await rawTus(`${ENDPOINT}/${id}`, { headers: auth, body: png.subarray(at, at + chunk), cut: true });
  assert.ok(dropped.cut);
  let now = at;
  for (let i = 0; i < 20 && now === at; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = await offsetOf(id);
  }
  assert.ok(now === at || now === at + chunk, `after a dropped answer HEAD says ${now}: ${at} or ${at + chunk}`);
  at = now;

  // resume with a fresh client from the stored URL (409 on a race is retried by the client)
  const before = objects().length;
  const res = await up(png, { chunkSize: chunk, filename: name, urlStorage: storage, resume: true, retryDelays: [0, 200, 500, 1000] });
  assert.equal(res.id, id, 'the last run continued the same upload');
  assert.equal(res.chunks[0], Math.min(at + chunk, png.length), `it started at the offset kept (${at})`);
  const fid = await fileIdOf(id, png.length);
  const f = await getFile(fid, 'teacher');
  assert.equal(f.status, 200);
  assert.equal(sha256(f.bytes), sha256(png), `byte-identical after ${cuts.length + 2} cuts ${seedNote()}`);
  assert.equal(hashedHow(path.join(VAR, 'log', 'vsokd.log'), id), 'while appending', 'the hash carried across the cuts completed it: the file was not read again');
  assert.equal(objects().length, before + 1, 'one object');
  assert.ok(!exists(partialPath(id)), 'no partial file left');
  // tus-js-client removes the stored URL without waiting before it reports success
  await waitFor(async () => (await storage.findAllUploads()).length === 0, { timeout: 5000, what: 'the client to forget the finished upload' });
});

test('wrong Upload-Offset → 409 with the offset kept, wrong content type → 415, more than declared → 413, racing chunks: one wins', async () => {
  const png = makePng(150, 150, rnd);
  const chunk = 16 * KiB;
  const c = await create('teacher', { length: png.length });
  assert.equal(c.status, 201, show(c));
  const id = c.id;
  let r = await patch('teacher', id, 0, png.subarray(0, chunk));
  assert.equal(r.status, 204, show(r));
  assert.equal(r.headers.get('upload-offset'), String(chunk));
  assert.equal(r.headers.get('tus-resumable'), '1.0.0');

  for (const wrong of [0, 1, chunk - 1, chunk + 1, 2 * chunk, png.length]) {
    r = await patch('teacher', id, wrong, png.subarray(wrong, wrong + chunk));
    expectProblem(r, 409, 'offset-mismatch', `PATCH at ${wrong} while ${chunk} is stored`);
    assert.equal(r.headers.get('upload-offset'), String(chunk), '409 says the offset kept');
  }
  for (const ct of ['application/octet-stream', 'image/png', 'text/plain', null]) {
    r = await patch('teacher', id, chunk, png.subarray(chunk, 2 * chunk), { contentType: ct });
    expectProblem(r, 415, null, `PATCH with Content-Type ${ct}`);
  }
  expectProblem(await patch('teacher', id, undefined, png.subarray(chunk, 2 * chunk)), 400, null, 'PATCH without Upload-Offset');
  expectProblem(await patch('teacher', id, 'x1', png.subarray(chunk, 2 * chunk)), 400, null, 'PATCH with a bad Upload-Offset');
  r = await patch('teacher', id, chunk, Buffer.concat([png.subarray(chunk), Buffer.alloc(10)]));
  expectProblem(r, 413, 'too-large', 'PATCH beyond Upload-Length');
  assert.equal(await offsetOf(id), chunk, 'refused chunks store nothing');
  assert.equal(statSync(partialPath(id)).size, chunk);

  // two clients send the same chunk at once: the database decides, one 204 and one 409
  const both = await Promise.all([0, 1].map(() => patch('teacher', id, chunk, png.subarray(chunk, 2 * chunk))));
  assert.deepEqual(both.map((x) => x.status).sort(), [204, 409], `racing PATCHes: ${both.map(show).join(' | ')}`);
  assert.equal(await offsetOf(id), 2 * chunk);

  const res = await up(png, { uploadUrl: `${ENDPOINT}/${id}`, chunkSize: chunk });
  assert.equal(res.chunks[0], 3 * chunk, 'the client resumed at the offset HEAD gave');
  const f = await getFile(await fileIdOf(id, png.length), 'teacher');
  assert.equal(sha256(f.bytes), sha256(png));
});

test('creation: over the limits → 413 with a clear message, bad lengths and metadata → 400, unknown targets → 404/422', async () => {
  const count = async () => (await query(`SELECT COUNT(*) FROM uploads WHERE submission_id = ${SHEET.main.id}`))[0][0];
  const n0 = await count();
  let r = await create('teacher', { length: 50000001, filetype: 'image/jpeg', filename: 'big.jpg' });
  let p = expectProblem(r, 413, 'too-large', 'a photo over 50 MB');
  assert.match(p.detail, /50 МБ/, 'the message names the limit');
  r = await create('teacher', { length: 4000000001, filetype: 'video/mp4', filename: 'big.mp4' });
  p = expectProblem(r, 413, 'too-large', 'a video over 4 GB');
  assert.match(p.detail, /4000 МБ/);
  r = await create('teacher', { length: 4000000001, filetype: undefined, filename: 'big.bin' });
  expectProblem(r, 413, 'too-large', 'no declared type: the video limit');
  assert.equal(await count(), n0, 'refused creations leave no upload row');

  // exactly at the limit is accepted (and terminated right away)
  r = await create('teacher', { length: 50000000, filetype: 'image/jpeg', filename: 'limit.jpg' });
  assert.equal(r.status, 201, show(r));
  expect(await api('teacher', 'DELETE', `/uploads/${r.id}`, { headers: TUS }), 204, 'terminate');

  // tus-js-client sees the 413 of the creation (a stream of 60 MB declared, nothing sent)
  const err = await up(Readable.from([]), { uploadSize: 60000000, chunkSize: 8 * 1024 * 1024, filetype: 'image/jpeg' }).then(
    () => null,
    (e) => e,
  );
  assert.equal(tusStatus(err), 413, `tus-js-client: ${err}`);

  expectProblem(await create('teacher', { length: 0 }), 400, 'empty-file', 'an empty file');
  expectProblem(await create('teacher', {}), 400, null, 'no Upload-Length');
  for (const bad of ['-1', '12abc', '', '1e6', '0x10']) {
    expectProblem(await create('teacher', { length: bad }), 400, null, `Upload-Length "${bad}"`);
  }
  const meta = { filename: 'a.png', filetype: 'image/png', submission: String(SHEET.main.id), indicator: INDICATORS[0] };
  for (const drop of ['filename', 'submission', 'indicator']) {
    expectProblem(await create('teacher', { length: 10, meta: { ...meta, [drop]: undefined } }), 400, 'bad-metadata', `no ${drop}`);
  }
  expectProblem(await create('teacher', { length: 10, meta: { ...meta, filename: '' } }), 400, 'bad-metadata', 'an empty name');
  const raw = { ...TUS, 'Upload-Length': '10', 'Upload-Metadata': `filename !!!notbase64, submission ${Buffer.from(String(SHEET.main.id)).toString('base64')}, indicator ${Buffer.from(INDICATORS[0]).toString('base64')}` };
  expectProblem(await api('teacher', 'POST', '/uploads', { headers: raw, template: '/uploads' }), 400, 'bad-metadata', 'a name that is not base64');
  expectProblem(await create('teacher', { length: 10, meta: { ...meta, indicator: 'QS.99.99' } }), 422, null, 'an indicator not in the instrument');
  expectProblem(await create('teacher', { length: 10, meta: { ...meta, submission: '987654321' } }), 404, null, 'no such sheet');
  expectProblem(await create('teacher2', { length: 10, meta }), 404, null, 'another kindergarten’s sheet');
  const t3 = await create('teacher3', { length: 10, meta });
  assert.ok([403, 404, 409].includes(t3.status), `another teacher of the kindergarten cannot add to this teacher's sheet: ${show(t3)}`);
  expectProblem(await create(null, { length: 10, meta }), 401, null, 'no token');
  assert.equal(await count(), n0, 'no upload row from any of them');
});

test('a text file named photo.jpg → 415 at the last chunk, and none of its bytes are kept', async () => {
  const line = `Это не фотография, а текст ${RUN}. `;
  const text = Buffer.from(line.repeat(Math.ceil((150 * KiB) / Buffer.byteLength(line))));
  const name = `photo-${RUN}.jpg`;
  const before = objects();
  let upload;
  const err = await up(text, { chunkSize: 64 * KiB, filename: name, filetype: 'image/jpeg', onUpload: (u) => (upload = u) }).then(
    () => null,
    (e) => e,
  );
  assert.equal(tusStatus(err), 415, `expected 415, got ${err}`);
  const body = JSON.parse(err.originalResponse.getBody());
  assert.equal(body.type, '/problems/unsupported-file-type');
  assert.equal(body.status, 415);
  assert.equal(err.chunks.length, 2, 'two chunks were stored before the last one revealed the type');
  const id = idOf(upload.url);
  assert.ok(!exists(partialPath(id)), 'the partial bytes are deleted');
  assert.deepEqual(objects(), before, 'no object stored');
  assert.ok(!exists(objectPath(UPLOADS, sha256(text))));
  assert.equal((await head(id)).status, 404, 'HEAD after the refusal');
  expectProblem(await uploadState(id), 404, null, 'GET after the refusal');
  assert.deepEqual(await query(`SELECT COUNT(*) FROM uploads WHERE id = ${sqlStr(id)}`), [['0']]);
  assert.deepEqual(await query(`SELECT COUNT(*) FROM evidence_files WHERE original_name = ${sqlStr(name)}`), [['0']]);
  const ev = expect(await api('teacher', 'GET', `/submissions/${SHEET.main.id}/evidence`), 200, 'evidence');
  assert.ok(!ev.items.some((i) => i.name === name), 'nothing attached');

  // one chunk of text declared as a video: refused the same way
  const err2 = await up(text.subarray(0, 2000), { filename: 'clip.mp4', filetype: 'video/mp4' }).then(() => null, (e) => e);
  assert.equal(tusStatus(err2), 415, `text declared video/mp4: ${err2}`);
});

test('another kindergarten’s teacher: 404 for HEAD, GET, PATCH and DELETE of the upload and for the file; readers by scope', async () => {
  const png = smallPng(60, 60);
  const c = await create('teacher', { length: png.length });
  assert.equal(c.status, 201);
  assert.equal((await patch('teacher', c.id, 0, png.subarray(0, 1000))).status, 204, 'first chunk');
  assert.equal(await offsetOf(c.id), 1000);
  for (const who of ['teacher2', 'teacher3', 'doo']) {
    const what = `${who} on the teacher's upload`;
    const h = await head(c.id, who);
    assert.equal(h.status, 404, `HEAD, ${what}: ${show(h)}`);
    expectProblem(await uploadState(c.id, who), 404, 'not-found', `GET, ${what}`);
    expectProblem(await patch(who, c.id, 1000, png.subarray(1000)), 404, 'not-found', `PATCH, ${what}`);
    expectProblem(await api(who, 'DELETE', `/uploads/${c.id}`, { headers: TUS, template: '/uploads/{id}' }), 404, 'not-found', `DELETE, ${what}`);
  }
  assert.equal(await offsetOf(c.id), 1000, 'the upload is untouched');
  expectProblem(await uploadState(c.id, null), 401, null, 'no token');
  const res = await up(png, { uploadUrl: `${ENDPOINT}/${c.id}` });
  const fid = await fileIdOf(res.id, png.length);
  assert.ok(MAIN, 'the first upload test ran');

  for (const [fileId, bytes] of [
    [fid, png],
    [MAIN.fid, MAIN.png],
  ]) {
    // the kindergarten's people, its coordinators up the tree, the experts assigned to it
    for (const who of ['teacher', 'teacher3', 'doo', 'municipal', 'region', 'admin', 'expert']) {
      const f = await getFile(fileId, who);
      assert.equal(f.status, 200, `${who} reads file ${fileId}: ${f.status} ${f.text.slice(0, 200)}`);
      assert.equal(sha256(f.bytes), sha256(bytes), `${who}: the bytes`);
    }
    for (const who of ['teacher2', 'doo2', 'municipal2', 'expert2']) {
      const f = await getFile(fileId, who);
      expectProblem(f, 404, 'not-found', `${who} reads file ${fileId}`);
      assert.ok(!f.headers.get('content-disposition'), 'no file details leak');
    }
    expectProblem(await getFile(fileId, null), 401, null, 'no token');
  }
  expectProblem(await getFile(987654321, 'teacher'), 404, null, 'no such file');
  // the objects are reachable only through the access check
  const hex = MAIN.sha;
  for (const p of [`/_files/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`, `/api/v1/files/..%2f..%2f_files%2f${hex.slice(0, 2)}%2f${hex.slice(2, 4)}%2f${hex}`]) {
    const direct = await getBytes(p, 'teacher');
    assert.ok(direct.status === 404 || direct.status === 400, `GET ${p}: ${direct.status}`);
    assert.notEqual(sha256(direct.bytes), hex, `GET ${p} does not serve the object`);
  }
  const bad = await getFile('abc', 'teacher');
  assert.ok([400, 404].includes(bad.status), `a bad file id: ${show(bad)}`);
  expectProblem(await api('teacher2', 'GET', `/submissions/${SHEET.main.id}/evidence`, { template: '/submissions/{id}/evidence' }), 404, null, 'evidence list of another kindergarten');
});

test('Range requests → 206 with the right bytes (video seeking), 416 past the end', async () => {
  assert.ok(MAIN, 'the first upload test ran');
  const { png, fid } = MAIN;
  const len = png.length;
  const whole = await getFile(fid, 'teacher');
  assert.equal(whole.headers.get('accept-ranges'), 'bytes', 'nginx advertises ranges');
  const cases = [
    ['bytes=0-0', 0, 1],
    ['bytes=1000-1999', 1000, 2000],
    [`bytes=${len - 500}-`, len - 500, len],
    ['bytes=-333', len - 333, len],
    [`bytes=${len - 10}-${len + 1000}`, len - 10, len],
  ];
  const a = Math.floor(rnd() * (len - 70000));
  cases.push([`bytes=${a}-${a + 65535}`, a, a + 65536]);
  for (const [range, from, to] of cases) {
    const r = await getFile(fid, 'teacher', { Range: range });
    assert.equal(r.status, 206, `${range}: ${r.status}`);
    assert.equal(r.headers.get('content-range'), `bytes ${from}-${to - 1}/${len}`, range);
    assert.equal(Number(r.headers.get('content-length')), to - from, range);
    assert.ok(r.bytes.equals(png.subarray(from, to)), `${range}: the right bytes`);
    assert.equal(r.headers.get('content-type'), 'image/png');
  }
  const r = await getFile(fid, 'teacher', { Range: `bytes=${len}-` });
  assert.equal(r.status, 416, `a range past the end: ${r.status}`);
  const other = await getFile(fid, 'teacher2', { Range: 'bytes=0-99' });
  assert.equal(other.status, 404, 'a range does not bypass the access check');
});

test('the same bytes twice: two file rows, one object on disk; detaching one leaves the bytes of the other', async () => {
  const png = smallPng(120, 90);
  const hex = sha256(png);
  const before = objects();
  const a = await up(png, { filename: `first-${RUN}.png`, indicator: INDICATORS[1] });
  const b = await up(png, { filename: `second-${RUN}.png`, indicator: INDICATORS[2], chunkSize: 7000 });
  const fa = await fileIdOf(a.id, png.length);
  const fb = await fileIdOf(b.id, png.length);
  assert.notEqual(fa, fb, 'two evidence files');
  const added = objects().filter((o) => !before.includes(o));
  assert.deepEqual(added, [`${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`], 'one object, named by the SHA-256');
  assert.deepEqual(await query(`SELECT COUNT(*) FROM evidence_files WHERE sha256 = UNHEX('${hex}')`), [['2']]);
  for (const [fid, name] of [
    [fa, `first-${RUN}.png`],
    [fb, `second-${RUN}.png`],
  ]) {
    const f = await getFile(fid, 'teacher');
    assert.equal(sha256(f.bytes), hex);
    assert.match(f.headers.get('content-disposition') || '', new RegExp(`filename="${name}"`), 'each row keeps its own name');
  }
  // detach the first: the second still serves the shared bytes
  const del = await api('teacher', 'DELETE', `/submissions/${SHEET.main.id}/evidence/${fa}`, { template: '/submissions/{id}/evidence/{file_id}' });
  assert.equal(del.status, 204, show(del));
  expectProblem(await api('teacher', 'DELETE', `/submissions/${SHEET.main.id}/evidence/${fa}`), 404, null, 'detached twice');
  expectProblem(await api('teacher2', 'DELETE', `/submissions/${SHEET.main.id}/evidence/${fb}`), 404, null, 'another kindergarten’s teacher detaches');
  const ev = expect(await api('teacher', 'GET', `/submissions/${SHEET.main.id}/evidence`), 200, 'evidence');
  assert.ok(!ev.items.some((i) => i.file_id === fa), 'the first is detached');
  assert.ok(ev.items.some((i) => i.file_id === fb && i.indicator === INDICATORS[2]), 'the second stays');
  assert.ok(exists(objectPath(UPLOADS, hex)), 'the shared object stays');
  const f = await getFile(fb, 'teacher');
  assert.equal(sha256(f.bytes), hex);
});

test('expiry: an upload past its time → 410, `vsokd sweep` removes its bytes and row → 404; finished ones stay', async () => {
  // keep the workers' own periodic sweep out of the way for its interval
  await query("UPDATE job_leases SET ran_at = UTC_TIMESTAMP(6) WHERE job = 'upload_sweep'");
  const png = smallPng(80, 80);
  const c = await create('teacher', { length: png.length });
  assert.equal(c.status, 201);
  const r = await patch('teacher', c.id, 0, png.subarray(0, 5000));
  assert.equal(r.status, 204, show(r));
  assert.ok(Date.parse(r.headers.get('upload-expires')) > Date.now(), 'PATCH says until when (expiration extension)');
  assert.ok(Date.parse((await head(c.id)).headers.get('upload-expires')) > Date.now(), 'so does HEAD');
  assert.equal(statSync(partialPath(c.id)).size, 5000);
  await query(`UPDATE uploads SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = ${sqlStr(c.id)}`);
  await query(`UPDATE uploads SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE id = ${sqlStr(MAIN.uploadId)}`);

  const h = await head(c.id);
  assert.equal(h.status, 410, `HEAD of an expired upload: ${show(h)}`);
  expectProblem(await uploadState(c.id), 410, 'gone', 'GET of an expired upload');
  expectProblem(await patch('teacher', c.id, 5000, png.subarray(5000)), 410, 'gone', 'PATCH of an expired upload');
  assert.equal(await offsetOf(MAIN.uploadId), MAIN.png.length, 'a finished upload does not expire');

  const s = await sweep();
  assert.equal(s.code, 0, `vsokd sweep: exit ${s.code}\n${s.stdout}\n${s.stderr}`);
  const m = /(\d+) expired upload\(s\) removed/.exec(s.stdout);
  assert.ok(m && Number(m[1]) >= 1, `vsokd sweep output: ${s.stdout}`);
  assert.ok(!exists(partialPath(c.id)), 'the partial bytes are gone');
  assert.equal((await head(c.id)).status, 404, 'HEAD after the sweep');
  assert.deepEqual(await query(`SELECT COUNT(*) FROM uploads WHERE id = ${sqlStr(c.id)}`), [['0']]);
  assert.equal(await offsetOf(MAIN.uploadId), MAIN.png.length, 'the finished upload is still known');
  const f = await getFile(MAIN.fid, 'teacher');
  assert.equal(sha256(f.bytes), MAIN.sha, 'its file is untouched');
});

test('odd file names are metadata only: nothing is written outside uploads/, the name comes back intact (RFC 5987)', async () => {
  const names = [
    '../../etc/passwd',
    `../../../../../../tmp/vsok-evil-${RUN}.png`,
    '/etc/cron.d/vsok-evil',
    'C:\\Windows\\System32\\evil.png',
    'a "quoted" \'name\'.png',
    'line1\nline2\r\n.png',
    'tab\there; filename="x.exe", semi.png',
    `Фото группы «Солнышко» №1 ${RUN}.png`,
    '%2e%2e%2fencoded.png',
    '..',
    'emoji 📷.png',
    'Ж'.repeat(127) + 'a', // 255 bytes: the longest accepted
  ];
  const SKIP = ['db', 'log', 'run', 'nginx', 'secrets'];
  const before = listFiles(VAR, SKIP);
  const passwd = statSync('/etc/passwd');
  const made = [];
  for (const name of names) {
    const png = smallPng(20, 20);
    const res = await up(png, { filename: name, indicator: INDICATORS[3] });
    const fid = await fileIdOf(res.id, png.length);
    const hex = sha256(png);
    made.push(`uploads/objects/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`);
    const ev = expect(await api('teacher', 'GET', `/submissions/${SHEET.main.id}/evidence`), 200, 'evidence');
    assert.equal(ev.items.find((i) => i.file_id === fid)?.name, name, `the name is kept as sent: ${JSON.stringify(name)}`);
    const f = await getFile(fid, 'teacher');
    assert.equal(f.status, 200);
    assert.equal(sha256(f.bytes), sha256(png));
    const cd = f.headers.get('content-disposition') || '';
    assert.doesNotMatch(cd, /[\x00-\x1f\x7f]/, `no control characters in Content-Disposition: ${JSON.stringify(cd)}`);
    const m = /^(inline|attachment); filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$/.exec(cd);
    assert.ok(m, `Content-Disposition has a safe quoted filename and an RFC 5987 filename*: ${JSON.stringify(cd)}`);
    assert.doesNotMatch(m[2], /[/\\]/, `the fallback name has no path separators: ${m[2]}`);
    assert.equal(decodeURIComponent(m[3]), name, 'filename* decodes to the original name');
  }
  const cyr = await getFile((await query(`SELECT MAX(id) FROM evidence_files WHERE original_name = ${sqlStr(names[7])}`))[0][0], 'teacher');
  assert.match(cyr.headers.get('content-disposition'), /filename\*=UTF-8''%D0%A4%D0%BE%D1%82%D0%BE%20/, 'Cyrillic in RFC 5987 form');

  const added = listFiles(VAR, SKIP).filter((f) => !before.includes(f));
  assert.deepEqual(added.sort(), [...new Set(made)].sort(), 'the only new files are the content-addressed objects');
  assert.ok(!exists(`/tmp/vsok-evil-${RUN}.png`));
  assert.ok(!exists('/etc/cron.d/vsok-evil'));
  assert.ok(!exists(path.join(VAR, 'etc')) && !exists(path.join(UPLOADS, 'etc')));
  const after = statSync('/etc/passwd');
  assert.equal(after.mtimeMs, passwd.mtimeMs, '/etc/passwd untouched');
  assert.equal(after.size, passwd.size);

  // too long: 300 characters, and 256 bytes of Cyrillic (128 letters) → 400
  for (const name of ['x'.repeat(300), 'Ж'.repeat(128)]) {
    const err = await up(smallPng(), { filename: name }).then(() => null, (e) => e);
    assert.equal(tusStatus(err), 400, `a name of ${Buffer.byteLength(name)} bytes: ${err}`);
    expectProblem(await create('teacher', { length: 100, filename: name }), 400, 'bad-metadata', `name of ${Buffer.byteLength(name)} bytes`);
  }
});

test('the kindergarten quota counts what has arrived: twelve 4 GB uploads announced and never sent lock no colleague out', async () => {
  const quota = limit('VSOK_KINDERGARTEN_QUOTA', 50e9);
  const maxVideo = limit('VSOK_MAX_VIDEO', 4e9);
  const kg = T.teacher.user.org_unit.id;
  assert.equal(T.teacher3.user.org_unit.id, kg, 'teacher3 works in the same kindergarten');
  const n = Math.max(12, Math.ceil(quota / maxVideo)); // together at least the whole quota
  const ids = [];
  try {
    for (let i = 0; i < n; i++) {
      const r = await create('teacher', { length: maxVideo, filetype: 'video/mp4', filename: `reserve-${i}-${RUN}.mp4` });
      assert.equal(r.status, 201, `announcing video ${i + 1} of ${maxVideo} bytes: ${show(r)}`);
      ids.push(r.id);
    }
    // a colleague: a sheet of her own, a real photo and a video announced of her own
    const { sheet } = await lateSheet('квота', 'teacher3');
    const png = smallPng(40, 40);
    const res = await up(png, { who: 'teacher3', sheet, indicator: INDICATORS[0], filename: `colleague-${RUN}.png` });
    const f = await getFile(await fileIdOf(res.id, png.length, 'teacher3'), 'teacher3');
    assert.equal(sha256(f.bytes), sha256(png), 'the colleague’s photo is stored');
    const video = await create('teacher3', { length: maxVideo, filetype: 'video/mp4', filename: 'colleague.mp4', sheet });
    assert.equal(video.status, 201, `the colleague announces a video too: ${show(video)}`);
    ids.push(video.id);
  } finally {
    for (const id of ids) {
      const who = (await query(`SELECT u.login FROM uploads x JOIN users u ON u.id = x.owner_id WHERE x.id = ${sqlStr(id)}`))[0]?.[0];
      if (who) await api(who, 'DELETE', `/uploads/${id}`, { headers: TUS });
    }
  }
});

test('the kindergarten quota: over it → 413 naming the space used, at creation (declared length) and at PATCH (bytes that arrive)', async () => {
  const quota = limit('VSOK_KINDERGARTEN_QUOTA', 50e9);
  const kg = T.teacher.user.org_unit.id;
  const usage = async () =>
    Number(
      (
        await query(
          `SELECT (SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE kindergarten_id = ${kg}) + ` +
            `(SELECT COALESCE(SUM(received), 0) FROM uploads WHERE kindergarten_id = ${kg} AND file_id IS NULL AND expires_at > UTC_TIMESTAMP())`,
        )
      )[0][0],
    );
  // the stored files of a nearly full kindergarten: one row standing for them (no link, no bytes)
  const free = 100000;
  const filler = quota - (await usage()) - free;
  assert.ok(filler > 0, `quota ${quota}`);
  await query(
    `INSERT INTO evidence_files (sha256, size, mime, owner_id, kindergarten_id, original_name) VALUES ` +
      `(UNHEX(SHA2('${RUN}-quota', 256)), ${filler}, 'video/mp4', ${T.teacher.user.id}, ${kg}, 'quota-filler-${RUN}')`,
  );
  const ids = [];
  const made = async (length) => {
    const r = await create('teacher', { length, filetype: 'video/mp4', filename: `quota-${RUN}.mp4` });
    if (r.status === 201) ids.push(r.id);
    return r;
  };
  const bytes = randomBytes(90000);
  try {
    const over = expectProblem(await made(free + 1), 413, 'quota-exceeded', 'a file larger than what is left');
    assert.ok(over.detail.includes(String(Math.floor(quota / 1e6))) && /МБ/.test(over.detail), `the message names the quota: ${over.detail}`);
    const a = await made(90000);
    assert.equal(a.status, 201, show(a));
    assert.equal((await patch('teacher', a.id, 0, bytes.subarray(0, 60000))).status, 204);
    expectProblem(await made(50000), 413, 'quota-exceeded', '60,000 bytes arrived + 50,000 announced > 100,000 free');
    const b = await made(30000);
    assert.equal(b.status, 201, `30,000 bytes still fit: ${show(b)}`);
    assert.equal((await patch('teacher', b.id, 0, bytes.subarray(0, 25000))).status, 204);
    // A's next 20,000 bytes no longer fit: 85,000 arrived of 100,000
    const r = await patch('teacher', a.id, 60000, bytes.subarray(60000, 80000));
    expectProblem(r, 413, 'quota-exceeded', 'a chunk over the quota');
    assert.equal(await offsetOf(a.id), 60000, 'the refused chunk stored nothing');
    assert.equal(partialSize(a.id), 60000);
    // B terminated: its bytes free the space, A goes on
    expect(await api('teacher', 'DELETE', `/uploads/${b.id}`, { headers: TUS }), 204, 'terminate B');
    assert.equal((await patch('teacher', a.id, 60000, bytes.subarray(60000, 80000))).status, 204, 'A continues');
  } finally {
    await query(`DELETE FROM evidence_files WHERE original_name = 'quota-filler-${RUN}'`);
    for (const id of ids) await api('teacher', 'DELETE', `/uploads/${id}`, { headers: TUS });
  }
});

test('a photo declared as a video is held to the photo limit when its bytes are read (413, bytes deleted)', async () => {
  const maxPhoto = limit('VSOK_MAX_PHOTO', 50e6);
  assert.ok(maxPhoto <= 64e6, `VSOK_MAX_PHOTO ${maxPhoto}: too large for this test`);
  const sig = makePng(8, 8, rnd).subarray(0, 33); // signature and IHDR: libmagic says image/png
  const buf = Buffer.concat([sig, randomBytes(maxPhoto + 1 - sig.length)]);
  const before = objects();
  let upload;
  const err = await up(buf, { filetype: 'video/mp4', filename: `clip-${RUN}.mp4`, chunkSize: 8 * 1024 * 1024, onUpload: (u) => (upload = u) }).then(
    () => null,
    (e) => e,
  );
  assert.equal(tusStatus(err), 413, `a ${buf.length}-byte PNG declared video/mp4: ${err}`);
  assert.equal(JSON.parse(err.originalResponse.getBody()).type, '/problems/too-large');
  const id = idOf(upload.url);
  assert.ok(!exists(partialPath(id)), 'its bytes are deleted');
  assert.deepEqual(objects(), before, 'no object stored');
  assert.equal((await head(id)).status, 404);
});

/** A QS sheet of `who` in a campaign of its own (closing it touches nothing else). */
async function lateSheet(tag, who = 'teacher') {
  const camp = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Доказательства ${RUN} ${tag}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: [QS.id] },
    }),
    201,
    'campaign',
  );
  const sheet = expect(
    await api(who, 'POST', '/submissions', { json: { campaign_id: camp.id, instrument_id: QS.id, target_unit_id: GROUPS[0].id } }),
    201,
    'sheet',
  );
  return { camp, sheet };
}

test('an upload started on a draft cannot attach its file once the sheet is submitted (409)', async () => {
  const { sheet } = await lateSheet('отправлена');
  const png = smallPng(30, 30);
  const c = await create('teacher', { length: png.length, sheet, indicator: INDICATORS[5] });
  assert.equal((await patch('teacher', c.id, 0, png.subarray(0, 500))).status, 204, 'first chunk while a draft');
  const answers = Object.fromEntries(requiredCodes(DEF).map((x) => [x, 'met']));
  const saved = expect(await api('teacher', 'PATCH', `/submissions/${sheet.id}`, { json: { base_version: sheet.version, answers } }), 200, 'fill');
  expect(await api('teacher', 'POST', `/submissions/${sheet.id}/submit`, { json: { base_version: saved.version } }), 200, 'submit');
  const last = await patch('teacher', c.id, 500, png.subarray(500));
  const ev = expect(await api('doo', 'GET', `/submissions/${sheet.id}/evidence`), 200, 'evidence');
  assert.deepEqual(ev.items, [], `nothing is attached to the submitted sheet (last chunk: ${show(last)})`);
  expectProblem(last, 409, 'not-editable', 'the last chunk after the sheet was submitted');
});

test('an upload started in an open campaign cannot attach its file once the campaign has closed (409)', async () => {
  const { camp, sheet } = await lateSheet('закрыта');
  const png = smallPng(30, 30);
  const c = await create('teacher', { length: png.length, sheet, indicator: INDICATORS[5] });
  assert.equal((await patch('teacher', c.id, 0, png.subarray(0, 500))).status, 204, 'first chunk while open');
  await query(`UPDATE campaigns SET opens_on = CURRENT_DATE - INTERVAL 10 DAY, closes_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = ${Number(camp.id)}`);
  expectProblem(await create('teacher', { length: png.length, sheet, indicator: INDICATORS[5] }), 409, 'not-editable', 'a new upload after the campaign closed');
  const last = await patch('teacher', c.id, 500, png.subarray(500));
  const ev = expect(await api('teacher', 'GET', `/submissions/${sheet.id}/evidence`), 200, 'evidence');
  assert.deepEqual(ev.items, [], `nothing is attached after the campaign closed (last chunk: ${show(last)})`);
  expectProblem(last, 409, null, 'the last chunk after the campaign closed');
});

test('DELETE terminates an unfinished upload: its bytes and row go, then HEAD, PATCH and DELETE → 404', async () => {
  const png = smallPng(70, 70);
  const c = await create('teacher', { length: png.length });
  assert.equal((await patch('teacher', c.id, 0, png.subarray(0, 4000))).status, 204);
  assert.ok(exists(partialPath(c.id)));
  const d = await api('teacher', 'DELETE', `/uploads/${c.id}`, { headers: TUS, template: '/uploads/{id}' });
  assert.equal(d.status, 204, show(d));
  assert.equal(d.headers.get('tus-resumable'), '1.0.0');
  assert.ok(!exists(partialPath(c.id)), 'the partial bytes are removed');
  assert.equal((await head(c.id)).status, 404);
  expectProblem(await patch('teacher', c.id, 4000, png.subarray(4000)), 404, null, 'PATCH after DELETE');
  expectProblem(await api('teacher', 'DELETE', `/uploads/${c.id}`, { headers: TUS }), 404, null, 'DELETE twice');
  assert.deepEqual(await query(`SELECT COUNT(*) FROM uploads WHERE id = ${sqlStr(c.id)}`), [['0']]);

  // tus-js-client's own termination: abort(true) after the first chunk
  let upload;
  let stopped;
  const aborted = new Promise((r) => (stopped = r));
  const run = up(png, {
    chunkSize: 4000,
    onUpload: (u) => (upload = u),
    onChunk: (accepted) => {
      if (accepted === 4000) upload.abort(true).then(() => stopped('terminated'), stopped);
    },
  });
  assert.equal(await Promise.race([aborted, run.then(() => 'finished')]), 'terminated', 'tus-js-client terminated the upload');
  const id = idOf(upload.url);
  assert.equal((await head(id)).status, 404, 'terminated by the client');
  assert.ok(!exists(partialPath(id)));

  // a finished upload is not terminated: its file stays
  const fin = await api('teacher', 'DELETE', `/uploads/${MAIN.uploadId}`, { headers: TUS, template: '/uploads/{id}' });
  assert.ok(fin.status >= 400 && fin.status < 500, `DELETE of a finished upload: ${show(fin)}`);
  assert.equal((await getFile(MAIN.fid, 'teacher')).status, 200, 'the finished file is still served');
});

test('a submitted sheet keeps its evidence: detaching → 409, new uploads → 409; returned, it can be detached again', async () => {
  const sheet = SHEET.submit;
  const png = smallPng(50, 50);
  const res = await up(png, { sheet, indicator: INDICATORS[4], filename: `submitted-${RUN}.png` });
  const fid = await fileIdOf(res.id, png.length);
  const answers = Object.fromEntries(requiredCodes(DEF).map((c) => [c, 'met']));
  const saved = expect(await api('teacher', 'PATCH', `/submissions/${sheet.id}`, { json: { base_version: sheet.version, answers } }), 200, 'fill the sheet');
  const sub = expect(await api('teacher', 'POST', `/submissions/${sheet.id}/submit`, { json: { base_version: saved.version } }), 200, 'submit');
  assert.equal(sub.status, 'submitted');

  const del = await api('teacher', 'DELETE', `/submissions/${sheet.id}/evidence/${fid}`, { template: '/submissions/{id}/evidence/{file_id}' });
  expectProblem(del, 409, 'not-editable', 'detaching from a submitted sheet');
  const del2 = await api('teacher', 'DELETE', `/submissions/${sheet.id}/evidence/${fid}?indicator=${encodeURIComponent(INDICATORS[4])}`);
  expectProblem(del2, 409, 'not-editable', 'detaching from one indicator of a submitted sheet');
  const ev = expect(await api('doo', 'GET', `/submissions/${sheet.id}/evidence`, { template: '/submissions/{id}/evidence' }), 200, 'evidence as the reviewer');
  assert.ok(ev.items.some((i) => i.file_id === fid && i.indicator === INDICATORS[4]), 'the evidence is still attached');
  assert.equal(sha256((await getFile(fid, 'doo')).bytes), sha256(png), 'the reviewer opens it');
  expectProblem(await create('teacher', { length: 100, sheet, indicator: INDICATORS[4] }), 409, 'not-editable', 'a new upload to a submitted sheet');

  // returned to the author: editable again
  const ret = await api('doo', 'POST', `/submissions/${sheet.id}/return`, { json: { comment: 'Подпишите фотографии' } });
  assert.equal(ret.status, 200, show(ret));
  const again = await api('teacher', 'DELETE', `/submissions/${sheet.id}/evidence/${fid}?indicator=${encodeURIComponent(INDICATORS[4])}`);
  assert.equal(again.status, 204, `detaching from a returned sheet: ${show(again)}`);
});

test('responses match backend/openapi.yaml', () => {
  assert.ok(C.checked > 50, `only ${C.checked} responses checked`);
  assert.deepEqual(C.distinct(), [], `responses that do not match the spec:\n${C.distinct().join('\n')}`);
});
