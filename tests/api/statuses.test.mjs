// Statuses of kindergartens from their results (docs/analysis.md, "Statuses"): the region's
// bands of a campaign, the status proposed from the dashboards' own figures (overall and an
// area minimum), the regional coordinator's assignment with an override and its reason, the
// status in the children view and its CSV / XLSX exports, and the statuses kept per year. A
// municipality of its own: T1 (every indicator at level 2), T2 (at 4), T4 (at 4 but area 1
// at 3: 35/9 overall) and T3 without a sheet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, show } from './lib.mjs';
import { loadSpec } from './openapi.mjs';
import { query, readyUser, parseCsv } from './fixtures-org.mjs';
import { answerOtherRequired, isoDay } from './fixtures-forms.mjs';
import { apiClient, expect, Conformance } from './client.mjs';
import { readXlsx, tableOf, download } from './fixtures-xlsx.mjs';

const API = '/api/v1';
const RUN = `t${Date.now().toString(36)}${process.pid % 100}`;
const PASSWORD = `Sta-${RUN}-Pw-9x!`;
const YEAR = Number(isoDay(0).slice(0, 4));

let C;
const T = {};
const U = {};
const P = {};
const INS = {};
let DEF;
let A1; // the code of the scale's first area
let CAMP;
let OLD; // last year's campaign

// the shared client, made when the suite's Conformance exists (before())
const api = (...args) => apiClient({ tokens: T, conformance: C }).api(...args);


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

function answersFor(levelOf) {
  const a = {};
  for (const s of DEF.sections)
    for (const ind of s.indicators) for (const item of ind.items) if (item.type === 'check') a[item.code] = item.level <= levelOf(s.code) ? 'met' : 'not_met';
  return answerOtherRequired(DEF, a);
}

async function approvedSheet(kg, levelOf) {
  const who = `c${kg}`;
  const doc = expect(await api(who, 'POST', '/submissions', { json: { campaign_id: CAMP.id, instrument_id: INS.QS.id, target_unit_id: U[kg].id } }), 201, `${kg}: start`);
  const saved = expect(await api(who, 'PATCH', '/submissions/{id}', { id: doc.id, json: { base_version: doc.version, answers: answersFor(levelOf) } }), 200, `${kg}: save`);
  const sub = expect(await api(who, 'POST', '/submissions/{id}/submit', { id: doc.id, json: { base_version: saved.version } }), 200, `${kg}: submit`);
  expect(await api('mT', 'POST', '/submissions/{id}/approve', { id: sub.id, json: {} }), 200, `${kg}: approve`);
}

async function campaign(title, year) {
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year } }), 200, 'template');
  const stages = tpl.stages
    .filter((s) => s.kind === 'kindergarten_self')
    .map((s) => ({ kind: s.kind, instrument_id: s.instrument.id, respondents: ['doo_coordinator'], target_level: 'kindergarten', opens_on: isoDay(-2), closes_on: isoDay(30) }));
  return expect(await api('region', 'POST', '/campaigns', { json: { title, year, stages } }), 201, `campaign ${title}`);
}

const BANDS = () => [
  { name: 'Высокий', min_overall: 3.5, min_sections: { [A1]: 4 } },
  { name: 'Базовый', min_overall: 2 },
  { name: 'Ниже базового' },
];

const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);
const status = (who, kg, camp = CAMP) => api(who, 'GET', '/units/{id}/status', { id: U[kg].id, q: { campaign_id: camp.id } });
const assign = (who, kg, json, camp = CAMP) => api(who, 'PUT', '/units/{id}/status', { id: U[kg].id, json: { campaign_id: camp.id, ...json } });

