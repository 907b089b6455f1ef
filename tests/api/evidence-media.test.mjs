// Evidence media (docs/api-evidence.md): previews (GET /files/{id}/thumb) of JPEG, PNG and
// HEIC photos and of MP4 videos, the Exif orientation applied and nothing of the metadata
// kept; the location taken out of photos served to anyone but the uploader; captions per
// link (Upload-Metadata and PATCH); the orphan sweep (`vsokd sweep`). Uploads go through
// the official tus-js-client as in uploads.test.mjs.
//
// The media are made here: PNGs with node:zlib (fixtures-uploads.mjs), JPEG and HEIC from
// them with vips, MP4 with ffmpeg, Exif and XMP blocks byte by byte (fixtures-media.mjs).
// What comes back is read the same way: dimensions from the JPEG's SOF marker, Exif tags
// from its APP1 segment. SQL only where the API has no way: ageing a file row past the
// upload expiry for the sweep, and reading evidence_files rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { mkdtempSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, VAR, request, login, show, masterPid, processEnv, jwtKey, runTag, testSeed } from './lib.mjs';
import { createHmac } from 'node:crypto';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay, requiredCodes } from './fixtures-forms.mjs';
import { sha256, seededRandom, makePng, tusUpload, tusStatus, exists, objectPath } from './fixtures-uploads.mjs';
import {
  jpegFromPng,
  convertJpeg,
  testMp4,
  exifSegment,
  xmpSegment,
  withSegments,
  jpegSegments,
  jpegSize,
  jpegScan,
  exifPayload,
  readExif,
} from './fixtures-media.mjs';

const ENDPOINT = `${BASE}${API}/uploads`;
const RUN = runTag('m');
const SEED = testSeed();
const rnd = seededRandom(SEED);
const UPLOADS = path.join(VAR, 'uploads');
const LOGINS = ['region', 'doo', 'teacher', 'teacher2', 'teacher3', 'expert', 'expert2', 'municipal'];
const GPS = { lat: [55, 45, 21.5], lon: [37, 37, 3.25] };

const C = new Conformance(loadSpec());
const T = {};
const { api, tokenOf } = apiClient({ tokens: T, conformance: C, checkAll: false });
let QS;
let DEF;
let INDICATORS = [];
let CAMPAIGN;
const SHEET = {};
let tmpDir;

// ---------------------------------------------------------------------------------------

/** GET with the raw bytes of the answer, recorded against the spec under template. */
const getBytes = async (p, who, template) => C.checkBytes('GET', template, await request(p, { token: tokenOf(who), timeout: 60000 }));

const getFile = (fid, who) => getBytes(`${API}/files/${fid}`, who, '/files/{id}');
const getThumb = (fid, who) => getBytes(`${API}/files/${fid}/thumb`, who, '/files/{id}/thumb');

/** Uploads data as `who` with tus-js-client; resolves the evidence file id. */
async function upload(data, { who = 'teacher', sheet = SHEET.main, indicator = INDICATORS[0], filename, filetype, caption } = {}) {
  const metadata = { filename, filetype, submission: String(sheet.id), indicator };
  if (caption !== undefined) metadata.caption = caption;
  const res = await tusUpload(data, { endpoint: ENDPOINT, token: T[who].token, metadata, chunkSize: 256 * 1024 });
  const st = expect(await api(who, 'GET', `/uploads/${res.id}`), 200, 'upload state');
  assert.equal(st.complete, true, JSON.stringify(st));
  return st.file_id;
}

async function evidenceItem(fid, sheet = SHEET.main, who = 'teacher') {
  const ev = expect(await api(who, 'GET', `/submissions/${sheet.id}/evidence`, { template: '/submissions/{id}/evidence' }), 200, 'evidence');
  return ev.items.find((i) => i.file_id === fid);
}

const derivedPath = (what, hex, ext) => path.join(UPLOADS, 'derived', what, hex.slice(0, 2), hex.slice(2, 4), `${hex}.${ext}`);

async function shaOf(fid) {
  const [[hex]] = await query(`SELECT LOWER(HEX(sha256)) FROM evidence_files WHERE id = ${Number(fid)}`);
  return hex;
}

