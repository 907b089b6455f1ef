// Instruments, campaigns and sheets (docs/api-forms.md, docs/instruments.md): a campaign
// made by the region coordinator with the published instruments; a sheet's life (draft →
// autosave of changed answers → submit with every missing item listed → scores computed by
// the server and compared with a JS reading of the rules → return with indicator comments
// → resubmit → approve); optimistic concurrency (409 with both answer sets); invalid
// answers (422 per field); who may read, edit and review; a sheet keeps its instrument
// version when a new one is published; instrument upload errors by JSON path; closed
// campaigns; concurrent submits. Fixtures are made through the API (new campaigns with
// titles unique to the run, so a rerun starts new sheets); only closing a campaign that
// already has a sheet needs SQL (no API changes a campaign's dates).
// Every response is checked against backend/openapi.yaml; mismatches are collected and
// reported by the last test so that they do not hide the behaviour checks.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { BASE, login, assertProblem, show, runTag } from './lib.mjs';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query } from './fixtures-org.mjs';
import {
  isoDay,
  itemsOf,
  requiredCodes,
  indicatorOf,
  progressOf,
  expectedScores,
  assertScores,
} from './fixtures-forms.mjs';

const RUN = runTag('f');
const LOGINS = ['admin', 'region', 'municipal', 'municipal2', 'doo', 'doo2', 'doo3', 'teacher', 'teacher2', 'expert'];
const SHIPPED = ['DC', 'ES', 'PQ', 'QS', 'TSA'];
const MSG = {
  required: 'нужен ответ: пункт обязательный',
  na: 'ответ «не применимо» для этого пункта не предусмотрен',
  unknown: 'нет такого пункта в этой версии инструмента',
  likert: 'ожидается целое число от 1 до 5',
};

const C = new Conformance(loadSpec()); // openapi conformance recorder
const T = {}; // login -> { token, user }
const { api } = apiClient({ tokens: T, conformance: C });
const INS = {}; // code -> published meta (latest version)
const DEF = {}; // code -> definition of that version
const CAMP = {}; // name -> campaign
let GROUPS = []; // groups of the doo coordinator's kindergarten
const SHEETS = new Map(); // name -> sheet mirror (see start())

// ---------------------------------------------------------------------------------------
// Calls

/** A campaign of the region coordinator, open from `opens` to `closes` (days from today). */
async function campaign(name, opens = -1, closes = 30, instruments = Object.values(INS)) {
  const body = {
    title: `Мониторинг ${RUN} ${name}`,
    year: Number(isoDay(0).slice(0, 4)),
    opens_on: isoDay(opens),
    closes_on: isoDay(closes),
    instrument_ids: instruments.map((i) => i.id),
  };
  const c = expect(await api('region', 'POST', '/campaigns', { json: body }), 201, `campaign ${name}`);
  assert.equal(c.title, body.title);
  assert.equal(c.opens_on, body.opens_on);
  assert.equal(c.closes_on, body.closes_on);
  assert.equal(c.org_unit.id, T.region.user.org_unit.id, 'the campaign belongs to the caller’s unit');
  assert.deepEqual(c.instruments.map((i) => i.id).sort((a, b) => a - b), body.instrument_ids.sort((a, b) => a - b));
  CAMP[name] = c;
  return c;
}

/**
 * POST /submissions as `who`; expects 201 (new) or 200 (started before) as `expectStatus`
 * says. Returns a mirror { id, version, answers, doc, who, code } kept under `name` (the
 * same object when `name` already holds that sheet).
 */
async function start(name, who, camp, code, target, expectStatus = 201) {
  const json = { campaign_id: CAMP[camp].id, instrument_id: INS[code].id };
  if (target) json.target_unit_id = target;
  const r = await api(who, 'POST', '/submissions', { json });
  const doc = expect(r, expectStatus, `${who} starts ${code} in ${camp}`);
  const known = SHEETS.get(name);
  const sheet = known?.id === doc.id ? known : { id: doc.id, who, code };
  Object.assign(sheet, { version: doc.version, answers: structuredClone(doc.answers), doc });
  SHEETS.set(name, sheet);
  return sheet;
}

/** Autosave of `delta` (must succeed): checks the new version and progress, updates the mirror. */
async function save(sheet, delta, who = sheet.who) {
  const r = await api(who, 'PATCH', '/submissions/{id}', { id: sheet.id, json: { base_version: sheet.version, answers: delta } });
  const b = expect(r, 200, `${who} saves sheet ${sheet.id}`);
  assert.equal(b.id, sheet.id);
  assert.equal(b.version, sheet.version + 1, 'every save moves the version by one');
  for (const [k, v] of Object.entries(delta)) {
    if (v === null) delete sheet.answers[k];
    else sheet.answers[k] = v;
  }
  sheet.version = b.version;
  assert.deepEqual(b.progress, progressOf(DEF[sheet.code], sheet.answers), `progress after saving ${Object.keys(delta).length} answers`);
  return b;
}

async function read(sheet, who = sheet.who) {
  const doc = expect(await api(who, 'GET', '/submissions/{id}', { id: sheet.id }), 200, `${who} reads sheet ${sheet.id}`);
  sheet.doc = doc;
  sheet.version = doc.version;
  return doc;
}

async function submit(sheet, who = sheet.who) {
  const r = await api(who, 'POST', '/submissions/{id}/submit', { id: sheet.id, json: { base_version: sheet.version } });
  if (r.status === 200) {
    sheet.doc = r.json;
    sheet.version = r.json.version;
  }
  return r;
}

/** PATCH with any base version (default: the mirror's); returns the raw response. */
const patchRaw = (sheet, answers, who = sheet.who, base = sheet.version) =>
  api(who, 'PATCH', '/submissions/{id}', { id: sheet.id, json: { base_version: base, answers } });

const review = (sheet, who, action, json = {}) => api(who, 'POST', `/submissions/{id}/${action}`, { id: sheet.id, json });

/** The check items of indicator `code` at `level`, in document order. */
const checks = (code, level) =>
  indicatorOf(DEF.QS, code)
    .items.filter((i) => i.type === 'check' && i.level === level)
    .map((i) => i.code);

/** The ecers items of indicator `code` in `column`. */
const column = (code, col) =>
  indicatorOf(DEF.ES, code)
    .items.filter((i) => i.type === 'ecers' && i.column === col);

// ---------------------------------------------------------------------------------------

