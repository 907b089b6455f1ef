// One written rule per figure (docs/figures.md), checked where the figures are shown: a
// municipality of its own with five kindergartens — two approved self-assessments (one of
// them scoring exactly 58/27 = 2.148…), two submitted and never approved, one without a
// sheet — in a campaign whose self-assessment stage closes while another stage keeps the
// campaign open. The sheet, the quality profile, the dashboards and the exports must tell
// the same figures from the same sheets; completion's overdue must name the kindergartens
// the late list names; the region lists page without losing or repeating a unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { login, runTag } from './lib.mjs';
import { apiClient, Conformance, expect } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query, readyUser, parseCsv } from './fixtures-org.mjs';
import { answerOtherRequired, isoDay } from './fixtures-forms.mjs';
import { readXlsx, tableOf, download } from './fixtures-xlsx.mjs';
import { formatScore } from '../../frontend/src/features/forms/instrument.js';

const RUN = runTag('f');
const PASSWORD = `Fig-${RUN}-Pw-9x!`;
const YEAR = Number(isoDay(0).slice(0, 4));

const C = new Conformance(loadSpec());
const T = {};
const { api } = apiClient({ tokens: T, conformance: C });
const U = {};
const P = {};
const INS = {};
let DEF;
let CAMP;
let STAGE; // the self-assessment stage
const SHEET = {};

const dash = (who, view, unit, q = {}) => api(who, 'GET', `/dashboards/units/{id}/${view}`, { id: unit, q: { campaign: CAMP.id, ...q } });

async function unit(name, parent, level) {
  const u = expect(await api('admin', 'POST', '/units', { json: { parent_id: parent, name: `${RUN} ${name}` } }), 201, `unit ${name}`);
  assert.equal(u.level, level);
  U[name] = u;
}

async function user(name, role, unitName) {
  const u = await readyUser(api, { login: `${RUN}${name}`.toLowerCase(), full_name: `${name} ${RUN}`, role, org_unit_id: U[unitName].id, password: PASSWORD });
  P[name] = u.id;
  T[name] = u.token;
}

/** Answers meeting every check item of levels 2..L of each indicator, L = levelOf(section, index in section). */
function answersFor(levelOf) {
  const a = {};
  for (const s of DEF.sections)
    s.indicators.forEach((ind, k) => {
      const level = levelOf(s.code, k);
      for (const item of ind.items) if (item.type === 'check') a[item.code] = item.level <= level ? 'met' : 'not_met';
    });
  // every other required item of the scale gets a plain answer
  return answerOtherRequired(DEF, a);
}

/** The exact area scores and overall of a sheet of levels. */
function exact(levelOf) {
  const sections = {};
  for (const s of DEF.sections) sections[s.code] = s.indicators.reduce((a, _, k) => a + levelOf(s.code, k), 0) / s.indicators.length;
  const v = Object.values(sections);
  return { sections, overall: v.reduce((a, b) => a + b, 0) / v.length };
}

// F1: everything at level 2 but one indicator of area 7 and all of area 9 at 3: 58/27
const L = {
  F1: (sec, k) => (sec === 'QS.9' || (sec === 'QS.7' && k === 0) ? 3 : 2),
  F2: (sec) => (sec === 'QS.1' ? 5 : 4),
  F3: () => 5, // submitted only
  F4: () => 1, // submitted only
};

async function fill(name, who, target, levelOf) {
  const doc = expect(await api(who, 'POST', '/submissions', { json: { campaign_id: CAMP.id, instrument_id: INS.QS.id, target_unit_id: U[target].id } }), 201, `${name}: start`);
  const saved = expect(await api(who, 'PATCH', '/submissions/{id}', { id: doc.id, json: { base_version: doc.version, answers: answersFor(levelOf) } }), 200, `${name}: save`);
  const sub = expect(await api(who, 'POST', '/submissions/{id}/submit', { id: doc.id, json: { base_version: saved.version } }), 200, `${name}: submit`);
  SHEET[name] = sub;
}

const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);

before(async () => {
  for (const l of ['admin', 'region']) T[l] = (await login(l)).token;
  for (const m of expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items) INS[m.code] = m;
  DEF = expect(await api('region', 'GET', '/instruments/{id}', { id: INS.QS.id }), 200, 'QS').definition;
  const region = Number((await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0]);
  U.region = { id: region };
  await unit('MF', region, 'municipality');
  for (const k of ['F1', 'F2', 'F3', 'F4', 'F5']) {
    await unit(k, U.MF.id, 'kindergarten');
    await user(`c${k}`, 'doo_coordinator', k);
  }
  await user('mF', 'municipal_coordinator', 'MF');
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR } }), 200, 'template');
  const stages = tpl.stages
    .filter((s) => s.kind === 'kindergarten_self' || s.kind === 'parent_survey')
    .map((s) => ({ kind: s.kind, instrument_id: s.instrument.id, respondents: s.kind === 'kindergarten_self' ? ['doo_coordinator'] : s.respondents, target_level: 'kindergarten', opens_on: isoDay(-2), closes_on: isoDay(30) }));
  CAMP = expect(await api('region', 'POST', '/campaigns', { json: { title: `Правила ${RUN}`, year: YEAR, stages } }), 201, 'campaign');
  STAGE = CAMP.stages.find((s) => s.kind === 'kindergarten_self');
  for (const k of ['F1', 'F2', 'F3', 'F4']) await fill(k, `c${k}`, k, L[k]);
  for (const k of ['F1', 'F2']) expect(await api('mF', 'POST', '/submissions/{id}/approve', { id: SHEET[k].id, json: {} }), 200, `approve ${k}`);
});