/** Checks a preview answer: 200, a JPEG, private caching, no internal path, no metadata segments. */
function assertThumb(r, what) {
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.headers.get('content-type'), 'image/jpeg', what);
  assert.match(r.headers.get('cache-control') || '', /^private, max-age=\d+$/, `${what}: Cache-Control`);
  assert.equal(r.headers.get('x-accel-redirect'), null, `${what}: the internal path does not leak`);
  const segs = jpegSegments(r.bytes);
  const meta = segs.filter((s) => s.marker === 0xe1 || s.marker === 0xed || (s.marker >= 0xe2 && s.marker <= 0xef));
  assert.deepEqual(meta.map((s) => s.marker.toString(16)), [], `${what}: no Exif, XMP or other metadata segments`);
  const size = jpegSize(r.bytes);
  assert.ok(Math.max(size.width, size.height) <= 320, `${what}: at most 320 px on the long side: ${JSON.stringify(size)}`);
  return size;
}

/** Runs `vsokd sweep` (the binary the stack runs) against the test stack as the schema owner; resolves { code, stdout, stderr }. */
const sweep = () =>
  vsokd(['sweep'], { VSOK_DB_USER: 'vsok', VSOK_DB_PASSWORD_FILE: path.join(VAR, 'secrets', 'db.password'), VSOK_UPLOADS_DIR: UPLOADS }, { timeout: 120000 });

/** The upload expiry of the running vsokd (seconds). */
function uploadExpiry() {
  try {
    const v = processEnv(masterPid()).VSOK_UPLOAD_EXPIRY;
    if (v) return Number(v);
  } catch {
    /* default */
  }
  return 24 * 3600;
}

// ---------------------------------------------------------------------------------------

before(async () => {
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'vsok-media-'));
  for (const l of LOGINS) {
    const s = await login(l);
    T[l] = { token: s.token, user: s.user };
  }
  const list = expect(await api('teacher', 'GET', '/instruments'), 200, 'instruments');
  QS = list.items.find((m) => m.code === 'QS');
  assert.ok(QS, 'the quality scale is published');
  DEF = expect(await api('teacher', 'GET', `/instruments/${QS.id}`), 200, 'QS').definition;
  INDICATORS = DEF.sections.flatMap((s) => s.indicators.map((i) => i.code));
  CAMPAIGN = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Медиа ${RUN}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: list.items.map((m) => m.id) },
    }),
    201,
    'campaign',
  );
  const kids = expect(await api('doo', 'GET', `/units/${T.doo.user.org_unit.id}/children`), 200, 'groups');
  const groups = kids.items.filter((u) => u.level === 'group' && u.active);
  assert.ok(groups.length >= 2, 'the demo kindergarten has two groups');
  const start = async (name, target) => {
    SHEET[name] = expect(await api('teacher', 'POST', '/submissions', { json: { campaign_id: CAMPAIGN.id, instrument_id: QS.id, target_unit_id: target } }), 201, `sheet ${name}`);
  };
  // the parents of these groups consent to photos (docs/api-evidence.md, "Consent")
  for (const g of groups.slice(0, 2))
    expect(await api('doo', 'PUT', `/units/${g.id}/consent`, { json: { consented: true, date: isoDay(0) } }), 200, `consent of ${g.name}`);
  await start('main', groups[0].id);
  await start('late', groups[1].id);
  console.log(`# evidence media suite: seed ${SEED}, campaign ${CAMPAIGN.id}, sheets ${Object.values(SHEET).map((s) => s.id)}`);
});