before(async () => {
  for (const l of LOGINS) {
    const s = await login(l);
    T[l] = { token: s.token, user: s.user };
  }
  const list = expect(await api('region', 'GET', '/instruments'), 200, 'instruments');
  for (const m of list.items) {
    assert.equal(m.status, 'published', `GET /instruments lists published instruments only: ${JSON.stringify(m)}`);
    assert.ok(!INS[m.code], `one version per code: ${m.code}`);
    INS[m.code] = m;
  }
  for (const code of SHIPPED) assert.ok(INS[code], `shipped instrument ${code} is published`);
  for (const code of Object.keys(INS)) {
    const one = expect(await api('teacher', 'GET', '/instruments/{id}', { id: INS[code].id }), 200, `instrument ${code}`);
    assert.equal(one.code, code);
    assert.equal(one.version, INS[code].version);
    assert.equal(one.definition.code, code);
    assert.equal(one.definition.version, INS[code].version, 'the stored definition carries its version');
    DEF[code] = one.definition;
  }
  await campaign('A');
  await campaign('B');
  const kids = expect(
    await api('doo', 'GET', '/units/{id}/children', { id: T.doo.user.org_unit.id }),
    200,
    'groups of the kindergarten',
  );
  GROUPS = kids.items.filter((u) => u.level === 'group' && u.active);
  assert.ok(GROUPS.length >= 3, `the demo kindergarten has groups: ${JSON.stringify(kids).slice(0, 200)}`);
});

// ---------------------------------------------------------------------------------------

