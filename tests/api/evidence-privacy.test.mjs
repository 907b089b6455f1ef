// Children's privacy in evidence (docs/api-evidence.md): videos served to anyone but the
// uploader without the location phones write into MP4/QuickTime metadata; the read log
// (per file, user and day) and who may see it; the parents' consent per group and the
// kindergarten's choice for uploads without it; the storage view with its warnings at 80 %
// and 95 %; the end date of an expert's assignment on every evidence path.
//
// Works in the demo kindergarten «Колосок» (doo3, teacher4, expert2), which no other suite
// uploads to, so that its consents, storage and assignment can change here; the read-log
// rule for another kindergarten's coordinator uses doo (ДС 12). The videos are made with
// ffmpeg the way phones write them (`location` in udta, the Apple keys in meta) and what
// is served is checked with ffprobe. SQL only where the API has no way: a large stored
// file to cross the storage thresholds, and reading rows to compare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BASE, login, request, runTag, testSeed } from './lib.mjs';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query } from './fixtures-org.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { isoDay } from './fixtures-forms.mjs';
import { seededRandom, makePng, tusUpload, tusStatus } from './fixtures-uploads.mjs';
import { run } from './fixtures-media.mjs';

const ENDPOINT = `${BASE}${API}/uploads`;
const RUN = runTag('p');
const rnd = seededRandom(testSeed());
const LOGINS = ['admin', 'region', 'municipal', 'municipal2', 'doo', 'doo3', 'teacher', 'teacher4', 'expert', 'expert2'];
const LOCATION = '+55.7558+037.6173/';
const APPLE_KEY = 'com.apple.quicktime.location.ISO6709';

const C = new Conformance(loadSpec());
const T = {};
const { api, tokenOf } = apiClient({ tokens: T, conformance: C, checkAll: false });
let QS;
let INDICATORS;
let KG; // «Колосок»
let GROUPS; // its active groups
let CAMPAIGN;
const SHEET = {};
let tmpDir;

/** GET with the raw bytes of the answer (files are not JSON). */
const getBytes = (p, who, headers = {}) => request(p, { token: tokenOf(who), headers, timeout: 60000 });

const getFile = (fid, who, headers) => getBytes(`${API}/files/${fid}`, who, headers);

async function upload(data, { who = 'teacher4', sheet = SHEET.main, indicator = INDICATORS[0], filename, filetype } = {}) {
  const metadata = { filename, filetype, submission: String(sheet.id), indicator };
  const res = await tusUpload(data, { endpoint: ENDPOINT, token: T[who].token, metadata, chunkSize: 256 * 1024 });
  const st = expect(await api(who, 'GET', `/uploads/${res.id}`), 200, 'upload state');
  assert.equal(st.complete, true, JSON.stringify(st));
  return st.file_id;
}

/** A raw tus creation (POST /uploads) for sheet: the answer as it comes. */
function createUpload(who, sheet, { length = 1000, filename = `raw-${RUN}.png`, filetype = 'image/png' } = {}) {
  const meta = { filename, filetype, submission: String(sheet.id), indicator: INDICATORS[0] };
  const h = {
    'Tus-Resumable': '1.0.0',
    'Upload-Length': String(length),
    'Upload-Metadata': Object.entries(meta).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(','),
  };
  return api(who, 'POST', '/uploads', { headers: h, template: '/uploads' });
}

/** An ffmpeg test pattern as a phone would store it: location in the container's metadata. */
async function phoneVideo(name, { format, args }) {
  const out = path.join(tmpDir, name);
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '2',
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast',
    ...args, '-f', format, out,
  ]);
  return readFileSync(out);
}