after(async () => {
  const units = Object.entries(U).filter(([k]) => k !== 'region').map(([, u]) => Number(u.id));
  if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
  const users = Object.values(P).map(Number);
  if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
});

test('an overall of 58/27 is kept exact and shown 2,1 on the sheet, in the profile and on every dashboard', async () => {
  const want = 58 / 27;
  near(exact(L.F1).overall, want, 'the data set');
  const sheet = expect(await api('cF1', 'GET', '/submissions/{id}', { id: SHEET.F1.id }), 200, 'sheet');
  near(sheet.overall_score, want, 'overall_score (was stored 2.15)');
  near(sheet.scores.overall.mean, want, 'scores.overall.mean');
  assert.equal(sheet.scores.overall.score, 2.1);
  const prof = expect(await api('cF1', 'GET', '/units/{id}/profile', { id: U.F1.id, q: { campaign_id: CAMP.id, instrument: 'QS' } }), 200, 'profile');
  near(prof.self_assessment.overall, want, 'profile');
  const ch = expect(await dash('mF', 'children', U.MF.id), 200, 'children of MF');
  near(ch.items.find((i) => i.id === U.F1.id).results.overall, want, 'children view');
  const br = expect(await dash('mF', 'breakdown', U.F1.id), 200, 'breakdown of F1');
  near(br.overall.unit.mean, want, 'breakdown view');
  assert.deepEqual(br.overall.unit.levels.slice(0, 3), [0, 1, 0], 'counted at level 2, the shown score’s whole part');
  // every place shows it with the client's one formatter: once rounded, half up, decimal comma
  for (const v of [sheet.overall_score, sheet.scores.overall.mean, prof.self_assessment.overall, br.overall.unit.mean]) assert.equal(formatScore(v, 'ru'), '2,1');
  assert.equal(formatScore(2.25, 'ru'), '2,3', 'half up');
  for (const [code, m] of Object.entries(exact(L.F1).sections)) near(prof.self_assessment.sections[code].score, m, `profile ${code}`);
});

test('the profile’s municipal mean counts approved self-assessments only, as the dashboards do (3 submitted, 2 approved)', async () => {
  const prof = expect(await api('cF1', 'GET', '/units/{id}/profile', { id: U.F1.id, q: { campaign_id: CAMP.id, instrument: 'QS' } }), 200, 'profile');
  const mm = prof.municipality.means;
  assert.equal(mm.kindergartens, 2, `only F1 and F2 are approved: ${JSON.stringify(mm)}`);
  assert.deepEqual([mm.source, mm.status], ['self', 'approved']);
  const e1 = exact(L.F1);
  const e2 = exact(L.F2);
  near(mm.overall, (e1.overall + e2.overall) / 2, 'municipal overall');
  for (const s of DEF.sections) near(mm.sections[s.code], (e1.sections[s.code] + e2.sections[s.code]) / 2, `municipal ${s.code}`);
  // the same figures as the municipality's dashboard
  const ch = expect(await dash('mF', 'children', U.MF.id), 200, 'children of MF');
  near(ch.total.results.overall, mm.overall, 'the dashboard’s total');
  assert.equal(ch.total.results.n, mm.kindergartens);
  for (const s of DEF.sections) near(ch.total.results.sections[s.code], mm.sections[s.code], `dashboard ${s.code}`);
});

test('every view says which sheets its figures are made of; the XLSX export says it in its header', async () => {
  const want = { source: 'self', status: 'approved', counted: 2, expected: 5 };
  const ch = expect(await dash('mF', 'children', U.MF.id), 200, 'children');
  assert.deepEqual(ch.basis, want);
  const br = expect(await dash('mF', 'breakdown', U.MF.id), 200, 'breakdown');
  assert.deepEqual(br.basis, want, 'the areas tab uses the same sheets');
  const one = expect(await dash('mF', 'breakdown', U.F3.id), 200, 'breakdown of F3');
  assert.deepEqual(one.basis, { source: 'self', status: 'approved', counted: 0, expected: 1 }, 'a submitted sheet is not in the results');
  assert.equal(one.overall.unit.mean, null);
  const x = await download(`/dashboards/units/${U.MF.id}/children.xlsx?campaign=${CAMP.id}`, T.mF);
  assert.equal(x.status, 200);
  const book = readXlsx(x.buf);
  const { title } = tableOf(book.sheets[0], book.bold);
  assert.ok(title.includes('Листы в расчёте: Самооценка ДОО, утверждённые листы: 2 из 5'), JSON.stringify(title));
});