test('campaigns: visible below the region, refused to other roles and with bad fields', async () => {
  const mine = expect(await api('teacher', 'GET', '/campaigns'), 200, 'campaigns as teacher');
  assert.ok(mine.items.some((c) => c.id === CAMP.A.id), 'a teacher of the region sees its campaign');
  const one = expect(await api('doo3', 'GET', '/campaigns/{id}', { id: CAMP.A.id }), 200, 'one campaign');
  assert.equal(one.open, true);
  const body = { title: `x ${RUN}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(0), closes_on: isoDay(1), instrument_ids: [INS.QS.id] };
  expectProblem(await api('doo', 'POST', '/campaigns', { json: body }), 403, null, 'a kindergarten coordinator creates a campaign');
  const bad = expectProblem(
    await api('region', 'POST', '/campaigns', { json: { ...body, opens_on: isoDay(5), closes_on: isoDay(1), instrument_ids: [] } }),
    422,
    'validation',
    'closes before it opens, no instruments',
  );
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['closes_on', 'instrument_ids']);
});

test('teacher self-assessment: draft → autosave → 422 with every missing item → submit → scores (mean rule)', async () => {
  const def = DEF.TSA;
  const s = await start('tsa', 'teacher', 'A', 'TSA');
  assert.equal(s.doc.status, 'draft');
  assert.equal(s.doc.instrument.version, INS.TSA.version);
  assert.equal(s.doc.target.user.id, T.teacher.user.id, 'a personal sheet is about its author');
  assert.equal(s.doc.kindergarten.id, T.teacher.user.org_unit.id);
  assert.deepEqual(s.doc.answers, {});
  assert.deepEqual(s.doc.progress, { answered: 0, required: requiredCodes(def).length, required_answered: 0 });
  assert.equal(s.doc.can_edit, true);
  assert.equal(s.doc.history.length, 1);
  assert.equal(s.doc.history[0].to, 'draft');
  const again = await start('tsa', 'teacher', 'A', 'TSA', undefined, 200);
  assert.equal(again.id, s.id, 'starting again answers with the same sheet');

  // autosave: only what changed; earlier answers stay; null removes one; "na" is kept in a draft
  let p = await save(s, { 'TSA.1.1.1': 3, 'TSA.1.1.2': 3, 'TSA.1.1.example': 'Планирую по интересам детей' });
  assert.deepEqual(p.progress, { answered: 3, required: 30, required_answered: 2 });
  p = await save(s, { 'TSA.1.1.3': 'na', 'TSA.2.1.1': 5 });
  assert.equal(p.progress.required_answered, 4);
  p = await save(s, { 'TSA.1.1.example': null, 'TSA.2.1.1': 4 });
  assert.deepEqual(p.progress, { answered: 4, required: 30, required_answered: 4 });
  let doc = await read(s);
  assert.deepEqual(doc.answers, { 'TSA.1.1.1': 3, 'TSA.1.1.2': 3, 'TSA.1.1.3': 'na', 'TSA.2.1.1': 4 });
  assert.deepEqual(doc.progress, p.progress);

  // submit: one error per item — the "na" that is not allowed, then every missing required item
  const missing = requiredCodes(def).filter((c) => s.answers[c] === undefined || s.answers[c] === 'na');
  const err = expectProblem(await submit(s), 422, 'invalid-answers', 'submit of a partial sheet');
  assert.deepEqual(
    err.errors.map((e) => e.field),
    missing,
    'every missing required item, in document order',
  );
  for (const e of err.errors) assert.equal(e.message, e.field === 'TSA.1.1.3' ? MSG.na : MSG.required, e.field);
  doc = await read(s);
  assert.equal(doc.status, 'draft', 'a refused submit changes nothing');

  // fill and submit
  const plan = {
    'TSA.1.1': [3, 3, 3, 2], // 2.75 -> 2.8
    'TSA.1.2': [2, 2, 3, 2], // 2.25 -> 2.3
    'TSA.2.1': [5, 5, 5, 5],
    'TSA.2.2': [1, 1, 1, 1],
    'TSA.3.1': [4, 4, 4, 3],
    'TSA.4.1': [5, 5, 4, 4],
    'TSA.5.1': [1, 2, 1, 2],
  };
  const fill = {};
  for (const [ind, values] of Object.entries(plan)) values.forEach((v, i) => (fill[`${ind}.${i + 1}`] = v));
  Object.assign(fill, {
    'TSA.9.1.1': 'Создаю условия для игры',
    'TSA.9.1.2': 'Работа с семьями',
    'TSA.9.1.3': ['courses', 'mentor'],
    'TSA.9.1.4': isoDay(7),
  });
  const delta = Object.fromEntries(Object.entries(fill).filter(([k, v]) => s.answers[k] !== v));
  await save(s, delta);
  doc = expect(await submit(s), 200, 'submit');
  assert.equal(doc.status, 'submitted');
  assert.equal(doc.can_edit, false);
  assert.match(doc.submitted_at || '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.deepEqual(doc.answers, fill);
  assertScores(doc, expectedScores(def, fill), 'TSA');
  // by hand: areas 2.5, 3, 3.75, 4.5, 1.5 (area 9 has nothing scored) -> 15.25 / 5 = 3.05 -> 3.1
  assert.deepEqual(
    doc.scores.sections.map((x) => x.score),
    [2.5, 3, 3.8, 4.5, 1.5, null],
  );
  assert.deepEqual(
    doc.scores.indicators.slice(0, 2).map((x) => x.score),
    [2.8, 2.3],
    'halves away from zero',
  );
  assert.equal(doc.scores.overall.score, 3.1);
  assert.ok(Math.abs(doc.overall_score - 3.05) < 1e-9, `overall_score ${doc.overall_score}`);
  expectProblem(await patchRaw(s, { 'TSA.1.1.1': 1 }), 409, 'not-editable', 'saving a submitted sheet');
});

test('teacher self-assessment: returned by the kindergarten coordinator with indicator comments → resubmitted → approved', async () => {
  const s = SHEETS.get('tsa');
  assert.ok(s && s.doc.status === 'submitted', 'needs the submitted sheet of the previous test');
  // who may not review it
  expectProblem(await review(s, 'teacher', 'approve'), 403, null, 'the author approves');
  expectProblem(await review(s, 'doo2', 'approve'), 404, 'not-found', 'the coordinator of another kindergarten approves');
  expectProblem(await review(s, 'doo', 'return', { comment: '' }), 422, 'validation', 'return without a comment');
  const seen = await read(s, 'doo');
  assert.equal(seen.can_review, true, 'the kindergarten coordinator reviews a teacher’s sheet');
  assert.equal(seen.can_edit, false);

  const comments = { 'TSA.5.1': 'Опишите, как вы работаете с родителями', 'TSA.1.2': 'Приведите пример' };
  let doc = expect(
    await review(s, 'doo', 'return', { comment: 'Уточните раздел 5', indicator_comments: comments }),
    200,
    'return',
  );
  assert.equal(doc.status, 'returned');
  // the author sees it returned, with the comments, and may edit again
  doc = await read(s);
  assert.equal(doc.status, 'returned');
  assert.equal(doc.can_edit, true);
  const last = doc.history.at(-1);
  assert.equal(last.from, 'submitted');
  assert.equal(last.to, 'returned');
  assert.equal(last.comment, 'Уточните раздел 5');
  assert.deepEqual(last.indicator_comments, comments);
  assert.equal(last.actor.id, T.doo.user.id);
  assert.equal(last.actor.role, 'doo_coordinator');
  const listed = expect(await api('teacher', 'GET', '/submissions', { q: { mine: 1, status: 'returned', campaign_id: CAMP.A.id } }), 200, 'my returned sheets');
  assert.deepEqual(listed.items.map((x) => x.id), [s.id]);
  expectProblem(await review(s, 'doo', 'approve'), 409, 'not-submitted', 'approving a returned sheet');

  // fix, resubmit: scores are computed again
  await save(s, { 'TSA.5.1.1': 3, 'TSA.5.1.2': 3, 'TSA.5.1.3': 3, 'TSA.5.1.4': 3 });
  doc = expect(await submit(s), 200, 'resubmit');
  assert.equal(doc.status, 'submitted');
  assertScores(doc, expectedScores(DEF.TSA, s.answers), 'TSA resubmitted');
  assert.equal(doc.scores.overall.score, 3.4); // (2.5 + 3 + 3.75 + 4.5 + 3) / 5 = 3.35

  doc = expect(await review(s, 'doo', 'approve', { comment: 'Принято' }), 200, 'approve');
  assert.equal(doc.status, 'approved');
  assert.deepEqual(
    doc.history.map((h) => [h.from, h.to]),
    [
      [null, 'draft'],
      ['draft', 'submitted'],
      ['submitted', 'returned'],
      ['returned', 'submitted'],
      ['submitted', 'approved'],
    ],
  );
  assert.equal(doc.history.at(-1).comment, 'Принято');
  expectProblem(await patchRaw(s, { 'TSA.1.1.1': 1 }), 409, 'not-editable', 'saving an approved sheet');
  expectProblem(await review(s, 'doo', 'return', { comment: 'ещё раз' }), 409, 'not-submitted', 'returning an approved sheet');

  // audited: the status changes, not the autosaves
  const audit = expect(
    await api('admin', 'GET', '/audit', { q: { entity: 'submission', entity_id: s.id, limit: 50 } }),
    200,
    'audit of the sheet',
  );
  assert.deepEqual(
    audit.items.map((e) => e.action).reverse(),
    ['submission.create', 'submission.submit', 'submission.return', 'submission.submit', 'submission.approve'],
  );
});

/** The planned answers of the kindergarten's quality-scale sheet (see the test). */
function qsPlan() {
  const a = {};
  for (const { item } of itemsOf(DEF.QS)) if (item.type === 'check') a[item.code] = 'met';
  const set = (codes, v) => codes.forEach((c) => (a[c] = v));
  a[checks('QS.1.1', 2)[0]] = 'not_met'; // a level-2 item not met -> 1
  a[checks('QS.1.2', 3)[1]] = 'not_met'; // level 3 fails, 4 and 5 all met -> 2
  a[checks('QS.1.3', 5).at(-1)] = 'not_met'; // -> 4
  set(checks('QS.2.4', 2), 'na'); // level 2 all n/a: passed, at least 2
  set(checks('QS.2.4', 4), 'na'); // level 4 all n/a: passed
  a[checks('QS.2.4', 5)[0]] = 'not_met'; // -> 4
  a[checks('QS.3.1', 4)[0]] = 'not_met'; // level-5 items met do not help -> 3
  for (const ind of ['QS.6.1', 'QS.6.2', 'QS.6.3']) for (const l of [2, 3, 4, 5]) set(checks(ind, l), 'na'); // no level; area 6 not scored
  for (const l of [2, 3, 4, 5]) set(checks('QS.9.4', l), 'not_met'); // -> 1
  a['QS.1.1.comment'] = 'Условия для детей раннего возраста созданы не полностью';
  return a;
}
const QS_LEVELS = { 'QS.1.1': 1, 'QS.1.2': 2, 'QS.1.3': 4, 'QS.2.4': 4, 'QS.3.1': 3, 'QS.6.1': null, 'QS.6.2': null, 'QS.6.3': null, 'QS.9.4': 1 };

test('quality scale of the kindergarten: autosave by area → 422 lists every missing item → submit → cumulative levels stored', async () => {
  const def = DEF.QS;
  const kg = T.doo.user.org_unit.id;
  const s = await start('qs', 'doo', 'A', 'QS', kg);
  assert.equal(s.doc.target.unit.id, kg);
  assert.equal(s.doc.target.unit.level, 'kindergarten');
  assert.equal(s.doc.target.user, null);
  assert.equal(s.doc.respondent_role, 'doo_coordinator');
  assert.equal(s.doc.progress.required, 350);
  const plan = qsPlan();

  // one autosave per area, areas 1–8; in area 9 one answer and one "na" where none is allowed
  for (const section of def.sections.slice(0, 8)) {
    const delta = {};
    for (const { item, section: sec } of itemsOf(def)) if (sec === section && plan[item.code] !== undefined) delta[item.code] = plan[item.code];
    await save(s, delta);
  }
  const area9 = checks('QS.9.1', 2);
  await save(s, { [area9[0]]: 'na', [area9[1]]: 'met' });
  assert.deepEqual((await read(s)).answers, s.answers, 'the stored draft is the sum of the autosaves');

  const missing = requiredCodes(def).filter((c) => s.answers[c] === undefined || c === area9[0]);
  const err = expectProblem(await submit(s), 422, 'invalid-answers', 'submit without area 9');
  assert.ok(missing.length > 30, `${missing.length} missing`);
  assert.deepEqual(err.errors.map((e) => e.field), missing, 'every missing required item, in document order');
  assert.equal(err.errors[0].message, MSG.na);
  for (const e of err.errors.slice(1)) assert.equal(e.message, MSG.required);

  const rest = {};
  for (const [k, v] of Object.entries(plan)) if (s.answers[k] !== v) rest[k] = v;
  await save(s, rest);
  const doc = expect(await submit(s), 200, 'submit');
  assert.equal(doc.status, 'submitted');
  assertScores(doc, expectedScores(def, plan), 'QS');
  const level = Object.fromEntries(doc.scores.indicators.map((n) => [n.code, n.level]));
  for (const [code, want] of Object.entries(QS_LEVELS)) assert.equal(level[code], want, `${code} by hand`);
  for (const [code, l] of Object.entries(level)) if (!(code in QS_LEVELS)) assert.equal(l, 5, `${code}: all met`);
  const area = Object.fromEntries(doc.scores.sections.map((n) => [n.code, n.score]));
  assert.deepEqual(area, { 'QS.1': 2.3, 'QS.2': 4.8, 'QS.3': 4.6, 'QS.4': 5, 'QS.5': 5, 'QS.6': null, 'QS.7': 5, 'QS.8': 5, 'QS.9': 4 });
  assert.equal(doc.scores.overall.sections, 8, 'an area without a scored indicator is left out');
  assert.equal(doc.scores.overall.score, 4.5); // (7/3 + 4.75 + 4.6 + 5 + 5 + 5 + 5 + 4) / 8 = 4.4604…
  assert.ok(Math.abs(doc.overall_score - (7 / 3 + 4.75 + 4.6 + 5 + 5 + 5 + 5 + 4) / 8) < 1e-9, `overall_score ${doc.overall_score}: exact, not rounded to 4.46`);

  // stored per node as well: the quality profile reads them
  const prof = expect(
    await api('doo', 'GET', '/units/{id}/profile', { id: kg, q: { campaign_id: CAMP.A.id, instrument: 'QS' } }),
    200,
    'profile',
  );
  const self = prof.self_assessment;
  assert.equal(self?.submission_id, s.id, `profile: ${JSON.stringify(prof).slice(0, 300)}`);
  for (const n of doc.scores.indicators) {
    if (n.level === null) assert.equal(self.indicators[n.code], undefined, `${n.code}: no stored level`);
    else assert.equal(self.indicators[n.code]?.level, n.level, `${n.code}: stored level`);
  }
  for (const n of doc.scores.sections) {
    if (n.mean === null) assert.equal(self.sections[n.code], undefined, `${n.code}: no stored area score`);
    else assert.ok(Math.abs(self.sections[n.code].score - n.mean) < 1e-9, `${n.code}: stored ${self.sections[n.code].score}, mean ${n.mean}`);
  }
  assert.ok(Math.abs(self.overall - doc.scores.overall.mean) < 1e-9, `stored overall ${self.overall}`);
});

test('quality scale of the kindergarten: returned by the municipal coordinator, resubmitted, approved; never by its author', async () => {
  const s = SHEETS.get('qs');
  assert.ok(s && s.doc.status === 'submitted', 'needs the submitted sheet of the previous test');
  expectProblem(await review(s, 'doo', 'approve'), 403, 'forbidden', 'a reviewer approves their own sheet');
  expectProblem(await review(s, 'teacher', 'approve'), 403, null, 'a teacher approves');
  expectProblem(await review(s, 'municipal2', 'approve'), 404, 'not-found', 'the coordinator of another municipality approves');
  assert.equal((await read(s, 'municipal')).can_review, true);

  const comments = { 'QS.9.4': 'Проверьте: все пункты не выполнены?', 'QS.1.1': 'Приложите фото' };
  expect(await review(s, 'municipal', 'return', { comment: 'Уточните области 1 и 9', indicator_comments: comments }), 200, 'return');
  let doc = await read(s);
  assert.equal(doc.status, 'returned');
  assert.equal(doc.can_edit, true);
  assert.deepEqual(doc.history.at(-1).indicator_comments, comments);
  assert.equal(doc.history.at(-1).actor.role, 'municipal_coordinator');

  const fix = {};
  for (const l of [2, 3, 4, 5]) for (const c of checks('QS.9.4', l)) fix[c] = 'met';
  await save(s, fix);
  doc = expect(await submit(s), 200, 'resubmit');
  assertScores(doc, expectedScores(DEF.QS, s.answers), 'QS resubmitted');
  assert.equal(doc.scores.sections.find((n) => n.code === 'QS.9').score, 5);
  expectProblem(await review(s, 'doo', 'approve'), 403, 'forbidden', 'the author approves');
  doc = expect(await review(s, 'municipal', 'approve'), 200, 'approve');
  assert.equal(doc.status, 'approved');
  assert.equal(doc.history.length, 5);
});

test('ECERS-style scale for groups: every branch of the 1–7 rule, stored as the rule says', async () => {
  // per indicator: how many "yes" in columns 1, 3, 5, 7 (the rest "no"); na: the items that allow it
  const plans = [
    // all column-1 "no" but fewer than half of column 3 "yes" -> 1 (columns 5 and 7 do not help);
    // column 5 two of three -> 4; column 7 one of two (exactly half) -> 6
    { 'ES.1.1': [0, 0, 3, 2], 'ES.1.2': [0, 2, 2, 2], 'ES.1.3': [0, 2, 2, 1], levels: [1, 4, 6], score: 3.7 },
    // a column-1 "yes" -> 1 whatever follows; column 5 one of three -> 3; column 7 none -> 5
    { 'ES.1.1': [1, 2, 3, 2], 'ES.1.2': [0, 2, 1, 2], 'ES.1.3': [0, 2, 2, 0], levels: [1, 3, 5], score: 3 },
    // all applicable "yes" with an n/a item -> 7; column 3 one of two (exactly half) -> 2
    { 'ES.1.1': [0, 2, 9, 2, 'na'], 'ES.1.2': [0, 1, 3, 2], 'ES.1.3': [0, 2, 0, 2], levels: [7, 2, 3], score: 4 },
  ];
  for (const [n, plan] of plans.entries()) {
    const group = GROUPS[n];
    const s = await start(`es${n}`, 'doo', 'A', 'ES', group.id);
    assert.equal(s.doc.target.unit.id, group.id);
    assert.equal(s.doc.target.unit.level, 'group');
    assert.equal(s.doc.kindergarten.id, T.doo.user.org_unit.id);
    const answers = {};
    for (const ind of ['ES.1.1', 'ES.1.2', 'ES.1.3']) {
      const [c1, c3, c5, c7, na] = plan[ind];
      [1, 3, 5, 7].forEach((col, k) => {
        let yes = [c1, c3, c5, c7][k];
        for (const item of column(ind, col)) {
          if (na && item.na_allowed) answers[item.code] = 'na';
          else answers[item.code] = yes-- > 0 ? 'yes' : 'no';
        }
      });
    }
    answers['ES.1.2.comment'] = 'Книжный уголок обновляется редко';
    await save(s, answers);
    const doc = expect(await submit(s), 200, `submit ES ${n}`);
    assertScores(doc, expectedScores(DEF.ES, answers), `ES ${n}`);
    assert.deepEqual(doc.scores.indicators.map((x) => x.level), plan.levels, `ES ${n}: levels by hand`);
    assert.equal(doc.scores.overall.score, plan.score, `ES ${n}: overall by hand`);
  }
});

test('access: teachers see their own and their groups’ sheets only; experts the self-assessments of assigned kindergartens', async () => {
  const ensure = async (name, who, camp, code, target) =>
    SHEETS.get(name) ?? (await start(name, who, camp, code, target));
  const tsa = await ensure('tsa', 'teacher', 'A', 'TSA');
  const qs = await ensure('qs', 'doo', 'A', 'QS', T.doo.user.org_unit.id);
  const es = await ensure('es0', 'doo', 'A', 'ES', GROUPS[0].id);
  const tsa2 = await start('tsa2', 'teacher2', 'A', 'TSA');
  assert.equal(tsa2.doc.kindergarten.id, T.teacher2.user.org_unit.id);
  const qs2 = await start('qs2', 'doo2', 'A', 'QS', T.doo2.user.org_unit.id);
  const qs3 = await start('qs3', 'doo3', 'A', 'QS', T.doo3.user.org_unit.id);

  // a teacher: another kindergarten's sheets (a teacher's, the coordinator's) do not exist
  for (const [sheet, what] of [
    [tsa2, 'teacher2’s sheet'],
    [qs2, 'the coordinator’s sheet of another kindergarten'],
    [qs, 'the kindergarten’s own self-assessment (not a group sheet)'],
  ]) {
    expectProblem(await api('teacher', 'GET', '/submissions/{id}', { id: sheet.id }), 404, 'not-found', `teacher reads ${what}`);
  }
  expectProblem(await patchRaw(tsa2, { 'TSA.1.1.1': 1 }, 'teacher'), 404, 'not-found', 'teacher saves teacher2’s sheet');
  expectProblem(
    await api('teacher', 'POST', '/submissions/{id}/submit', { id: tsa2.id, json: { base_version: tsa2.version } }),
    404,
    'not-found',
    'teacher submits teacher2’s sheet',
  );
  // … a group sheet of their kindergarten is readable, not editable
  const g = await read(es, 'teacher');
  assert.equal(g.can_edit, false);
  assert.equal(g.can_review, false);
  expectProblem(await patchRaw(es, { 'ES.1.1.comment': 'x' }, 'teacher', g.version), 403, 'forbidden', 'teacher edits the coordinator’s group sheet');
  const tl = expect(await api('teacher', 'GET', '/submissions', { q: { campaign_id: CAMP.A.id } }), 200, 'teacher’s list');
  const tids = tl.items.map((x) => x.id);
  assert.ok(tids.includes(tsa.id) && tids.includes(es.id), `own and group sheets listed: ${tids}`);
  for (const x of [tsa2, qs2, qs, qs3]) assert.ok(!tids.includes(x.id), `sheet ${x.id} is not listed for the teacher`);

  // an expert: the coordinator's self-assessment of an assigned kindergarten, nothing of others
  const e1 = await read(qs, 'expert');
  assert.equal(e1.can_edit, false);
  assert.equal(e1.can_review, false);
  await read(qs2, 'expert'); // № 5 "Берёзка" is assigned too
  expectProblem(await api('expert', 'GET', '/submissions/{id}', { id: qs3.id }), 404, 'not-found', 'expert reads a non-assigned kindergarten’s self-assessment');
  expectProblem(await api('expert', 'GET', '/submissions/{id}', { id: tsa.id }), 404, 'not-found', 'expert reads a teacher’s sheet');
  const el = expect(await api('expert', 'GET', '/submissions', { q: { campaign_id: CAMP.A.id } }), 200, 'expert’s list');
  const eids = el.items.map((x) => x.id);
  assert.ok(eids.includes(qs.id) && eids.includes(qs2.id), `assigned self-assessments listed: ${eids}`);
  for (const x of [qs3, tsa, tsa2]) assert.ok(!eids.includes(x.id), `sheet ${x.id} is not listed for the expert`);
  // an expert's own assessment is personal, even for the kindergarten target
  const mine = await start('qs-expert', 'expert', 'A', 'QS', T.doo.user.org_unit.id);
  assert.notEqual(mine.id, qs.id);
  assert.equal(mine.doc.target.user?.id, T.expert.user.id);
  assert.equal(mine.doc.respondent_role, 'expert');
});

test('conflicting saves: 409 with the stored answers and the rejected ones, nothing overwritten', async () => {
  const s = await start('tsa-b', 'teacher', 'B', 'TSA');
  await save(s, { 'TSA.1.1.1': 2, 'TSA.1.1.2': 2 });
  const base = s.version;
  // device 1 saves on `base`
  await save(s, { 'TSA.1.1.1': 4 });
  // device 2 saves on the same `base`
  const mine = { 'TSA.1.1.1': 1, 'TSA.1.2.1': 5 };
  const c = expectProblem(await patchRaw(s, mine, 'teacher', base), 409, 'version-conflict', 'save on an old version');
  assert.equal(c.current_version, s.version);
  assert.deepEqual(c.current_answers, { 'TSA.1.1.1': 4, 'TSA.1.1.2': 2 });
  assert.deepEqual(c.your_answers, mine);
  const doc = await read(s);
  assert.equal(doc.version, s.version);
  assert.deepEqual(doc.answers, { 'TSA.1.1.1': 4, 'TSA.1.1.2': 2 }, 'never a silent overwrite');
  // submit on an old version: 409 too
  const sub = await api('teacher', 'POST', '/submissions/{id}/submit', { id: s.id, json: { base_version: base } });
  assert.equal(expectProblem(sub, 409, 'version-conflict', 'submit on an old version').current_version, s.version);
  // the second device merges and saves on the current version
  await save(s, mine);
});

test('invalid answers: 422 lists every bad field, and nothing of the save is kept', async () => {
  const s = SHEETS.get('tsa-b') ?? (await start('tsa-b', 'teacher', 'B', 'TSA'));
  const stored = structuredClone((await read(s)).answers);
  const bad = {
    'TSA.1.1.1': 6, // out of range
    'TSA.1.1.2': '3', // wrong type
    'TSA.1.1.3': 2.5, // not whole
    'TSA.1.1.4': 4, // fine
    'TSA.1.1.example': 'я'.repeat(1001), // longer than max_length 1000
    'TSA.1.2.1': 'na', // a draft keeps "na"
    'TSA.9.1.3': ['courses', 'astronaut'], // unknown option
    'TSA.9.1.4': '2025-02-29', // no such day
    'TSA.7.7.7': 1, // unknown code
    'TSA.1': 3, // a section code is not an item
  };
  let e = expectProblem(await patchRaw(s, bad), 422, 'invalid-answers', 'save with bad answers');
  assert.deepEqual(
    e.errors.map((x) => [x.field, x.message]),
    [
      ['TSA.1.1.1', MSG.likert],
      ['TSA.1.1.2', MSG.likert],
      ['TSA.1.1.3', MSG.likert],
      ['TSA.1.1.example', 'не длиннее 1000 символов (сейчас 1001)'],
      ['TSA.9.1.3', 'нет такого варианта: «astronaut»'],
      ['TSA.9.1.4', 'такой даты нет в календаре'],
      ['TSA.7.7.7', MSG.unknown],
      ['TSA.1', MSG.unknown],
    ],
  );
  const doc = await read(s);
  assert.deepEqual(doc.answers, stored, 'a refused save stores nothing');

  // the other types, on the digital competence survey
  const dc = await start('dc-b', 'teacher', 'B', 'DC');
  e = expectProblem(
    await patchRaw(dc, {
      'DC.0.1.1': 'astronaut', // unknown option
      'DC.0.1.2': 61, // above max 60
      'DC.1.1.1': 3, // an option code is a string
      'DC.1.1.2': 'teach', // fine
      'DC.2.1.1': 'na', // a draft keeps "na"
      'DC.9.1.1': 'maybe', // yes / no
      'DC.9.1.2': ['tables', 'video', 'cloud', 'systems'], // max_choices 3
      'DC.9.1.9': 'yes', // unknown code
    }),
    422,
    'invalid-answers',
    'save with bad answers (DC)',
  );
  assert.deepEqual(e.errors.map((x) => x.field), ['DC.0.1.1', 'DC.0.1.2', 'DC.1.1.1', 'DC.9.1.1', 'DC.9.1.2', 'DC.9.1.9']);
  const msg = Object.fromEntries(e.errors.map((x) => [x.field, x.message]));
  assert.equal(msg['DC.0.1.1'], 'нет такого варианта: «astronaut»');
  assert.equal(msg['DC.0.1.2'], 'не больше 60');
  assert.equal(msg['DC.9.1.2'], 'выберите не больше 3');
  assert.equal(msg['DC.9.1.9'], MSG.unknown);
  for (const m of Object.values(msg)) assert.ok(m.length > 0);
  assert.deepEqual((await read(dc)).answers, {});
  // body shape
  const shape = expectProblem(
    await api('teacher', 'PATCH', '/submissions/{id}', { id: dc.id, json: { answers: [] } }),
    422,
    'validation',
    'save without base_version, answers not an object',
  );
  assert.deepEqual(shape.errors.map((x) => x.field).sort(), ['answers', 'base_version']);
});

test('a sheet keeps its instrument version when a new version is uploaded and published', async () => {
  const old = INS.DC;
  const s = await start('dc-a', 'teacher', 'A', 'DC');
  await save(s, { 'DC.0.1.1': 'teacher', 'DC.0.1.2': 12, 'DC.1.1.1': 'self' });

  const all = expect(await api('admin', 'GET', '/instruments', { q: { all: 1 } }), 200, 'every version');
  const highest = Math.max(...all.items.filter((m) => m.code === 'DC').map((m) => m.version));
  const full = expect(await api('admin', 'GET', '/instruments/{id}', { id: old.id }), 200, 'DC definition');
  const def = structuredClone(full.definition);
  const edited = (t) => `${t.replace(/( \(ред\. [^)]*\))+$/, '')} (ред. ${RUN})`; // one suffix, however many runs
  def.title = typeof def.title === 'string' ? edited(def.title) : { ...def.title, ru: edited(def.title.ru) };
  expectProblem(await api('region', 'POST', '/instruments', { json: def }), 403, null, 'a region coordinator uploads');
  const up = expect(await api('admin', 'POST', '/instruments', { json: def }), 201, 'upload');
  assert.equal(up.code, 'DC');
  assert.equal(up.version, highest + 1, 'version = one above the highest of that code');
  assert.equal(up.status, 'draft');
  expectProblem(await api('teacher', 'GET', '/instruments/{id}', { id: up.id }), 404, 'not-found', 'a teacher reads a draft');
  assert.equal(
    expect(await api('teacher', 'GET', '/instruments'), 200, 'list').items.find((m) => m.code === 'DC').id,
    old.id,
    'a draft is not listed',
  );
  expectProblem(await api('region', 'POST', '/instruments/{id}/publish', { id: up.id }), 403, null, 'a region coordinator publishes');
  const pub = expect(await api('admin', 'POST', '/instruments/{id}/publish', { id: up.id }), 200, 'publish');
  assert.equal(pub.status, 'published');
  const latest = expect(await api('teacher', 'GET', '/instruments'), 200, 'list').items.find((m) => m.code === 'DC');
  assert.deepEqual([latest.id, latest.version], [up.id, up.version], 'the list shows the new version');
  assert.match(latest.title, new RegExp(RUN));

  // the sheet started before keeps its version, its answers, and saves against it
  let doc = await read(s);
  assert.deepEqual([doc.instrument.id, doc.instrument.version], [old.id, old.version]);
  assert.deepEqual(doc.answers, s.answers);
  // starting it again (the campaign's instrument) is the same sheet (200) …
  const again = await start('dc-a', 'teacher', 'A', 'DC', undefined, 200);
  assert.equal(again.id, s.id);
  assert.equal(again.doc.instrument.version, old.version);
  // … and the new version is not one the campaign uses (its instruments are fixed ids)
  expectProblem(
    await api('teacher', 'POST', '/submissions', { json: { campaign_id: CAMP.A.id, instrument_id: up.id } }),
    404,
    'not-found',
    'a sheet of the new version in the old campaign',
  );
  const fill = { 'DC.1.1.2': 'teach', 'DC.1.1.3': 'help', 'DC.9.1.1': 'yes', 'DC.9.1.2': ['cloud'] };
  for (const code of ['DC.2.1', 'DC.3.1', 'DC.4.1', 'DC.5.1']) for (const k of [1, 2, 3]) fill[`${code}.${k}`] = k === 1 ? 'none' : 'self';
  await save(s, fill);
  doc = expect(await submit(s), 200, 'submit on the old version');
  assert.deepEqual(doc.scores.instrument, { code: 'DC', version: old.version });
  assertScores(doc, expectedScores(DEF.DC, s.answers), 'DC');

  // a campaign made now uses the new version, and so do its sheets
  const e = await campaign('E', -1, 30, [latest]);
  assert.equal(e.instruments[0].version, up.version);
  INS.DC = latest; // for start() below
  try {
    const fresh = await start('dc-e', 'teacher', 'E', 'DC');
    assert.deepEqual([fresh.doc.instrument.id, fresh.doc.instrument.version], [up.id, up.version]);
  } finally {
    INS.DC = old;
  }
});

test('instrument upload: 422 names every bad node by its JSON path', async () => {
  const def = structuredClone(DEF.DC);
  def.title = { en: 'Digital skills' }; // ru is required
  def.requried = true; // unknown field
  def.respondents = ['teacher', 'astronaut'];
  delete def.sections[1].title;
  def.sections[0].indicators[0].items[0].type = 'dropdown'; // unknown type
  def.sections[0].indicators[0].items[1].level = 3; // a check field on a number item
  def.sections[2].indicators[0].items[0].code = def.sections[1].indicators[0].items[0].code; // duplicate
  def.sections[3].indicators[0].items[1].options = []; // a single choice needs 2…100 options
  const r = await api('admin', 'POST', '/instruments', { json: def });
  const p = expectProblem(r, 422, 'invalid-instrument', 'upload of a broken instrument');
  assert.deepEqual(
    p.errors.map((e) => e.field).sort(),
    [
      'requried',
      'respondents[1]',
      'sections[0].indicators[0].items[0].type',
      'sections[0].indicators[0].items[1].level',
      'sections[1].title',
      'sections[2].indicators[0].items[0].code',
      'sections[3].indicators[0].items[1].options',
      'title.ru',
    ],
    show(r),
  );
  for (const e of p.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0, e.field);
  const dup = p.errors.find((e) => e.field === 'sections[2].indicators[0].items[0].code');
  assert.match(dup.message, /sections\[1\]\.indicators\[0\]\.items\[0\]/, 'a duplicate names the first node');
  const latest = expect(await api('admin', 'GET', '/instruments', { q: { all: 1 } }), 200, 'every version');
  assert.ok(!latest.items.some((m) => m.title.includes('Digital')), 'nothing was stored');
});

test('starting a sheet: only the instrument’s respondents, for a target of its level within their scope', async () => {
  const startAs = (who, code, target) =>
    api(who, 'POST', '/submissions', { json: { campaign_id: CAMP.B.id, instrument_id: INS[code].id, ...(target ? { target_unit_id: target } : {}) } });
  expectProblem(await startAs('doo', 'TSA'), 403, 'forbidden', 'a coordinator starts the teachers’ self-assessment');
  expectProblem(await startAs('teacher', 'ES', GROUPS[0].id), 403, 'forbidden', 'a teacher starts the group observation scale');
  expectProblem(await startAs('municipal', 'QS', T.doo.user.org_unit.id), 403, 'forbidden', 'a municipal coordinator starts the quality scale');
  expectProblem(await startAs('doo', 'QS', T.doo2.user.org_unit.id), 404, 'not-found', 'a coordinator starts a sheet for another kindergarten');
  let p = expectProblem(await startAs('doo', 'ES', T.doo.user.org_unit.id), 422, 'validation', 'a group scale for a kindergarten');
  assert.deepEqual(p.errors.map((e) => e.field), ['target_unit_id']);
  expectProblem(
    await api('doo', 'POST', '/submissions', { json: { campaign_id: CAMP.B.id } }),
    422,
    'validation',
    'no instrument',
  );
  // a kindergarten/group instrument without a target: a missing field, not a missing unit
  p = expectProblem(await startAs('doo', 'QS'), 422, 'validation', 'the quality scale without target_unit_id');
  assert.deepEqual(p.errors.map((e) => e.field), ['target_unit_id']);
});

test('return: a comment is required, and indicator comments name indicators of the sheet', async () => {
  const s = SHEETS.get('dc-b') ?? (await start('dc-b', 'teacher', 'B', 'DC'));
  const fill = { 'DC.0.1.1': 'teacher', 'DC.9.1.1': 'no' };
  for (const code of ['DC.1.1', 'DC.2.1', 'DC.3.1', 'DC.4.1', 'DC.5.1']) for (const k of [1, 2, 3]) fill[`${code}.${k}`] = 'help';
  await save(s, fill);
  expect(await submit(s), 200, 'submit DC');
  // each refusal is checked on its own: a return wrongly accepted is undone by resubmitting
  const wrong = [];
  const refused = async (body, what) => {
    const r = await review(s, 'doo', 'return', body);
    if (r.status === 422 && r.json?.type === '/problems/validation') {
      assertProblem(r, 422);
      return r.json;
    }
    wrong.push(`${what}: expected 422 validation, got ${show(r)}`);
    if (r.status === 200) {
      s.version = r.json.version;
      expect(await submit(s), 200, 'resubmit after a wrongly accepted return');
    }
    return null;
  };
  await refused({ comment: '   ' }, 'return with a blank comment');
  await refused({ indicator_comments: { 'DC.1.1': '' } }, 'return with an empty indicator comment only');
  const p = await refused(
    {
      comment: 'Проверьте',
      indicator_comments: { 'DC.1.1': 'ок', 'DC.7.7': 'нет такого показателя', 'DC.1.1.1': 'это пункт, не показатель' },
    },
    'return with comments on codes that are not indicators of the instrument',
  );
  if (p) {
    for (const code of ['DC.7.7', 'DC.1.1.1']) assert.ok(p.errors.some((e) => e.field.includes(code)), `${code} named: ${JSON.stringify(p.errors)}`);
    assert.ok(!p.errors.some((e) => e.field.endsWith('DC.1.1')), 'a real indicator is not an error');
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
  assert.equal((await read(s)).status, 'submitted', 'refused returns change nothing');
  const doc = expect(await review(s, 'doo', 'return', { indicator_comments: { 'DC.1.1': 'Уточните' } }), 200, 'return');
  assert.equal(doc.status, 'returned');
});

test('closed campaigns: 409 on start, save and submit', async () => {
  const past = await campaign('closed', -10, -1, [INS.TSA]);
  assert.equal(past.open, false);
  const future = await campaign('future', 1, 30, [INS.TSA]);
  assert.equal(future.open, false);
  for (const c of [past, future]) {
    expectProblem(
      await api('teacher', 'POST', '/submissions', { json: { campaign_id: c.id, instrument_id: INS.TSA.id } }),
      409,
      'campaign-closed',
      `start in ${c.title}`,
    );
  }
  // a sheet started while open, then the campaign closes (no API changes dates: SQL)
  const d = await campaign('D', -1, 30, [INS.TSA]);
  const s = await start('tsa-d', 'teacher', 'D', 'TSA');
  await save(s, { 'TSA.1.1.1': 3 });
  await query(
    `UPDATE campaigns SET opens_on = CURRENT_DATE - INTERVAL 10 DAY, closes_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = ${Number(d.id)}`,
  );
  assert.equal(expect(await api('teacher', 'GET', '/campaigns/{id}', { id: d.id }), 200, 'campaign D').open, false);
  expectProblem(await patchRaw(s, { 'TSA.1.1.2': 3 }), 409, 'campaign-closed', 'save in a closed campaign');
  expectProblem(
    await api('teacher', 'POST', '/submissions/{id}/submit', { id: s.id, json: { base_version: s.version } }),
    409,
    'campaign-closed',
    'submit in a closed campaign',
  );
  const doc = await read(s);
  assert.equal(doc.campaign.open, false);
  assert.equal(doc.can_edit, false);
  assert.deepEqual(doc.answers, { 'TSA.1.1.1': 3 });
});

test('a teacher starting the kindergarten-level quality scale does not take it away from the coordinator', async () => {
  const kg = T.teacher.user.org_unit.id;
  const r = await api('teacher', 'POST', '/submissions', { json: { campaign_id: CAMP.B.id, instrument_id: INS.QS.id, target_unit_id: kg } });
  // either refused, or the teacher's own sheet that the teacher can read and fill
  assert.ok([201, 403, 422].includes(r.status), `teacher starts QS for the kindergarten: ${show(r)}`);
  if (r.status === 201) {
    const again = await api('teacher', 'GET', '/submissions/{id}', { id: r.json.id });
    assert.equal(again.status, 200, `the author reads the sheet just started: ${show(again)}`);
    assert.equal(again.json.can_edit, true);
  } else {
    const d = await api('doo', 'POST', '/submissions', { json: { campaign_id: CAMP.B.id, instrument_id: INS.QS.id, target_unit_id: kg } });
    assert.equal(d.status, 201, `the coordinator starts the kindergarten's sheet: ${show(d)}`);
    assert.equal(d.json.respondent_role, 'doo_coordinator');
    assert.equal(d.json.can_edit, true);
  }
});