/** ffprobe's container tags of bytes, and whether ffmpeg decodes every frame without error. */
async function probe(bytes, name) {
  const f = path.join(tmpDir, `probe-${name}`);
  writeFileSync(f, bytes);
  const info = JSON.parse(await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags:stream=codec_name,nb_frames', '-of', 'json', f]));
  const errors = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', f, '-f', 'null', '-']);
  return { tags: info.format?.tags ?? {}, streams: info.streams ?? [], errors };
}

const notices = async (userId) =>
  (await query(`SELECT title FROM notifications WHERE user_id = ${Number(userId)} AND kind = 'storage' ORDER BY id`)).map(([t]) => t);

before(async () => {
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'vsok-privacy-'));
  for (const l of LOGINS) T[l] = await login(l);
  KG = T.doo3.user.org_unit;
  assert.equal(T.teacher4.user.org_unit.id, KG.id, 'teacher4 works in doo3\'s kindergarten');
  const list = expect(await api('teacher4', 'GET', '/instruments'), 200, 'instruments');
  QS = list.items.find((m) => m.code === 'QS');
  const def = expect(await api('teacher4', 'GET', `/instruments/${QS.id}`), 200, 'QS').definition;
  INDICATORS = def.sections.flatMap((s) => s.indicators.map((i) => i.code));
  const campaign = (CAMPAIGN = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Приватность ${RUN}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: [QS.id] },
    }),
    201,
    'campaign',
  ));
  const kids = expect(await api('doo3', 'GET', `/units/${KG.id}/children`), 200, 'groups');
  GROUPS = kids.items.filter((u) => u.level === 'group' && u.active);
  assert.ok(GROUPS.length >= 2, 'the kindergarten has two groups');
  for (const [name, g] of [['main', GROUPS[0]], ['other', GROUPS[1]]])
    SHEET[name] = expect(await api('teacher4', 'POST', '/submissions', { json: { campaign_id: campaign.id, instrument_id: QS.id, target_unit_id: g.id } }), 201, `sheet ${name}`);
});

after(async () => {
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  // leave «Колосок» as the demo has it: consent for every group, refusal without it, the
  // assignment without an end, no stored bytes of this suite's making
  if (T.doo3) {
    for (const g of GROUPS ?? []) await api('doo3', 'PUT', `/units/${g.id}/consent`, { json: { consented: true, date: isoDay(0) } });
    await api('doo3', 'PATCH', `/units/${KG.id}/privacy`, { json: { without_consent: 'refuse' } });
    await api('admin', 'PUT', `/users/${T.expert2.user.id}/assignments/${KG.id}`);
    await query(`DELETE FROM evidence_files WHERE original_name = 'large-${RUN}.mp4'`);
    await vsokd(['storage-check']);
  }
});

// ---------------------------------------------------------------------------------------
// 14. Videos without their location