before(async () => {
  C = new Conformance(loadSpec());
  for (const l of ['admin', 'region', 'municipal']) T[l] = (await login(l)).token;
  for (const m of expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items) INS[m.code] = m;
  DEF = expect(await api('region', 'GET', '/instruments/{id}', { id: INS.QS.id }), 200, 'QS').definition;
  A1 = DEF.sections[0].code;
  const region = Number((await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0]);
  await unit('MT', region, 'municipality');
  for (const k of ['T1', 'T2', 'T3', 'T4']) {
    await unit(k, U.MT.id, 'kindergarten');
    await user(`c${k}`, 'doo_coordinator', k);
  }
  await user('mT', 'municipal_coordinator', 'MT');
  CAMP = await campaign(`Статусы ${RUN}`, YEAR);
  OLD = await campaign(`Статусы прошлого года ${RUN}`, YEAR - 1);
  await approvedSheet('T1', () => 2);
  await approvedSheet('T2', () => 4);
  await approvedSheet('T4', (code) => (code === A1 ? 3 : 4));
});

after(async () => {
  const units = Object.values(U).map((u) => Number(u.id));
  if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
  const users = Object.values(P).map(Number);
  if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
});

test('the region defines the bands of its campaign; others may read them', async () => {
  let b = expect(await api('mT', 'GET', '/campaigns/{id}/status-bands', { id: CAMP.id }), 200, 'no bands yet');
  assert.deepEqual(b.bands, []);
  assert.ok(b.sections.some((s) => s.code === A1), 'the editor gets the scale’s areas');
  expect(await api('mT', 'PUT', '/campaigns/{id}/status-bands', { id: CAMP.id, json: { source: 'self', bands: BANDS() } }), 403, 'a municipality');
  expect(await api('region', 'PUT', '/campaigns/{id}/status-bands', { id: CAMP.id, json: { source: 'self', bands: [{ name: 'X', min_sections: { 'NO.SUCH': 3 } }] } }), 422, 'an unknown area');
  expect(await api('region', 'PUT', '/campaigns/{id}/status-bands', { id: CAMP.id, json: { source: 'self', bands: [{ name: 'X', min_overall: 3.25 }] } }), 422, 'two decimals');
  expect(await api('region', 'PUT', '/campaigns/{id}/status-bands', { id: CAMP.id, json: { source: 'self', bands: [{ name: 'X' }, { name: 'X' }] } }), 422, 'a name twice');
  b = expect(await api('region', 'PUT', '/campaigns/{id}/status-bands', { id: CAMP.id, json: { source: 'self', bands: BANDS() } }), 200, 'bands');
  assert.deepEqual(b.bands.map((x) => x.name), ['Высокий', 'Базовый', 'Ниже базового']);
  assert.equal(b.bands[0].min_sections[A1], 4);
  assert.equal(b.source, 'self');
  const audit = await query(`SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.status_bands' AND entity_id = ${Number(CAMP.id)}`);
  assert.equal(Number(audit[0][0]), 1);
});

test('the system proposes a status from the dashboards’ figures', async () => {
  const t2 = expect(await status('region', 'T2'), 200, 'T2');
  near(t2.figures.overall, 4, 'T2 overall');
  assert.equal(t2.proposed, 'Высокий');
  assert.equal(t2.status, null);
  // T4: 35/9 = 3.89 overall passes 3.5, but its first area at 3 misses the area minimum 4
  const t4 = expect(await status('region', 'T4'), 200, 'T4');
  near(t4.figures.overall, 35 / 9, 'T4 overall');
  near(t4.figures.sections[A1], 3, 'T4 area 1');
  assert.equal(t4.proposed, 'Базовый');
  const dash = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: U.MT.id, q: { campaign: CAMP.id } }), 200, 'children');
  near(dash.items.find((i) => i.id === U.T4.id).results.overall, t4.figures.overall, 'the same figure as the dashboard');
  const t1 = expect(await status('mT', 'T1'), 200, 'T1 by its municipality');
  assert.equal(t1.proposed, 'Базовый');
  assert.equal(t1.can_assign, false);
  const t3 = expect(await status('region', 'T3'), 200, 'T3 without results');
  assert.equal(t3.figures.overall, null);
  assert.equal(t3.proposed, null);
  expect(await status('municipal', 'T1'), 404, 'another municipality’s coordinator');
});