test('concurrent submits of different sheets all succeed', async () => {
  // every group of three kindergartens, one ECERS-style sheet each, submitted at once
  const fill = {};
  // column 1 lists deficiencies: 'no' there and 'yes' everywhere else scores 7
  for (const { item } of itemsOf(DEF.ES)) if (item.type === 'ecers') fill[item.code] = item.column === 1 ? 'no' : 'yes';
  const sheets = [];
  for (const who of ['doo', 'doo2', 'doo3']) {
    const kids = expect(await api(who, 'GET', '/units/{id}/children', { id: T[who].user.org_unit.id }), 200, `groups of ${who}`);
    for (const g of kids.items.filter((u) => u.level === 'group' && u.active)) {
      const s = await start(`es-b-${g.id}`, who, 'B', 'ES', g.id);
      await save(s, fill);
      sheets.push(s);
    }
  }
  assert.ok(sheets.length >= 10, `${sheets.length} sheets`);
  // two rounds (a race shows up in one or the other): submit all at once; return the ones
  // submitted; submit all at once again
  const failed = [];
  for (const round of [1, 2]) {
    if (round === 2) {
      for (const s of sheets.filter((x) => x.doc.status === 'submitted')) {
        s.version = expect(await review(s, 'municipal' + (s.who === 'doo3' ? '2' : ''), 'return', { comment: 'Ещё раз' }), 200, 'return').version;
      }
    }
    const answers = await Promise.all(sheets.map((s) => submit(s)));
    failed.push(...answers.filter((r) => r.status !== 200).map((r) => `round ${round}: ${show(r)}`));
  }
  assert.deepEqual(failed, [], `${failed.length} of ${2 * sheets.length} concurrent submits failed`);
  for (const s of sheets) assert.equal(s.doc.scores.overall.score, 7);
});