for (const [name, fmt, mime, args, where] of [
  ['MP4 with the location as ©xyz-style mdta keys (use_metadata_tags)', 'mp4', 'video/mp4', ['-metadata', `location=${LOCATION}`, '-movflags', 'use_metadata_tags'], ['location']],
  ['QuickTime MOV with ©xyz in udta', 'mov', 'video/quicktime', ['-metadata', `location=${LOCATION}`], ['location']],
  ['QuickTime MOV with the Apple keys (com.apple.quicktime.location.ISO6709)', 'mov', 'video/quicktime', ['-metadata', `${APPLE_KEY}=+55.7558+037.6173+000.000/`, '-metadata', `location=${LOCATION}`, '-movflags', 'use_metadata_tags'], [APPLE_KEY, 'location']],
]) {
  test(`${name}: the uploader gets the original; others (file, range, stream) get a copy without any location that still plays`, async () => {
    const video = await phoneVideo(`${RUN}-${fmt}-${where.length}.${fmt}`, { format: fmt, args });
    const original = await probe(video, `orig.${fmt}`);
    for (const k of where) assert.ok(original.tags[k], `the fixture carries ${k}: ${JSON.stringify(original.tags)}`);
    assert.ok(video.includes(LOCATION.slice(0, 8)), 'the coordinates are in the bytes');
    const fid = await upload(video, { filename: `walk-${RUN}.${fmt}`, filetype: mime });

    const own = await getFile(fid, 'teacher4');
    assert.equal(own.status, 200);
    assert.ok(own.bytes.equals(video), 'the uploader gets the bytes as uploaded');

    for (const who of ['doo3', 'expert2']) {
      const r = await getFile(fid, who);
      assert.equal(r.status, 200, `${who}: ${r.status} ${r.text}`);
      assert.equal(r.headers.get('content-type'), mime);
      assert.equal(r.bytes.length, video.length, 'blanking keeps every size and offset');
      assert.ok(!r.bytes.includes(LOCATION.slice(0, 8)), `${who}: no coordinates in the bytes`);
      assert.ok(!r.bytes.includes(APPLE_KEY), `${who}: no Apple location key`);
      const served = await probe(r.bytes, `${who}.${fmt}`);
      assert.deepEqual(Object.keys(served.tags).filter((k) => /location|xyz/i.test(k)), [], `${who}: ffprobe finds no location tag`);
      assert.equal(served.errors, '', `${who}: every frame decodes`);
      assert.deepEqual(served.streams, original.streams, `${who}: the same stream with the same frames`);
    }
    // a range of the copy is the same range of what others get whole (seeking works)
    const whole = await getFile(fid, 'doo3');
    const part = await getFile(fid, 'doo3', { Range: 'bytes=100-4195' });
    assert.equal(part.status, 206);
    assert.ok(part.bytes.equals(whole.bytes.subarray(100, 4196)));
    // the signed stream of another reader plays the copy too
    const signed = expect(await api('doo3', 'POST', `/files/${fid}/stream`, { template: '/files/{id}/stream' }), 200, 'sign');
    const streamed = Buffer.from(await (await fetch(new URL(signed.url, BASE))).arrayBuffer());
    assert.ok(streamed.equals(whole.bytes), 'the stream is the copy without location');
  });
}

test('WebM with a location tag: others get a remux without any tag that still plays; the uploader the original', async () => {
  const video = await phoneVideo(`${RUN}-tagged.webm`, { format: 'webm', args: ['-c:v', 'libvpx', '-b:v', '200k', '-metadata', `location=${LOCATION}`, '-metadata:s:v:0', `title=${LOCATION}`] });
  const original = await probe(video, 'orig.webm');
  assert.equal(original.tags.location ?? original.tags.LOCATION, LOCATION, `the fixture carries a location: ${JSON.stringify(original.tags)}`);
  const fid = await upload(video, { filename: `walk-${RUN}.webm`, filetype: 'video/webm', indicator: INDICATORS[1] });
  assert.ok((await getFile(fid, 'teacher4')).bytes.equals(video), 'the uploader gets the bytes as uploaded');
  const r = await getFile(fid, 'doo3');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'video/webm');
  assert.ok(!r.bytes.includes(LOCATION.slice(0, 8)), 'no coordinates in the bytes');
  const served = await probe(r.bytes, 'doo3.webm');
  assert.deepEqual(Object.keys(served.tags).filter((k) => /location|title/i.test(k)), [], `no location tag: ${JSON.stringify(served.tags)}`);
  assert.equal(served.errors, '', 'every frame decodes');
  assert.deepEqual(served.streams.map((x) => x.codec_name), original.streams.map((x) => x.codec_name), 'the same streams');
  const part = await getFile(fid, 'doo3', { Range: 'bytes=10-109' });
  assert.equal(part.status, 206);
  assert.ok(part.bytes.equals(r.bytes.subarray(10, 110)), 'ranges of the copy');
});