test('the CSV exports name their sheets in a last column on every row and stay a plain table', async () => {
  for (const view of ['children', 'breakdown']) {
    const r = await download(`/dashboards/units/${U.MF.id}/${view}.csv?campaign=${CAMP.id}`, T.mF);
    assert.equal(r.status, 200, view);
    const rows = parseCsv(r.text.replace(/^\uFEFF/, ''), ';').filter((row) => row.length > 1);
    const [head, ...body] = rows;
    assert.equal(head.at(-1), 'Листы в расчёте', `${view}: ${head.join(' | ')}`);
    assert.ok(body.length > 0, view);
    for (const row of body) {
      assert.equal(row.length, head.length, `${view}: every row as wide as the header`);
      assert.equal(row.at(-1), 'Самооценка ДОО, утверждённые листы: 2 из 5', `${view}: ${row.join(' | ')}`);
    }
  }
  // completion counts sheets of every status per instrument: no single sheet set to name
  const c = await download(`/dashboards/units/${U.MF.id}/completion.csv?campaign=${CAMP.id}`, T.mF);
  assert.ok(!parseCsv(c.text, ';')[0].includes('Листы в расчёте'));
});

test('completion’s overdue names exactly the kindergartens of the late list once the stage has closed', async () => {
  const overdueOf = (doc) => {
    const e = doc.instruments.find((i) => i.code === 'QS' && i.source === 'self');
    return { total: e.total.overdue, items: e.items.filter((i) => i.overdue).map((i) => i.id).sort() };
  };
  let comp = expect(await dash('mF', 'completion', U.MF.id), 200, 'completion');
  assert.deepEqual(overdueOf(comp), { total: false, items: [] }, 'the stage is open');
  let late = expect(await api('mF', 'GET', '/units/{id}/late', { id: U.MF.id, q: { campaign: CAMP.id, stage: STAGE.id } }), 200, 'late');
  assert.deepEqual(late.items, []);
  // the stage closes yesterday; the parent survey keeps the campaign open
  expect(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { id: CAMP.id, stage: STAGE.id, json: { closes_on: isoDay(-1) } }), 200, 'close the stage');
  late = expect(await api('mF', 'GET', '/units/{id}/late', { id: U.MF.id, q: { campaign: CAMP.id, stage: STAGE.id } }), 200, 'late');
  const lateIds = late.items.map((k) => k.kindergarten.id).sort();
  assert.deepEqual(lateIds, [U.F5.id], 'F5 has no sheet; submitted ones are in');
  comp = expect(await dash('mF', 'completion', U.MF.id), 200, 'completion');
  assert.equal(comp.campaign.closed, false, 'the campaign itself is open');
  assert.deepEqual(overdueOf(comp), { total: true, items: lateIds }, 'the completion view agrees with the late list');
  const ch = expect(await dash('mF', 'children', U.MF.id, { overdue: '1' }), 200, 'children, overdue only');
  assert.deepEqual(ch.items.map((i) => i.id), lateIds, 'and so does the children view');
  assert.equal(ch.total.overdue, true);
  const reg = expect(await dash('region', 'completion', U.region.id, { q: RUN }), 200, 'region completion');
  assert.deepEqual(overdueOf(reg).items, [U.MF.id], 'the municipality of a late kindergarten is overdue');
});

test('region lists page: a total, and pages of any size cover every unit once', async () => {
  for (const view of ['children', 'parents', 'completion']) {
    const all = expect(await dash('region', view, U.region.id, { limit: 2000 }), 200, `${view}, all`);
    const list = (d) => (view === 'completion' ? d.instruments[0] : d);
    const total = list(all).count;
    assert.ok(total >= 3, `${view}: the region has municipalities (${total})`);
    assert.equal(list(all).items.length, total);
    const seen = [];
    for (let offset = 0; offset < total; offset += 2) {
      const page = list(expect(await dash('region', view, U.region.id, { limit: 2, offset }), 200, `${view} page ${offset}`));
      assert.equal(page.count, total, `${view}: the total on every page`);
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((i) => i.id));
    }
    assert.deepEqual(seen, list(all).items.map((i) => i.id), `${view}: the pages, in order, are the whole list`);
    const beyond = list(expect(await dash('region', view, U.region.id, { limit: 2, offset: total }), 200, `${view} past the end`));
    assert.deepEqual([beyond.items.length, beyond.count], [0, total]);
  }
});