after(() => {
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------
// Previews

test('JPEG with Exif orientation 6: the preview is upright (width and height swapped), at most 320 px, without metadata; made once and kept', async () => {
  const jpeg = withSegments(await jpegFromPng(tmpDir, makePng(400, 200, rnd), 'rot6'), [exifSegment({ orientation: 6, gps: GPS }).segment]);
  assert.deepEqual(jpegSize(jpeg), { width: 400, height: 200 }, 'the source as stored is landscape');
  assert.equal(readExif(exifPayload(jpeg)).orientation, 6);
  const fid = await upload(jpeg, { filename: `rot6-${RUN}.jpg`, filetype: 'image/jpeg' });
  const hex = await shaOf(fid);
  assert.ok(!exists(derivedPath('thumb', hex, 'jpg')), 'no preview before it is asked for');

  const r = await getThumb(fid, 'teacher');
  const size = assertThumb(r, 'preview of the rotated JPEG');
  assert.deepEqual(size, { width: 160, height: 320 }, 'orientation 6 turns 400×200 into a portrait 160×320');
  assert.equal(r.bytes.indexOf(exifSegment({ gps: GPS }).gpsBytes), -1, 'no coordinates in the preview');

  const kept = derivedPath('thumb', hex, 'jpg');
  assert.ok(exists(kept), `the preview is kept at ${kept}`);
  assert.equal(sha256(readFileSync(kept)), sha256(r.bytes), 'nginx serves the kept file');
  const again = await getThumb(fid, 'doo');
  assert.equal(sha256(again.bytes), sha256(r.bytes), 'the second request gets the same preview');

  const item = await evidenceItem(fid);
  assert.equal(item.kind, 'photo');
  assert.equal(item.thumb, `${API}/files/${fid}/thumb`);
});

test('PNG previews: a large one fits 320 px keeping its shape, a small one is not enlarged', async () => {
  const big = await upload(makePng(640, 400, rnd), { filename: `big-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[1] });
  assert.deepEqual(assertThumb(await getThumb(big, 'teacher'), 'large PNG'), { width: 320, height: 200 });
  const small = await upload(makePng(90, 60, rnd), { filename: `small-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[1] });
  assert.deepEqual(assertThumb(await getThumb(small, 'teacher'), 'small PNG'), { width: 90, height: 60 });
});

test('HEIC photo (made with vips/libheif): stored as image/heic, previewed as a JPEG; others get a JPEG of it without its Exif location', async () => {
  const exif = exifSegment({ orientation: 1, gps: GPS });
  const jpeg = withSegments(await jpegFromPng(tmpDir, makePng(500, 250, rnd), 'heic-src'), [exif.segment]);
  const heic = await convertJpeg(tmpDir, jpeg, 'photo', 'heic');
  assert.equal(heic.subarray(4, 12).toString('latin1'), 'ftypheic', 'a HEIC file');
  assert.ok(heic.indexOf(exif.gpsBytes) > 0, 'the HEIC carries the coordinates in its Exif item');
  const fid = await upload(heic, { filename: `IMG_${RUN}.HEIC`, filetype: 'image/heic', indicator: INDICATORS[2] });
  assert.equal((await evidenceItem(fid)).mime, 'image/heic');
  const thumb = await getThumb(fid, 'teacher');
  assert.deepEqual(assertThumb(thumb, 'HEIC preview'), { width: 320, height: 160 });
  assert.equal(thumb.bytes.indexOf(exif.gpsBytes), -1, 'no coordinates in the preview');

  assert.equal(sha256((await getFile(fid, 'teacher')).bytes), sha256(heic), 'the uploader gets the original');
  // someone else gets a JPEG of it (browsers but Safari cannot show HEIC), without metadata
  const other = await getFile(fid, 'doo');
  assert.equal(other.status, 200, show(other));
  assert.equal(other.headers.get('content-type'), 'image/jpeg');
  assert.match(other.headers.get('content-disposition') || '', new RegExp(`filename\\*=UTF-8''IMG_${RUN}\\.jpg$`), 'named .jpg');
  assert.deepEqual(jpegSize(other.bytes), { width: 500, height: 250 }, 'full size');
  assert.equal(other.bytes.indexOf(exif.gpsBytes), -1, 'the coordinates are not in the copy');
  assert.equal(exifPayload(other.bytes), undefined, 'nor any Exif block');
});

test('MP4 video: the poster is a frame scaled to 320 px; a video shorter than 1 s gets its first frame', async () => {
  const mp4 = await testMp4(tmpDir, 'clip', { width: 480, height: 270, seconds: 2 });
  const fid = await upload(mp4, { filename: `clip-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[3] });
  const item = await evidenceItem(fid);
  assert.equal(item.kind, 'video');
  assert.equal(item.thumb, `${API}/files/${fid}/thumb`, 'ffmpeg is installed: the video has a preview');
  assert.deepEqual(assertThumb(await getThumb(fid, 'teacher'), 'poster'), { width: 320, height: 180 });

  const short = await testMp4(tmpDir, 'short', { width: 160, height: 120, seconds: 0.4 });
  const sid = await upload(short, { filename: `short-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[3] });
  assert.deepEqual(assertThumb(await getThumb(sid, 'teacher'), 'poster of a short video'), { width: 160, height: 120 }, 'not enlarged');
});

test('no preview: a file the decoders refuse gets 404 /problems/no-preview, every time, without running them again', async () => {
  // JPEG and MP4 signatures (libmagic accepts them), nothing a decoder can read after them
  const junkJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'), Buffer.from(makePng(8, 8, rnd))]);
  const jid = await upload(junkJpeg, { filename: `broken-${RUN}.jpg`, filetype: 'image/jpeg', indicator: INDICATORS[4] });
  const junkMp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42\0\0\0\0mp42isom', 'latin1'), Buffer.alloc(4096, 7)]);
  const vid = await upload(junkMp4, { filename: `broken-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[4] });
  assert.equal((await evidenceItem(vid)).mime, 'video/mp4', 'libmagic took it for an MP4');
  for (const [fid, what] of [[jid, 'broken JPEG'], [vid, 'broken MP4']]) {
    for (let i = 0; i < 2; i++) {
      const p = expectProblem(await getThumb(fid, 'teacher'), 404, 'no-preview', `${what}, request ${i + 1}`);
      assert.ok(p.detail, 'a message for the client');
    }
    const hex = await shaOf(fid);
    assert.ok(exists(derivedPath('thumb', hex, 'none')), `${what}: the refusal is remembered`);
    assert.ok(!exists(derivedPath('thumb', hex, 'jpg')), `${what}: no preview file`);
  }
  // a file that does not exist is a plain 404, not "no preview"
  expectProblem(await getThumb(987654321, 'teacher'), 404, 'not-found', 'no such file');
});

test('previews have the access of the file: another kindergarten’s teacher and an expert not assigned get 404', async () => {
  const fid = await upload(makePng(64, 64, rnd), { filename: `access-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[5] });
  for (const who of ['teacher', 'teacher3', 'doo', 'municipal', 'expert']) assertThumb(await getThumb(fid, who), `preview as ${who}`);
  for (const who of ['teacher2', 'expert2']) expectProblem(await getThumb(fid, who), 404, 'not-found', `preview as ${who}`);
  const r = await fetch(`${BASE}${API}/files/${fid}/thumb`);
  assert.equal(r.status, 401, 'no token');
});

// ---------------------------------------------------------------------------------------
// Location

test('GPS: the uploader gets the original bytes; the coordinator and the expert a copy without the GPS IFD, XMP or appended images, same pixels and orientation', async () => {
  const base = await jpegFromPng(tmpDir, makePng(120, 80, rnd), 'gps');
  const exif = exifSegment({ orientation: 6, gps: GPS });
  const appended = withSegments(await jpegFromPng(tmpDir, makePng(16, 16, rnd), 'mpf'), [exif.segment]);
  const jpeg = Buffer.concat([withSegments(base, [exif.segment, xmpSegment(`<x:xmpmeta><exif:GPSLatitude>55,45.36N ${RUN}</exif:GPSLatitude></x:xmpmeta>`)]), appended]);
  assert.ok(jpeg.indexOf(exif.gpsBytes) > 0);
  const fid = await upload(jpeg, { filename: `gps-${RUN}.jpg`, filetype: 'image/jpeg', indicator: INDICATORS[0] });

  const own = await getFile(fid, 'teacher');
  assert.equal(own.status, 200);
  assert.equal(sha256(own.bytes), sha256(jpeg), 'the uploader gets the bytes as uploaded');
  assert.equal(readExif(exifPayload(own.bytes)).gpsTags, 4);

  for (const who of ['doo', 'expert', 'teacher3']) {
    const r = await getFile(fid, who);
    assert.equal(r.status, 200, `${who}: ${show(r)}`);
    assert.equal(r.headers.get('content-type'), 'image/jpeg');
    assert.equal(r.headers.get('x-accel-redirect'), null);
    assert.notEqual(sha256(r.bytes), sha256(jpeg), `${who} gets a copy`);
    assert.equal(r.bytes.indexOf(exif.gpsBytes), -1, `${who}: the coordinates are not in the copy`);
    assert.equal(r.bytes.indexOf(Buffer.from(RUN)), -1, `${who}: the XMP block is gone`);
    const e = readExif(exifPayload(r.bytes));
    assert.deepEqual(e, { orientation: 6, gpsTags: 0 }, `${who}: orientation kept, GPS IFD empty`);
    assert.ok(jpegScan(r.bytes).equals(jpegScan(jpeg)), `${who}: the image data is the same bytes`);
    assert.equal(r.bytes.readUInt16BE(r.bytes.length - 2), 0xffd9, 'the copy ends with the main image');
    assert.equal(r.bytes.length, r.bytes.indexOf(jpegScan(jpeg)) + jpegScan(jpeg).length, 'nothing after the main image');
  }
  const hex = await shaOf(fid);
  assert.ok(exists(derivedPath('clean', hex, 'jpg')), 'the copy is kept');
  // Range still works on the copy (nginx serves it)
  const part = await fetch(`${BASE}${API}/files/${fid}`, { headers: { Authorization: `Bearer ${T.doo.token}`, Range: 'bytes=0-9' } });
  assert.equal(part.status, 206);
  assert.equal(Buffer.from(await part.arrayBuffer()).length, 10);
});

test('WebP with an Exif location: others get a WebP without it, the uploader the original', async () => {
  const exif = exifSegment({ orientation: 1, gps: GPS });
  const jpeg = withSegments(await jpegFromPng(tmpDir, makePng(200, 100, rnd), 'webp-src'), [exif.segment]);
  const webp = await convertJpeg(tmpDir, jpeg, 'photo', 'webp');
  assert.equal(webp.subarray(8, 12).toString('latin1'), 'WEBP');
  assert.ok(webp.indexOf(exif.gpsBytes) > 0, 'the WebP carries the coordinates in its EXIF chunk');
  const fid = await upload(webp, { filename: `photo-${RUN}.webp`, filetype: 'image/webp', indicator: INDICATORS[1] });
  assert.equal(sha256((await getFile(fid, 'teacher')).bytes), sha256(webp), 'the uploader gets the original');
  const other = await getFile(fid, 'expert');
  assert.equal(other.status, 200, show(other));
  assert.equal(other.headers.get('content-type'), 'image/webp');
  assert.equal(other.bytes.subarray(8, 12).toString('latin1'), 'WEBP', 'a WebP');
  assert.equal(other.bytes.indexOf(exif.gpsBytes), -1, 'the coordinates are not in the copy');
  assert.equal(other.bytes.indexOf(Buffer.from('EXIF', 'latin1')), -1, 'no EXIF chunk');
  assertThumb(await getThumb(fid, 'expert'), 'WebP preview');
});

test('a PNG (no camera location) is served as uploaded to everyone', async () => {
  const png = makePng(40, 40, rnd);
  const fid = await upload(png, { filename: `plain-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[1] });
  assert.equal(sha256((await getFile(fid, 'doo')).bytes), sha256(png));
});

// ---------------------------------------------------------------------------------------
// Captions

test('captions: given at upload (trimmed), changed and removed with PATCH by the author, per link', async () => {
  const fid = await upload(makePng(30, 30, rnd), { filename: `cap-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[2], caption: '  Прогулка на участке  \n' });
  assert.equal((await evidenceItem(fid)).caption, 'Прогулка на участке');
  const [[stored]] = await query(`SELECT caption FROM evidence_links WHERE file_id = ${fid}`);
  assert.equal(stored, 'Прогулка на участке', 'the caption belongs to the link');

  const p = `/submissions/${SHEET.main.id}/evidence/${fid}?indicator=${INDICATORS[2]}`;
  const t = '/submissions/{id}/evidence/{file_id}';
  const text = `Занятие «Юный эколог» ${RUN}`;
  const r = expect(await api('teacher', 'PATCH', p, { json: { caption: ` ${text}\t` }, template: t }), 200, 'PATCH caption');
  assert.deepEqual(r.items.map((i) => [i.file_id, i.indicator, i.caption]), [[fid, INDICATORS[2], text]]);
  assert.equal((await evidenceItem(fid, SHEET.main, 'doo')).caption, text, 'the coordinator sees it');

  const long = 'я'.repeat(1000);
  assert.equal(expect(await api('teacher', 'PATCH', p, { json: { caption: long }, template: t }), 200, '1000 characters').items[0].caption, long);
  expectProblem(await api('teacher', 'PATCH', p, { json: { caption: `${long}я` }, template: t }), 422, 'validation', '1001 characters');
  expectProblem(await api('teacher', 'PATCH', p, { json: { caption: 'звонок\u0007' }, template: t }), 422, 'validation', 'a control character');
  expectProblem(await api('teacher', 'PATCH', p, { json: { caption: 12 }, template: t }), 422, 'validation', 'a number');
  expectProblem(await api('teacher', 'PATCH', p, { json: {}, template: t }), 422, 'validation', 'no caption');
  assert.equal((await evidenceItem(fid)).caption, long, 'refused changes changed nothing');

  assert.equal(expect(await api('teacher', 'PATCH', p, { json: { caption: '   ' }, template: t }), 200, 'blank').items[0].caption, null, 'blank removes it');
  expect(await api('teacher', 'PATCH', p, { json: { caption: 'снова' }, template: t }), 200, 'again');
  assert.equal(expect(await api('teacher', 'PATCH', p, { json: { caption: null }, template: t }), 200, 'null').items[0].caption, null, 'null removes it');

  expectProblem(await api('teacher', 'PATCH', `/submissions/${SHEET.main.id}/evidence/${fid}?indicator=${INDICATORS[3]}`, { json: { caption: 'x' }, template: t }), 404, 'not-found', 'another indicator: not attached there');
  expectProblem(await api('teacher2', 'PATCH', p, { json: { caption: 'x' }, template: t }), 404, 'not-found', 'another kindergarten');
  expectProblem(await api('doo', 'PATCH', p, { json: { caption: 'x' }, template: t }), 409, 'not-editable', 'the coordinator is not the author');
  const [[audits]] = await query(`SELECT COUNT(*) FROM audit_log WHERE action = 'evidence.caption' AND entity_id = ${fid}`);
  assert.equal(audits, '5', 'each accepted change is audited');
});

test('captions in Upload-Metadata: invalid UTF-8 or over 1000 characters → 422 before anything is stored', async () => {
  const png = makePng(20, 20, rnd);
  const meta = (caption) => ({ filename: `capbad-${RUN}.png`, filetype: 'image/png', submission: String(SHEET.main.id), indicator: INDICATORS[2], caption });
  for (const [bytes, what] of [
    [Buffer.from([0x41, 0xc0, 0xaf]), 'an overlong sequence'],
    [Buffer.from('ж'.repeat(1001)), '1001 characters'],
  ]) {
    const h = { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(png.length) };
    h['Upload-Metadata'] = Object.entries(meta('x'))
      .map(([k, v]) => `${k} ${k === 'caption' ? bytes.toString('base64') : Buffer.from(v).toString('base64')}`)
      .join(',');
    const r = await api('teacher', 'POST', '/uploads', { headers: h, template: '/uploads' });
    const p = expectProblem(r, 422, 'validation', `caption with ${what}`);
    assert.deepEqual(p.errors?.map((e) => e.field), ['caption']);
  }
  // tus-js-client sees the refusal as a 4xx
  await assert.rejects(
    tusUpload(png, { endpoint: ENDPOINT, token: T.teacher.token, metadata: meta('я'.repeat(1001)) }),
    (e) => tusStatus(e) === 422,
  );
});

test('captions cannot change once the sheet is submitted (409)', async () => {
  const sheet = SHEET.late;
  const fid = await upload(makePng(26, 26, rnd), { sheet, filename: `late-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[1], caption: 'до отправки' });
  const answers = Object.fromEntries(requiredCodes(DEF).map((c) => [c, 'met']));
  const saved = expect(await api('teacher', 'PATCH', `/submissions/${sheet.id}`, { json: { base_version: sheet.version, answers } }), 200, 'fill');
  expect(await api('teacher', 'POST', `/submissions/${sheet.id}/submit`, { json: { base_version: saved.version } }), 200, 'submit');
  expectProblem(
    await api('teacher', 'PATCH', `/submissions/${sheet.id}/evidence/${fid}?indicator=${INDICATORS[1]}`, { json: { caption: 'после' }, template: '/submissions/{id}/evidence/{file_id}' }),
    409,
    'not-editable',
    'a submitted sheet',
  );
  assert.equal((await evidenceItem(fid, sheet)).caption, 'до отправки');
});

// ---------------------------------------------------------------------------------------
// Orphan sweep

test('orphan sweep: a detached file past the expiry loses its row, bytes and previews; the same bytes still linked elsewhere stay', async () => {
  const age = uploadExpiry() + 3600;
  const lone = makePng(33, 33, rnd);
  const loneId = await upload(lone, { filename: `lone-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[4] });
  const loneHex = sha256(lone);
  assertThumb(await getThumb(loneId, 'teacher'), 'preview before the sweep');
  assert.ok(exists(derivedPath('thumb', loneHex, 'jpg')));

  const shared = makePng(34, 34, rnd);
  const a = await upload(shared, { filename: `shared-a-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[4] });
  const b = await upload(shared, { filename: `shared-b-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[5] });
  const sharedHex = sha256(shared);
  assertThumb(await getThumb(a, 'teacher'), 'preview of the shared bytes');

  // a recent detached file is kept (younger than the expiry)
  const fresh = makePng(35, 35, rnd);
  const freshId = await upload(fresh, { filename: `fresh-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[4] });

  for (const [fid, ind] of [[loneId, INDICATORS[4]], [a, INDICATORS[4]], [freshId, INDICATORS[4]]]) {
    expect(await api('teacher', 'DELETE', `/submissions/${SHEET.main.id}/evidence/${fid}?indicator=${ind}`, { template: '/submissions/{id}/evidence/{file_id}' }), 204, `detach ${fid}`);
  }
  await query(`UPDATE evidence_files SET created_at = NOW() - INTERVAL ${age} SECOND WHERE id IN (${loneId}, ${a}, ${b})`);

  // bytes no row ever pointed to, old and new
  const strayOld = 'f'.repeat(62) + '0a';
  const strayNew = 'f'.repeat(62) + '0b';
  for (const hex of [strayOld, strayNew]) {
    mkdirSync(path.dirname(objectPath(UPLOADS, hex)), { recursive: true });
    writeFileSync(objectPath(UPLOADS, hex), `stray ${RUN}`);
  }
  const past = new Date(Date.now() - age * 1000);
  utimesSync(objectPath(UPLOADS, strayOld), past, past);

  const s = await sweep();
  assert.equal(s.code, 0, s.stderr);
  const files = Number(/(\d+) unlinked file\(s\) removed/.exec(s.stdout)?.[1]);
  const objs = Number(/(\d+) object\(s\) removed/.exec(s.stdout)?.[1]);
  assert.ok(files >= 2, `at least the two aged detached rows: ${s.stdout}`);
  assert.ok(objs >= 2, `at least the lone object and the old stray: ${s.stdout}`);

  const rows = await query(`SELECT id FROM evidence_files WHERE id IN (${loneId}, ${a}, ${b}, ${freshId}) ORDER BY id`);
  assert.deepEqual(rows.map((r) => Number(r[0])), [b, freshId].sort((x, y) => x - y), 'the aged detached rows are gone, the linked and the recent ones stay');
  assert.ok(!exists(objectPath(UPLOADS, loneHex)), 'the lone bytes are removed');
  assert.ok(!exists(derivedPath('thumb', loneHex, 'jpg')), 'with their preview');
  assert.ok(exists(objectPath(UPLOADS, sharedHex)), 'bytes another row points to stay');
  assert.ok(exists(derivedPath('thumb', sharedHex, 'jpg')), 'and so does their preview');
  assert.ok(exists(objectPath(UPLOADS, sha256(fresh))), 'a recently detached file keeps its bytes');
  assert.ok(!exists(objectPath(UPLOADS, strayOld)), 'old bytes no row points to are removed');
  assert.ok(exists(objectPath(UPLOADS, strayNew)), 'new bytes are left (a completion may be on its way)');
  rmSync(objectPath(UPLOADS, strayNew));

  expectProblem(await getFile(loneId, 'teacher'), 404, 'not-found', 'the swept file');
  const still = await getFile(b, 'teacher');
  assert.equal(still.status, 200);
  assert.equal(sha256(still.bytes), sharedHex, 'the file still linked is served whole');
});

test('video playback: a signed address plays without a token and seeks (206); forged, expired, photo and out-of-scope requests are refused', async () => {
  const mp4 = await testMp4(tmpDir, 'stream', { width: 320, height: 180, seconds: 2 });
  const fid = await upload(mp4, { filename: `stream-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[3] });
  const signed = expect(await api('doo', 'POST', `/files/${fid}/stream`, { template: '/files/{id}/stream' }), 200, 'sign');
  const now = Math.floor(Date.now() / 1000);
  assert.ok(signed.expires_at > now + 3600 && signed.expires_at <= now + 7300, JSON.stringify(signed));
  const url = new URL(signed.url, BASE);
  assert.equal(url.pathname, `${API}/files/${fid}/stream`);

  // What a <video> element does: no Authorization header, a whole GET, then ranges.
  const whole = await fetch(url, { redirect: 'manual' });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'video/mp4');
  // doo is not the uploader: the copy without metadata boxes (evidence-privacy.test.mjs),
  // of the same length, so ranges land where they would in the original
  const played = Buffer.from(await whole.arrayBuffer());
  assert.equal(played.length, mp4.length);
  const part = await fetch(url, { headers: { Range: 'bytes=100-299' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-299/${mp4.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(played.subarray(100, 300)));

  // The signature covers the file, the user and the time.
  const q = url.searchParams;
  const variant = (change) => {
    const u = new URL(url);
    for (const [k, v] of Object.entries(change)) u.searchParams.set(k, v);
    return fetch(u, { redirect: 'manual' });
  };
  const flipped = q.get('s').slice(0, -1) + (q.get('s').endsWith('A') ? 'B' : 'A');
  for (const [what, change] of [
    ['another signature', { s: flipped }],
    ['another user', { u: String(T.teacher.user.id) }],
    ['a later expiry', { e: String(Number(q.get('e')) + 3600) }],
    ['no signature', { s: '' }],
    ['a malformed expiry', { e: '12x' }],
  ]) {
    const r = await variant(change);
    assert.equal(r.status, 404, `${what}: ${r.status}`);
  }
  const other = await fetch(`${BASE}${API}/files/${fid + 1}/stream?${q}`, { redirect: 'manual' });
  assert.equal(other.status, 404, 'the signature of another file');

  // An expired address, signed the way the server signs (HMAC-SHA256 with the stack's key).
  const e = now - 10;
  const mac = createHmac('sha256', jwtKey()).update(`file-stream\n${fid}\n${T.doo.user.id}\n${e}`).digest('base64url');
  const expired = await variant({ e: String(e), s: mac });
  assert.equal(expired.status, 410);
  const fresh = createHmac('sha256', jwtKey()).update(`file-stream\n${fid}\n${T.doo.user.id}\n${now + 60}`).digest('base64url');
  assert.equal((await variant({ e: String(now + 60), s: fresh })).status, 200, 'the same scheme, not expired');

  // Only readers of the file get an address, and only for videos.
  expectProblem(await api('teacher2', 'POST', `/files/${fid}/stream`, { template: '/files/{id}/stream' }), 404, 'not-found', 'another kindergarten');
  const png = makePng(16, 16, rnd);
  const pid = await upload(png, { filename: `still-${RUN}.png`, filetype: 'image/png' });
  expectProblem(await api('doo', 'POST', `/files/${pid}/stream`, { template: '/files/{id}/stream' }), 422, 'not-a-video', 'a photo');
});

test('responses match backend/openapi.yaml', () => {
  assert.ok(C.checked > 20, `checked ${C.checked} responses`);
  assert.deepEqual(C.mismatches, []);
});