test('a video whose boxes cannot be read is not shown to others at all (404 no-clean-copy); its uploader still gets it', async () => {
  // an MP4 signature (libmagic accepts it) and no movie header: where a location hides is unknown
  const junk = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42\0\0\0\0mp42isom', 'latin1'), Buffer.from([0, 0, 0x10, 8]), Buffer.from('mdat'), Buffer.alloc(4096, 7)]);
  const fid = await upload(junk, { filename: `broken-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[1] });
  expectProblem(C.check('GET', '/files/{id}', await getFile(fid, 'doo3')), 404, 'no-clean-copy', 'another reader');
  assert.ok((await getFile(fid, 'teacher4')).bytes.equals(junk), 'the uploader');
});

// ---------------------------------------------------------------------------------------
// 15. The read log

test('read log: one row per file, user and day, counting the file, its preview and its stream; only the kindergarten\'s coordinator reads it', async () => {
  const fid = await upload(makePng(64, 48, rnd), { filename: `seen-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[2] });
  const reads = async () => expect(await api('doo3', 'GET', `/files/${fid}/reads`, { template: '/files/{id}/reads' }), 200, 'reads').items;
  assert.deepEqual(await reads(), [], 'nobody has read it yet (uploading is not reading)');

  assert.equal((await getFile(fid, 'expert2')).status, 200);
  assert.equal((await getFile(fid, 'expert2')).status, 200);
  assert.equal((await getBytes(`${API}/files/${fid}/thumb`, 'expert2')).status, 200);
  assert.equal((await getFile(fid, 'teacher4')).status, 200);
  assert.equal((await getFile(fid, 'doo', {})).status, 404, 'outside the scope: no read');

  const items = await reads();
  const today = (await query('SELECT CURRENT_DATE'))[0][0];
  const byUser = Object.fromEntries(items.map((i) => [i.user.id, i]));
  assert.equal(items.length, 2, JSON.stringify(items));
  assert.equal(byUser[T.expert2.user.id].reads, 3, 'two downloads and a preview: one row, counted');
  assert.equal(byUser[T.expert2.user.id].day, today);
  assert.equal(byUser[T.expert2.user.id].user.role, 'expert');
  assert.equal(byUser[T.expert2.user.id].user.full_name, T.expert2.user.full_name);
  assert.equal(byUser[T.teacher4.user.id].reads, 1, 'the uploader\'s reads are logged too');
  const rows = await query(`SELECT COUNT(*) FROM evidence_reads WHERE file_id = ${fid}`);
  assert.equal(rows[0][0], '2', 'compact: one row per user and day');

  // a video's stream is logged for the user the address was signed for
  const vid = await upload(await phoneVideo(`${RUN}-seen.mp4`, { format: 'mp4', args: [] }), { filename: `seen-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[2] });
  const signed = expect(await api('expert2', 'POST', `/files/${vid}/stream`), 200, 'sign');
  assert.equal((await fetch(new URL(signed.url, BASE), { headers: { Range: 'bytes=0-99' } })).status, 206);
  const v = expect(await api('doo3', 'GET', `/files/${vid}/reads`), 200, 'video reads').items;
  assert.deepEqual(v.map((i) => [i.user.id, i.reads]), [[T.expert2.user.id, 1]]);

  // one rule: the coordinator of the file's kindergarten; everyone else is refused
  for (const who of ['teacher4', 'expert2', 'municipal2', 'region', 'admin'])
    expectProblem(await api(who, 'GET', `/files/${fid}/reads`, { template: '/files/{id}/reads' }), 403, null, who);
  expectProblem(await api('doo', 'GET', `/files/${fid}/reads`, { template: '/files/{id}/reads' }), 404, 'not-found', 'another kindergarten\'s coordinator');
  expectProblem(await api('doo3', 'GET', '/files/999999999/reads', { template: '/files/{id}/reads' }), 404, 'not-found', 'no such file');
});

// ---------------------------------------------------------------------------------------
// 16. Consent

test('consent: without the parents\' consent a group\'s uploads are refused before any byte (422, in Russian); recorded consent lets them in', async () => {
  const group = GROUPS[1];
  const before0 = expect(await api('teacher4', 'GET', `/units/${KG.id}/consents`, { template: '/units/{id}/consents' }), 200, 'consents');
  assert.equal(before0.without_consent, 'refuse', 'refusing is the default');
  assert.equal(before0.groups.find((g) => g.id === group.id).consent.consented, true, 'the demo records consent');

  const refused = expect(await api('doo3', 'PUT', `/units/${group.id}/consent`, { json: { consented: false, date: isoDay(0) }, template: '/units/{id}/consent' }), 200, 'record a refusal');
  const rec = refused.groups.find((g) => g.id === group.id).consent;
  assert.deepEqual({ ...rec, recorded_at: undefined }, { consented: false, date: isoDay(0), recorded_by: { id: T.doo3.user.id, full_name: T.doo3.user.full_name }, recorded_at: undefined });

  const uploadsBefore = (await query(`SELECT COUNT(*) FROM uploads WHERE submission_id = ${SHEET.other.id}`))[0][0];
  const p = expectProblem(await createUpload('teacher4', SHEET.other), 422, 'no-consent', 'a group without consent');
  assert.match(p.detail, /согласи/, 'a Russian message that names consent');
  assert.equal((await query(`SELECT COUNT(*) FROM uploads WHERE submission_id = ${SHEET.other.id}`))[0][0], uploadsBefore, 'no upload was created');
  const err = await upload(makePng(16, 16, rnd), { sheet: SHEET.other, filename: `no-${RUN}.png`, filetype: 'image/png' }).then(() => null, (e) => e);
  assert.equal(tusStatus(err), 422, 'tus-js-client gets the refusal at creation');
  assert.equal((await createUpload('teacher4', SHEET.main)).status, 201, 'another group with consent is not affected');

  expect(await api('doo3', 'PUT', `/units/${group.id}/consent`, { json: { consented: true, date: isoDay(-2) } }), 200, 'record consent');
  const fid = await upload(makePng(16, 16, rnd), { sheet: SHEET.other, filename: `yes-${RUN}.png`, filetype: 'image/png' });
  const item = expect(await api('teacher4', 'GET', `/submissions/${SHEET.other.id}/evidence`, { template: '/submissions/{id}/evidence' }), 200, 'evidence').items.find((i) => i.file_id === fid);
  assert.equal(item.without_consent, false);

  const history = await query(`SELECT consented FROM group_consents WHERE group_id = ${group.id} ORDER BY id`);
  assert.deepEqual(history.slice(-2).map(([c]) => c), ['0', '1'], 'kept as history');
  const audit = await query(`SELECT action FROM audit_log WHERE action = 'consent.record' AND entity_id = ${group.id} AND actor_id = ${T.doo3.user.id}`);
  assert.ok(audit.length >= 2, 'each record is audited');
});

test('consent: the kindergarten may accept uploads without consent marked instead; the mark follows the consent in force when the file was attached', async () => {
  const group = GROUPS[1];
  const set = expect(await api('doo3', 'PATCH', `/units/${KG.id}/privacy`, { json: { without_consent: 'mark' }, template: '/units/{id}/privacy' }), 200, 'mark');
  assert.equal(set.without_consent, 'mark');
  const withConsent = await upload(makePng(20, 20, rnd), { sheet: SHEET.other, filename: `before-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[3] });
  expect(await api('doo3', 'PUT', `/units/${group.id}/consent`, { json: { consented: false, date: isoDay(0) } }), 200, 'withdrawn');
  const without = await upload(makePng(20, 20, rnd), { sheet: SHEET.other, filename: `after-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[3] });
  const items = expect(await api('doo3', 'GET', `/submissions/${SHEET.other.id}/evidence`, { template: '/submissions/{id}/evidence' }), 200, 'evidence').items;
  assert.equal(items.find((i) => i.file_id === without).without_consent, true, 'accepted, marked');
  assert.equal(items.find((i) => i.file_id === withConsent).without_consent, false, 'attached while consent was in force');
  const audit = await query(`SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.update' AND entity_id = ${KG.id}`);
  assert.ok(Number(audit[0][0]) >= 1, 'the choice is audited');

  expect(await api('doo3', 'PATCH', `/units/${KG.id}/privacy`, { json: { without_consent: 'refuse' } }), 200, 'refuse again');
  expectProblem(await createUpload('teacher4', SHEET.other), 422, 'no-consent', 'refused again');
  expect(await api('doo3', 'PUT', `/units/${group.id}/consent`, { json: { consented: true, date: isoDay(0) } }), 200, 'restored');
});

test('consent rules: only the kindergarten\'s own coordinator records consent and chooses; readers are its people and coordinators above, not experts; bad input is 422', async () => {
  const group = GROUPS[0];
  for (const who of ['teacher4', 'expert2', 'municipal2', 'region', 'admin']) {
    expectProblem(await api(who, 'PUT', `/units/${group.id}/consent`, { json: { consented: true, date: isoDay(0) }, template: '/units/{id}/consent' }), 403, null, `${who} records consent`);
    expectProblem(await api(who, 'PATCH', `/units/${KG.id}/privacy`, { json: { without_consent: 'mark' }, template: '/units/{id}/privacy' }), 403, null, `${who} chooses`);
  }
  expectProblem(await api('doo', 'PUT', `/units/${group.id}/consent`, { json: { consented: true, date: isoDay(0) }, template: '/units/{id}/consent' }), 404, null, 'another kindergarten\'s coordinator');
  expectProblem(await api('doo', 'PATCH', `/units/${KG.id}/privacy`, { json: { without_consent: 'mark' }, template: '/units/{id}/privacy' }), 404, null, 'another kindergarten');
  expectProblem(await api('doo3', 'PUT', `/units/${KG.id}/consent`, { json: { consented: true, date: isoDay(0) }, template: '/units/{id}/consent' }), 404, 'not-found', 'a kindergarten is not a group');
  for (const [body, field] of [
    [{ consented: 'yes', date: isoDay(0) }, 'consented'],
    [{ date: isoDay(0) }, 'consented'],
    [{ consented: true, date: '2025-02-30' }, 'date'],
    [{ consented: true, date: isoDay(1) }, 'date'],
    [{ consented: true }, 'date'],
  ]) {
    const p = expectProblem(await api('doo3', 'PUT', `/units/${group.id}/consent`, { json: body, template: '/units/{id}/consent' }), 422, 'validation', JSON.stringify(body));
    assert.equal(p.errors[0].field, field);
  }
  const p = expectProblem(await api('doo3', 'PATCH', `/units/${KG.id}/privacy`, { json: { without_consent: 'allow' }, template: '/units/{id}/privacy' }), 422, 'validation', 'an unknown choice');
  assert.equal(p.errors[0].field, 'without_consent');

  for (const who of ['teacher4', 'doo3', 'municipal2', 'region', 'admin']) expect(await api(who, 'GET', `/units/${KG.id}/consents`, { template: '/units/{id}/consents' }), 200, `${who} reads`);
  expectProblem(await api('expert2', 'GET', `/units/${KG.id}/consents`, { template: '/units/{id}/consents' }), 403, null, 'an expert');
  expectProblem(await api('doo', 'GET', `/units/${KG.id}/consents`, { template: '/units/{id}/consents' }), 404, null, 'outside the scope');
});

// ---------------------------------------------------------------------------------------
// 17. Storage and the end of an expert's access

test('storage view: stored bytes by the quota rule against the quota, for the kindergarten\'s people and coordinators above, not experts', async () => {
  const r = expect(await api('teacher4', 'GET', `/units/${KG.id}/storage`, { template: '/units/{id}/storage' }), 200, 'storage');
  const [[stored]] = await query(`SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE kindergarten_id = ${KG.id}`);
  assert.equal(r.stored, Number(stored));
  assert.ok(r.stored > 0, 'this suite stored files here');
  assert.equal(r.quota, 50e9, 'the default quota (VSOK_KINDERGARTEN_QUOTA)');
  assert.equal(r.warning, 'none');
  assert.equal(r.percent, Math.floor((r.stored * 1000) / r.quota) / 10);
  for (const who of ['doo3', 'municipal2', 'region', 'admin']) expect(await api(who, 'GET', `/units/${KG.id}/storage`, { template: '/units/{id}/storage' }), 200, who);
  expectProblem(await api('expert2', 'GET', `/units/${KG.id}/storage`, { template: '/units/{id}/storage' }), 403, null, 'an expert');
  expectProblem(await api('doo', 'GET', `/units/${KG.id}/storage`, { template: '/units/{id}/storage' }), 404, null, 'another kindergarten');
  expectProblem(await api('doo3', 'GET', `/units/${GROUPS[0].id}/storage`, { template: '/units/{id}/storage' }), 404, 'not-found', 'a group');
});

test('storage warnings: 80 % and 95 % each notify the coordinator and the teachers once per crossing; the view says high, then critical', async () => {
  const [[stored]] = await query(`SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE kindergarten_id = ${KG.id}`);
  const quota = 50e9;
  const fill = async (share) => {
    const size = Math.ceil(quota * share) - Number(stored);
    await query(`DELETE FROM evidence_files WHERE original_name = 'large-${RUN}.mp4'`);
    if (share > 0)
      await query(`INSERT INTO evidence_files (sha256, size, mime, owner_id, kindergarten_id, original_name) VALUES (UNHEX(SHA2('${RUN}', 256)), ${size}, 'video/mp4', ${T.teacher4.user.id}, ${KG.id}, 'large-${RUN}.mp4')`);
    const c = await vsokd(['storage-check']);
    assert.equal(c.code, 0, c.stderr);
  };
  const doo3 = await notices(T.doo3.user.id);
  const teacher4 = await notices(T.teacher4.user.id);

  await fill(0.81);
  assert.equal((await api('doo3', 'GET', `/units/${KG.id}/storage`)).json.warning, 'high');
  await fill(0.82); // still above 80 %: no second notice
  assert.deepEqual((await notices(T.doo3.user.id)).slice(doo3.length), ['Место для файлов детского сада занято на 80 %']);
  assert.deepEqual((await notices(T.teacher4.user.id)).slice(teacher4.length), ['Место для файлов детского сада занято на 80 %']);

  await fill(0.96);
  assert.equal((await api('teacher4', 'GET', `/units/${KG.id}/storage`)).json.warning, 'critical');
  await fill(0.97);
  assert.deepEqual((await notices(T.doo3.user.id)).slice(doo3.length), ['Место для файлов детского сада занято на 80 %', 'Место для файлов детского сада занято на 95 %']);

  await fill(0); // freed: below both thresholds, nobody is told
  assert.equal((await api('doo3', 'GET', `/units/${KG.id}/storage`)).json.warning, 'none');
  assert.equal((await notices(T.doo3.user.id)).length, doo3.length + 2);
  await fill(0.85); // a new crossing notifies again
  assert.deepEqual((await notices(T.doo3.user.id)).slice(doo3.length + 2), ['Место для файлов детского сада занято на 80 %']);
  const list = expect(await api('teacher4', 'GET', '/me/notifications?limit=200'), 200, 'the bell').items.filter((n) => n.kind === 'storage');
  assert.ok(list.length >= 2 && /Занято \d+ из 50000 МБ/.test(list[0].body), JSON.stringify(list[0]));
  await fill(0);
});

test('an expert\'s assignment ends on its end date: from the next day no file, preview, stream, sheet evidence or upload of the kindergarten', async () => {
  const fid = await upload(makePng(24, 24, rnd), { filename: `expert-${RUN}.png`, filetype: 'image/png', indicator: INDICATORS[4] });
  // the expert's own sheet about the kindergarten, with a file of theirs
  const own = expect(await api('expert2', 'POST', '/submissions', { json: { campaign_id: CAMPAIGN.id, instrument_id: QS.id, target_unit_id: KG.id } }), 201, 'expert sheet');
  await upload(makePng(12, 12, rnd), { who: 'expert2', sheet: own, filename: `own-${RUN}.png`, filetype: 'image/png' });
  const vid = await upload(await phoneVideo(`${RUN}-end.mp4`, { format: 'mp4', args: [] }), { filename: `end-${RUN}.mp4`, filetype: 'video/mp4', indicator: INDICATORS[4] });
  const signed = expect(await api('expert2', 'POST', `/files/${vid}/stream`), 200, 'signed while assigned');
  const assign = (ends) => api('admin', 'PUT', `/users/${T.expert2.user.id}/assignments/${KG.id}${ends ? `?ends_on=${ends}` : ''}`, { template: '/users/{id}/assignments/{unit_id}' });
  const paths = async () => ({
    file: (await getFile(fid, 'expert2')).status,
    thumb: (await getBytes(`${API}/files/${fid}/thumb`, 'expert2')).status,
    sign: (await api('expert2', 'POST', `/files/${vid}/stream`)).status,
    stream: (await fetch(new URL(signed.url, BASE), { headers: { Range: 'bytes=0-9' } })).status,
    unit: (await api('expert2', 'GET', `/units/${KG.id}`)).status,
    evidence: (await api('expert2', 'GET', `/submissions/${own.id}/evidence`, { template: '/submissions/{id}/evidence' })).status,
    upload: (await createUpload('expert2', own)).status,
    listed: (await api('expert2', 'GET', '/me/expert-tasks')).json.items.some((i) => i.kindergarten.id === KG.id),
  });

  expect(await assign(isoDay(0)), 204, 'ends today');
  const listed = expect(await api('admin', 'GET', `/users/${T.expert2.user.id}/assignments`, { template: '/users/{id}/assignments' }), 200, 'assignments').items;
  assert.equal(listed.find((u) => u.id === KG.id).assignment.ends_on, isoDay(0));
  assert.deepEqual(await paths(), { file: 200, thumb: 200, sign: 200, stream: 206, unit: 200, evidence: 200, upload: 201, listed: true }, 'the last day counts');

  expect(await assign(isoDay(-1)), 204, 'ended yesterday');
  assert.deepEqual(await paths(), { file: 404, thumb: 404, sign: 404, stream: 404, unit: 404, evidence: 404, upload: 404, listed: false }, 'every path is closed, the own sheet too, and the task list forgets it');
  const audit = await query(`SELECT changes FROM audit_log WHERE action = 'expert.assign' AND entity_id = ${T.expert2.user.id} ORDER BY id DESC LIMIT 1`);
  assert.match(audit[0][0], /ends_on/, 'the end date is audited');

  expect(await assign(null), 204, 'no end');
  assert.deepEqual(await paths(), { file: 200, thumb: 200, sign: 200, stream: 206, unit: 200, evidence: 200, upload: 201, listed: true }, 'open again');
  const bad = expectProblem(await api('admin', 'PUT', `/users/${T.expert2.user.id}/assignments/${KG.id}?ends_on=2026-02-30`, { template: '/users/{id}/assignments/{unit_id}' }), 422, 'validation', 'not a day');
  assert.equal(bad.errors[0].field, 'ends_on');
});

test('responses match backend/openapi.yaml', () => {
  assert.ok(C.checked > 40, `checked ${C.checked} responses`);
  assert.deepEqual(C.mismatches, []);
});