test('the region assigns the status; an override needs a reason', async () => {
  let s = expect(await assign('region', 'T1', { status: 'Базовый' }), 200, 'T1 as proposed');
  assert.equal(s.status.status, 'Базовый');
  assert.equal(s.status.reason, null);
  const e = expect(await assign('region', 'T2', { status: 'Базовый' }), 422, 'T2 overridden without a reason');
  assert.deepEqual(e.errors.map((x) => x.field), ['reason']);
  expect(await assign('region', 'T2', { status: 'Нет такого', reason: 'x' }), 422, 'not a band');
  expect(await assign('mT', 'T2', { status: 'Базовый', reason: 'x' }), 403, 'a municipality');
  s = expect(await assign('region', 'T2', { status: 'Базовый', reason: 'Предписание надзора не исполнено' }), 200, 'T2 overridden');
  assert.equal(s.status.status, 'Базовый');
  assert.equal(s.status.proposed, 'Высокий');
  assert.equal(s.status.reason, 'Предписание надзора не исполнено');
  assert.equal(s.proposed, 'Высокий');
  const audit = await query(`SELECT changes FROM audit_log WHERE action = 'kindergarten.status' AND unit_path = (SELECT path FROM org_units WHERE id = ${Number(U.T2.id)})`);
  assert.equal(audit.length, 1);
  assert.deepEqual(JSON.parse(audit[0][0]).proposed, [null, 'Высокий']);
});

test('the status shows in the children view and its exports', async () => {
  const dash = expect(await api('mT', 'GET', '/dashboards/units/{id}/children', { id: U.MT.id, q: { campaign: CAMP.id } }), 200, 'children');
  const by = Object.fromEntries(dash.items.map((i) => [i.id, i.status]));
  assert.equal(by[U.T1.id], 'Базовый');
  assert.equal(by[U.T2.id], 'Базовый');
  assert.equal(by[U.T3.id], null);
  const path = `/dashboards/units/${U.MT.id}/children`;
  const csv = await download(`${path}.csv?campaign=${CAMP.id}`, T.mT);
  assert.equal(csv.status, 200);
  const [header, , ...rows] = parseCsv(csv.text.replace(/^\uFEFF/, ''), ';');
  const col = header.indexOf('Статус');
  assert.ok(col > 0, header.join('|'));
  const row = (name) => rows.find((r) => r[0] === `${RUN} ${name}`);
  assert.equal(row('T2')[col], 'Базовый');
  assert.equal(row('T3')[col], '');
  const xlsx = await download(`${path}.xlsx?campaign=${CAMP.id}`, T.mT);
  assert.equal(xlsx.status, 200);
  const book = readXlsx(xlsx.buf);
  const t = tableOf(book.sheets[0], book.bold);
  const xcol = t.header.findIndex((c) => c?.value === 'Статус');
  assert.ok(xcol > 0, 'the XLSX has the column');
  assert.equal(t.rows.find((r) => r[0]?.value === `${RUN} T2`)[xcol]?.value, 'Базовый');
});

test('statuses are kept per year and listed in the profile, newest first', async () => {
  expect(await api('region', 'PUT', '/campaigns/{id}/status-bands', { id: OLD.id, json: { source: 'self', bands: [{ name: 'Стабильный', min_overall: 1 }] } }), 200, 'last year’s bands');
  const old = expect(await status('region', 'T2', OLD), 200, 'T2 last year');
  assert.equal(old.proposed, null, 'no sheet that year, no proposal');
  expect(await assign('region', 'T2', { status: 'Стабильный' }, OLD), 422, 'no proposal: a reason is needed');
  expect(await assign('region', 'T2', { status: 'Стабильный', reason: 'По итогам выездной проверки' }, OLD), 200, 'T2 last year');
  const now = expect(await status('cT2', 'T2'), 200, 'T2’s own coordinator');
  assert.deepEqual(now.history.map((h) => [h.year, h.status]), [[YEAR, 'Базовый'], [YEAR - 1, 'Стабильный']]);
  assert.equal(now.status.status, 'Базовый', 'this campaign’s status');
});

test('every answer was documented in openapi.yaml', () => {
  assert.ok(C.checked > 30);
  assert.deepEqual(C.distinct(), []);
});