test('a sheet asked ?with=instrument carries its instrument version, as GET /instruments/{id} gives it', async () => {
  const tsa = SHEETS.get('tsa') ?? (await start('tsa', 'teacher', 'A', 'TSA'));
  const plain = expect(await api('teacher', 'GET', '/submissions/{id}', { id: tsa.id }), 200, 'the sheet alone');
  assert.equal(plain.included, undefined, 'no instrument unless asked');
  const other = expect(await api('teacher', 'GET', '/submissions/{id}', { id: tsa.id, q: { with: 'scores' } }), 200, 'an unknown with');
  assert.equal(other.included, undefined, 'nothing included for an unknown with');
  const both = expect(await api('teacher', 'GET', '/submissions/{id}', { id: tsa.id, q: { with: 'instrument' } }), 200, 'the sheet with its instrument');
  const ins = expect(await api('teacher', 'GET', '/instruments/{id}', { id: both.instrument.id }), 200, 'the instrument');
  assert.deepEqual(both.included.instrument, ins);
  assert.ok(both.included.instrument.definition.sections.length > 0, 'with its definition');
  const rest = { ...both };
  delete rest.included;
  assert.deepEqual(rest, plain, 'the sheet itself is the same');
  expectProblem(await api('teacher2', 'GET', '/submissions/{id}', { id: tsa.id, q: { with: 'instrument' } }), 404, 'not-found', 'another teacher’s sheet with its instrument');

  // On the line it travels gzipped (nginx, gzip_types application/json): the bytes as sent.
  const wire = await new Promise((resolve, reject) => {
    const rq = httpGet(`${BASE}${API}/submissions/${tsa.id}?with=instrument`, { headers: { Authorization: `Bearer ${T.teacher.token}`, 'Accept-Encoding': 'gzip' } }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(parts) }));
    });
    rq.on('error', reject);
  });
  assert.equal(wire.encoding, 'gzip');
  const json = gunzipSync(wire.body);
  assert.deepEqual(JSON.parse(json).included.instrument, ins);
  assert.ok(wire.body.length * 3 < json.length, `${wire.body.length} bytes on the line for ${json.length}`);
});
test('every response above matches backend/openapi.yaml', () => {
  assert.ok(C.checked > 50, `only ${C.checked} responses checked`);
  const m = C.distinct();
  assert.deepEqual(m, [], `${m.length} kinds of mismatch with openapi.yaml:\n${m.join('\n')}`);
});
