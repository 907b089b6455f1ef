// Dashboards (docs/api-dashboards.md): a small data set made through the API — two
// municipalities of its own with kindergartens and groups, their coordinators, a teacher and
// an expert, a campaign and the one of the year before — whose sheets are filled with
// answers chosen so that every indicator's level is known; the figures of the four views
// (means, level distributions, completion, parent satisfaction) are checked against values
// computed here from those levels. Then scoping (another municipality 404, the region shows
// only one's own municipality, an expert only assigned kindergartens, teachers 403), bad
// parameters, and the rollups kept incrementally against a rebuild from the raw answers
// after submit, return, re-approval with other answers, a move to another municipality and
// back. Parent answers are stored with SQL (the public survey is another capability) and
// counted by the rebuild. Responses are checked against backend/openapi.yaml.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, show, runTag, rebuildRollups } from './lib.mjs';
import { API, apiClient, Conformance, expect } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query, readyUser } from './fixtures-org.mjs';
import { answerOtherRequired, isoDay } from './fixtures-forms.mjs';

const RUN = runTag('d');
const PASSWORD = `Dash-${RUN}-Pw-9x!`;
const YEAR = Number(isoDay(0).slice(0, 4));

const C = new Conformance(loadSpec()); // openapi conformance recorder
const T = {}; // login -> token
const { api } = apiClient({ tokens: T, conformance: C });
const U = {}; // name -> org unit {id, name}
const P = {}; // name -> user id
const INS = {}; // code -> published instrument meta
const DEF = {}; // code -> definition
const CAMP = {}; // name -> campaign
const SHEET = {}; // name -> {id, version, who}

// ---------------------------------------------------------------------------------------
// Calls

const dash = (who, view, unit, q = {}) =>
  api(who, 'GET', `/dashboards/units/{id}/${view}`, { id: U[unit]?.id ?? unit, q: { campaign: CAMP.now.id, ...q } });

async function unit(name, parent, level) {
  const u = expect(await api('admin', 'POST', '/units', { json: { parent_id: parent, name: `${RUN} ${name}` } }), 201, `unit ${name}`);
  assert.equal(u.level, level);
  U[name] = u;
  return u;
}

async function user(name, role, unitName) {
  const u = await readyUser(api, { login: `${RUN}${name}`.toLowerCase(), full_name: `${name} ${RUN}`, role, org_unit_id: U[unitName].id, password: PASSWORD });
  P[name] = u.id;
  T[name] = u.token;
}

async function campaign(name, year, codes) {
  const c = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Дашборды ${RUN} ${name}`, year, opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: codes.map((k) => INS[k].id) },
    }),
    201,
    `campaign ${name}`,
  );
  CAMP[name] = c;
  return c;
}

// ---------------------------------------------------------------------------------------
// Sheets with known levels. levels(code, i) gives the level of the i-th indicator (in
// document order) of the quality scale; the answers meet every check item of levels 2..L
// and no other, so the cumulative rule gives exactly L.

const QS_INDICATORS = () => DEF.QS.sections.flatMap((s) => s.indicators.map((i) => ({ section: s.code, code: i.code, items: i.items })));

function answersFor(levelOf) {
  const a = {};
  QS_INDICATORS().forEach((ind, i) => {
    const level = levelOf(ind, i);
    for (const item of ind.items) if (item.type === 'check') a[item.code] = item.level <= level ? 'met' : 'not_met';
  });
  // every other required item of the scale gets a plain answer
  return answerOtherRequired(DEF.QS, a);
}

/** A sheet's exact values (docs/api-dashboards.md, "How a figure is made"): {indicators: {code: level}, sections: {code: mean of its levels}, overall: mean of the areas}. */
function expectedSheet(levelOf) {
  const ind = {};
  const bySection = {};
  QS_INDICATORS().forEach((x, i) => {
    ind[x.code] = levelOf(x, i);
    (bySection[x.section] ||= []).push(ind[x.code]);
  });
  const sections = {};
  const exact = [];
  for (const [code, ls] of Object.entries(bySection)) {
    const m = ls.reduce((a, b) => a + b, 0) / ls.length;
    sections[code] = m;
    exact.push(m);
  }
  return { indicators: ind, sections, overall: exact.reduce((a, b) => a + b, 0) / exact.length };
}

async function fillQs(name, who, camp, target, levelOf) {
  const json = { campaign_id: CAMP[camp].id, instrument_id: INS.QS.id, target_unit_id: U[target].id };
  const doc = expect(await api(who, 'POST', '/submissions', { json }), 201, `${who} starts QS (${name})`);
  SHEET[name] = { id: doc.id, version: doc.version, who, levelOf };
  await saveAndSubmit(name, levelOf);
}

async function saveAndSubmit(name, levelOf) {
  const s = SHEET[name];
  s.levelOf = levelOf;
  const saved = expect(
    await api(s.who, 'PATCH', '/submissions/{id}', { id: s.id, json: { base_version: s.version, answers: answersFor(levelOf) } }),
    200,
    `save ${name}`,
  );
  s.version = saved.version;
  const sub = expect(await api(s.who, 'POST', '/submissions/{id}/submit', { id: s.id, json: { base_version: s.version } }), 200, `submit ${name}`);
  assert.equal(sub.status, 'submitted');
  s.version = sub.version;
  // the server's levels are the ones meant
  const e = expectedSheet(levelOf);
  for (const n of sub.scores.indicators) assert.equal(n.level, e.indicators[n.code], `${name} ${n.code}`);
}

async function review(name, who, action) {
  const s = SHEET[name];
  const json = action === 'return' ? { comment: 'Уточните' } : {};
  const doc = expect(await api(who, 'POST', `/submissions/{id}/${action}`, { id: s.id, json }), 200, `${who} ${action}s ${name}`);
  s.version = doc.version;
}

// The levels of the data set (i: the indicator's index in the scale)
const L = {
  KA1: (x, i) => (x.section === 'QS.6' ? 1 : 2 + (i % 3)), // 2, 3, 4, 2, 3, …; area 6 at 1
  KA2: (x, i) => (x.section === 'QS.6' ? 2 : i % 2 ? 5 : 4),
  KA2b: (x) => (x.section === 'QS.1' ? 1 : 3), // KA2 after its return
  KA3: () => 5, // submitted, never approved: no results
  KB1: (x, i) => 1 + (i % 5),
  GA1: () => 3,
  EXP: (x) => (x.section === 'QS.2' ? 4 : 2),
  PREV: () => 2, // KA1 a year earlier
};

// ---------------------------------------------------------------------------------------
// Figures computed here

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const near = (a, b, what) => {
  if (b === null) assert.equal(a, null, what);
  else assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-6, `${what}: ${a}, expected ${b}`);
};
// the level a value counts at: the whole part of the score as shown (one decimal, halves up)
function levelsOf(values) {
  const out = [0, 0, 0, 0, 0, 0, 0];
  for (const v of values) out[Math.floor(Math.floor(v * 10 + 0.5 + 1e-9) / 10) - 1]++;
  return out;
}

/** Expected children/breakdown figures of a set of approved sheets (levelOf functions). */
function figures(sheets) {
  const es = sheets.map(expectedSheet);
  const f = { n: es.length, overall: es.length ? mean(es.map((e) => e.overall)) : null, levels: levelsOf(es.map((e) => e.overall)), sections: {}, sectionLevels: {}, indicators: {} };
  for (const s of DEF.QS.sections) {
    f.sections[s.code] = es.length ? mean(es.map((e) => e.sections[s.code])) : null;
    f.sectionLevels[s.code] = levelsOf(es.map((e) => e.sections[s.code]));
    for (const i of s.indicators) f.indicators[i.code] = { mean: es.length ? mean(es.map((e) => e.indicators[i.code])) : null, levels: levelsOf(es.map((e) => e.indicators[i.code])) };
  }
  return f;
}

function assertResults(got, sheets, what) {
  const f = figures(sheets);
  assert.equal(got.n, f.n, `${what}: n`);
  near(got.overall, f.overall, `${what}: overall`);
  assert.deepEqual(got.levels, f.levels, `${what}: levels`);
  for (const [code, m] of Object.entries(f.sections)) near(got.sections[code], m, `${what}: area ${code}`);
}

// ---------------------------------------------------------------------------------------
// Rollup rows of this run's campaigns, as stored

async function rollupRows() {
  const ids = Object.values(CAMP).map((c) => Number(c.id)).join(',');
  const out = {};
  for (const [table, order] of [
    ['rollup_results', 'campaign_id, instrument_id, source, unit_id, kind, code'],
    ['rollup_completion', 'campaign_id, instrument_id, source, unit_id'],
    ['rollup_parent_responses', 'campaign_id, instrument_id, unit_id'],
    ['rollup_parent_statements', 'campaign_id, instrument_id, unit_id, code'],
  ]) {
    out[table] = (await query(`SELECT * FROM ${table} WHERE campaign_id IN (${ids}) ORDER BY ${order}`)).map((r) => r.join('|'));
  }
  // what is expected under this run's units (a row may keep 0)
  const units = Object.values(U).map((u) => Number(u.id)).join(',');
  out.rollup_units = (await query(`SELECT * FROM rollup_units WHERE unit_id IN (${units}) AND n <> 0 ORDER BY unit_id, kind`)).map((r) => r.join('|'));
  return out;
}

async function rebuild() {
  const r = expect(await rebuildRollups((m) => api('admin', m, '/admin/rollups/rebuild')), 200, 'rebuild');
  assert.ok(Number.isInteger(r.rows) && r.rows > 0 && Number.isInteger(r.ms), JSON.stringify(r));
}

async function assertRollupsEqualRebuild(what) {
  const before = await rollupRows();
  assert.ok(before.rollup_results.length > 0, `${what}: rollups of this run exist`);
  await rebuild();
  const afterRows = await rollupRows();
  for (const table of Object.keys(before)) assert.deepEqual(before[table], afterRows[table], `${what}: ${table} kept incrementally differs from the rebuild`);
}

// ---------------------------------------------------------------------------------------

before(async () => {
  for (const l of ['admin', 'region', 'teacher']) T[l] = (await login(l)).token;
  const list = expect(await api('region', 'GET', '/instruments'), 200, 'instruments');
  for (const m of list.items) INS[m.code] = m;
  for (const code of ['QS', 'PQ']) DEF[code] = expect(await api('region', 'GET', '/instruments/{id}', { id: INS[code].id }), 200, code).definition;

  const region = (await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0];
  await unit('MA', Number(region), 'municipality');
  await unit('MB', Number(region), 'municipality');
  for (const k of ['KA1', 'KA2', 'KA3']) await unit(k, U.MA.id, 'kindergarten');
  await unit('KB1', U.MB.id, 'kindergarten');
  await unit('GA1', U.KA1.id, 'group');
  await unit('GA2', U.KA1.id, 'group');
  await unit('GB', U.KA2.id, 'group');
  // children enrolled (no API sets it yet): 20 + 10 in KA1, 12 in KA2
  await query(`UPDATE org_units SET children_enrolled = CASE id WHEN ${U.GA1.id} THEN 20 WHEN ${U.GA2.id} THEN 10 WHEN ${U.GB.id} THEN 12 END WHERE id IN (${U.GA1.id}, ${U.GA2.id}, ${U.GB.id})`);

  await user('cA1', 'doo_coordinator', 'KA1');
  await user('cA2', 'doo_coordinator', 'KA2');
  await user('cA3', 'doo_coordinator', 'KA3');
  await user('cB1', 'doo_coordinator', 'KB1');
  await user('mA', 'municipal_coordinator', 'MA');
  await user('mB', 'municipal_coordinator', 'MB');
  await user('tA1', 'teacher', 'KA1');
  await user('eA', 'expert', 'MA');
  const assign = await request(`${API}/users/${P.eA}/assignments/${U.KA1.id}`, { method: 'PUT', token: T.admin });
  assert.equal(assign.status, 204, `assign the expert to KA1: ${show(assign)}`);

  await campaign('prev', YEAR - 1, ['QS']);
  await campaign('now', YEAR, ['QS', 'PQ']);

  // a year earlier: KA1 approved
  await fillQs('PREV', 'cA1', 'prev', 'KA1', L.PREV);
  await review('PREV', 'mA', 'approve');
  // this year
  await fillQs('KA1', 'cA1', 'now', 'KA1', L.KA1);
  await review('KA1', 'mA', 'approve');
  await fillQs('KA2', 'cA2', 'now', 'KA2', L.KA2);
  await review('KA2', 'mA', 'approve');
  await fillQs('KA3', 'cA3', 'now', 'KA3', L.KA3); // submitted only
  await fillQs('KB1', 'cB1', 'now', 'KB1', L.KB1);
  await review('KB1', 'mB', 'approve');
  await fillQs('GA1', 'tA1', 'now', 'GA1', L.GA1);
  await review('GA1', 'cA1', 'approve');
  await fillQs('EXP', 'eA', 'now', 'KA1', L.EXP); // experts' sheets count once submitted
});

after(async () => {
  // the throwaway units and users leave the active tree
  const units = Object.values(U).map((u) => Number(u.id));
  if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
  const users = Object.values(P).map(Number);
  if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
});

// ---------------------------------------------------------------------------------------

test('children of a municipality: completion and results of each kindergarten and of the whole, by hand', async () => {
  const d = expect(await dash('mA', 'children', 'MA'), 200, 'children of MA');
  assert.equal(d.unit.id, U.MA.id);
  assert.deepEqual(d.unit.path.map((u) => u.id), [U.MA.id], 'the path shows only what the caller may see');
  assert.equal(d.source, 'self');
  assert.equal(d.instrument.code, 'QS');
  assert.deepEqual(d.instrument.sections.map((s) => s.code), DEF.QS.sections.map((s) => s.code));
  assert.equal(d.instrument.max_level, 5);
  assert.equal(d.campaign.id, CAMP.now.id);
  assert.equal(d.campaign.closed, false);
  // three kindergartens expected, three submitted, two approved
  assert.deepEqual(d.total.completion, { expected: 3, submitted: 3, approved: 2 });
  assertResults(d.total.results, [L.KA1, L.KA2], 'MA total');
  assert.equal(d.count, 3);
  const byId = Object.fromEntries(d.items.map((i) => [i.id, i]));
  assert.deepEqual(d.items.map((i) => i.id), [U.KA1.id, U.KA2.id, U.KA3.id], 'by name');
  assert.deepEqual(byId[U.KA1.id].completion, { expected: 1, submitted: 1, approved: 1 });
  assert.deepEqual(byId[U.KA3.id].completion, { expected: 1, submitted: 1, approved: 0 });
  assertResults(byId[U.KA1.id].results, [L.KA1], 'KA1');
  assertResults(byId[U.KA2.id].results, [L.KA2], 'KA2');
  assertResults(byId[U.KA3.id].results, [], 'KA3 (not approved)');
  assert.equal(byId[U.KA3.id].results.overall, null);
  for (const i of d.items) assert.equal(i.overdue, false, 'the campaign is open');
});

test('children: sort, filter by area score, name search, paging; bad parameters are 422', async () => {
  const ids = (d) => d.items.map((i) => i.id);
  let d = expect(await dash('mA', 'children', 'MA', { sort: '-overall' }), 200, 'sort -overall');
  const o1 = expectedSheet(L.KA1).overall;
  const o2 = expectedSheet(L.KA2).overall;
  assert.deepEqual(ids(d), o2 > o1 ? [U.KA2.id, U.KA1.id, U.KA3.id] : [U.KA1.id, U.KA2.id, U.KA3.id], 'without a score last');
  d = expect(await dash('mA', 'children', 'MA', { sort: 'overall' }), 200, 'sort overall');
  assert.deepEqual(ids(d), o2 > o1 ? [U.KA1.id, U.KA2.id, U.KA3.id] : [U.KA2.id, U.KA1.id, U.KA3.id]);
  // "below level 2 in area 6": KA1 has 1 there, KA2 2 (not below), KA3 no score
  d = expect(await dash('mA', 'children', 'MA', { section: 'QS.6', below: 2 }), 200, 'below 2 in QS.6');
  assert.deepEqual(ids(d), [U.KA1.id]);
  assert.equal(d.count, 1);
  d = expect(await dash('mA', 'children', 'MA', { section: 'QS.6', below: 2.5 }), 200, 'below 2.5 in QS.6');
  assert.deepEqual(ids(d), [U.KA1.id, U.KA2.id]);
  // a filter or a sort reads one area of every child, the page then every area of its own
  // children and the unit's totals: the same figures as the plain list
  const plain = expect(await dash('mA', 'children', 'MA'), 200, 'plain');
  const plainOf = Object.fromEntries(plain.items.map((i) => [i.id, i.results]));
  for (const q of [{ section: 'QS.6', below: 2.5, sort: '-overall', limit: 1, offset: 1 }, { sort: 'section:QS.1', limit: 2 }, { sort: 'overall' }]) {
    const f = expect(await dash('mA', 'children', 'MA', q), 200, JSON.stringify(q));
    assert.ok(f.items.length > 0, JSON.stringify(q));
    for (const i of f.items) assert.deepEqual(i.results, plainOf[i.id], `${JSON.stringify(q)}: every area of ${i.name}`);
    assert.deepEqual(f.total.results, plain.total.results, `${JSON.stringify(q)}: totals`);
  }
  d = expect(await dash('mA', 'children', 'MA', { sort: 'section:QS.1' }), 200, 'sort by area 1');
  const a1 = (k) => expectedSheet(L[k]).sections['QS.1'];
  assert.deepEqual(ids(d).slice(0, 2), a1('KA1') <= a1('KA2') ? [U.KA1.id, U.KA2.id] : [U.KA2.id, U.KA1.id]);
  d = expect(await dash('mA', 'children', 'MA', { q: 'KA2' }), 200, 'name search');
  assert.deepEqual(ids(d), [U.KA2.id]);
  d = expect(await dash('mA', 'children', 'MA', { limit: 1, offset: 1 }), 200, 'paging');
  assert.deepEqual(ids(d), [U.KA2.id]);
  assert.equal(d.count, 3, 'count is before paging');
  assert.equal((await dash('mA', 'children', 'MA', { overdue: 1 })).json.count, 0, 'nothing overdue while open');

  for (const [q, field] of [
    [{ sort: 'size' }, 'sort'],
    [{ section: 'QS.6' }, 'below'],
    [{ below: 'x', section: 'QS.6' }, 'below'],
    [{ section: 'QS.99', below: 1 }, 'section'],
    [{ sort: 'section:QS.99' }, 'sort'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 2001 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ overdue: 'yes' }, 'overdue'],
    [{ source: 'parents' }, 'source'],
    [{ campaign: 'abc' }, 'campaign'],
  ]) {
    const r = await dash('mA', 'children', 'MA', q);
    assert.equal(r.status, 422, `${JSON.stringify(q)}: ${show(r)}`);
    assert.ok(r.json.errors.some((e) => e.field === field), `${JSON.stringify(q)} names ${field}: ${show(r)}`);
  }
  const noCampaign = await api('mA', 'GET', '/dashboards/units/{id}/children', { id: U.MA.id });
  assert.equal(noCampaign.status, 422, show(noCampaign));
  assert.equal((await dash('mA', 'children', 'MA', { campaign: 987654321 })).status, 404, 'unknown campaign');
  assert.equal((await dash('mA', 'children', 'MA', { instrument: INS.TSA?.id ?? 987654321 })).status, 404, 'instrument not in the campaign');
});

test('overdue: once the campaign has closed, children with sheets missing are overdue', async () => {
  await query(`UPDATE campaigns SET closes_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = ${Number(CAMP.now.id)}`);
  try {
    const d = expect(await dash('mA', 'children', 'MA', { overdue: 1, source: 'group' }), 200, 'overdue groups');
    // groups expected: KA1 has 2 (1 submitted), KA2 1 (none), KA3 none
    assert.equal(d.campaign.closed, true);
    assert.deepEqual(d.items.map((i) => i.id), [U.KA1.id, U.KA2.id]);
    assert.deepEqual(d.items[0].completion, { expected: 2, submitted: 1, approved: 1 });
    assert.deepEqual(d.items[1].completion, { expected: 1, submitted: 0, approved: 0 });
    const self = expect(await dash('mA', 'children', 'MA', { overdue: 1 }), 200, 'overdue kindergartens');
    assert.equal(self.count, 0, 'every kindergarten submitted its self-assessment');
  } finally {
    await query(`UPDATE campaigns SET closes_on = '${CAMP.now.closes_on}' WHERE id = ${Number(CAMP.now.id)}`);
  }
});

test("a kindergarten's groups: children with source group", async () => {
  const d = expect(await dash('cA1', 'children', 'KA1'), 200, 'groups of KA1');
  assert.equal(d.source, 'group');
  assert.deepEqual(d.items.map((i) => i.id), [U.GA1.id, U.GA2.id]);
  assert.deepEqual(d.items[0].completion, { expected: 1, submitted: 1, approved: 1 });
  assertResults(d.items[0].results, [L.GA1], 'GA1');
  assertResults(d.items[1].results, [], 'GA2');
  assert.deepEqual(d.total.completion, { expected: 2, submitted: 1, approved: 1 });
  assertResults(d.total.results, [L.GA1], 'KA1 groups');
});

test('breakdown: area → indicator of a kindergarten with its municipality and the year before', async () => {
  const d = expect(await dash('mA', 'breakdown', 'KA1'), 200, 'breakdown KA1');
  assert.equal(d.source, 'self');
  assert.equal(d.parent_unit.id, U.MA.id);
  assert.equal(d.previous_campaign.id, CAMP.prev.id);
  assert.equal(d.previous_campaign.year, YEAR - 1);
  const mine = figures([L.KA1]);
  const parent = figures([L.KA1, L.KA2]);
  const prev = figures([L.PREV]);
  near(d.overall.unit.mean, mine.overall, 'overall');
  assert.deepEqual(d.overall.unit.levels, mine.levels);
  near(d.overall.parent.mean, parent.overall, 'overall of MA');
  assert.equal(d.overall.parent.n, 2);
  near(d.overall.previous.mean, prev.overall, 'overall a year earlier');
  assert.deepEqual(d.sections.map((s) => s.code), DEF.QS.sections.map((s) => s.code));
  for (const s of d.sections) {
    near(s.unit.mean, mine.sections[s.code], `area ${s.code}`);
    near(s.parent.mean, parent.sections[s.code], `area ${s.code} of MA`);
    assert.deepEqual(s.parent.levels, parent.sectionLevels[s.code], `area ${s.code} levels of MA`);
    near(s.previous.mean, prev.sections[s.code], `area ${s.code} a year earlier`);
    const def = DEF.QS.sections.find((x) => x.code === s.code);
    assert.deepEqual(s.indicators.map((i) => i.code), def.indicators.map((i) => i.code));
    for (const i of s.indicators) {
      near(i.unit.mean, mine.indicators[i.code].mean, `indicator ${i.code}`);
      assert.deepEqual(i.parent.levels, parent.indicators[i.code].levels, `indicator ${i.code} levels of MA`);
      near(i.parent.mean, parent.indicators[i.code].mean, `indicator ${i.code} of MA`);
    }
  }
  // the kindergarten coordinator's scope ends at KA1: no parent to compare with
  const own = expect(await dash('cA1', 'breakdown', 'KA1'), 200, 'breakdown as cA1');
  assert.equal(own.parent_unit, null);
  assert.equal(own.overall.parent, null);
  near(own.overall.unit.mean, mine.overall, 'the same figures');
  // the experts' sheets are a source of their own
  const exp = expect(await dash('eA', 'breakdown', 'KA1', { source: 'expert' }), 200, 'expert breakdown');
  near(exp.overall.unit.mean, figures([L.EXP]).overall, 'expert overall');
  // a group: its own sheets, compared with the kindergarten's groups
  const g = expect(await dash('cA1', 'breakdown', 'GA1'), 200, 'breakdown of a group');
  assert.equal(g.source, 'group');
  near(g.overall.unit.mean, figures([L.GA1]).overall, 'group overall');
  near(g.overall.parent.mean, figures([L.GA1]).overall, 'the kindergarten over its groups');
  assert.equal(g.overall.previous.n, 0, 'no group sheets a year earlier');
  assert.equal(g.overall.previous.mean, null);
});

test('completion: every instrument and source of the campaign for the unit and each child', async () => {
  const d = expect(await dash('mA', 'completion', 'MA'), 200, 'completion of MA');
  const get = (code, source) => d.instruments.find((i) => i.code === code && i.source === source);
  assert.deepEqual(d.instruments.map((i) => `${i.code}/${i.source}`), ['QS/self', 'QS/group', 'QS/expert'], 'the parent questionnaire has no sheets');
  const self = get('QS', 'self');
  assert.deepEqual({ ...self.total, overdue: undefined }, { expected: 3, submitted: 3, approved: 2, overdue: undefined });
  assert.deepEqual(self.items.map((i) => [i.id, i.expected, i.submitted, i.approved]), [
    [U.KA1.id, 1, 1, 1],
    [U.KA2.id, 1, 1, 1],
    [U.KA3.id, 1, 1, 0],
  ]);
  const group = get('QS', 'group');
  assert.equal(group.total.expected, 3);
  assert.equal(group.total.submitted, 1);
  const expert = get('QS', 'expert');
  assert.deepEqual([expert.total.expected, expert.total.submitted, expert.total.approved], [1, 1, 0], 'one assignment, one sheet, nobody approves it');
  const region = expect(await dash('mA', 'completion', 'MA', { source: 'self', instrument: INS.QS.id }), 200, 'one instrument and source');
  assert.equal(region.instruments.length, 1);
});

test('parents: responses, response rate and satisfaction by hand', async () => {
  // answers: likert 4 and 5 and "yes" are positive; the unanswered and "na" are left out
  const rows = [
    [U.KA1.id, U.GA1.id, { 'PQ.1.1.1': 5, 'PQ.1.1.2': 2, 'PQ.5.1.1': 'yes' }],
    [U.KA1.id, U.GA2.id, { 'PQ.1.1.1': 4, 'PQ.1.1.2': 4, 'PQ.5.1.1': 'unsure' }],
    [U.KA1.id, null, { 'PQ.1.1.1': 1, 'PQ.2.1.1': 3 }],
    [U.KA2.id, U.GB.id, { 'PQ.1.1.1': 5, 'PQ.5.1.1': 'no' }],
  ];
  for (const [kg, group, answers] of rows) {
    await query(
      `INSERT INTO survey_responses (campaign_id, instrument_id, kindergarten_id, group_id, answers, answered_on) VALUES (${Number(CAMP.now.id)}, ${Number(INS.PQ.id)}, ${kg}, ${group ?? 'NULL'}, '${JSON.stringify(answers)}', CURRENT_DATE)`,
    );
  }
  await rebuild();
  const d = expect(await dash('mA', 'parents', 'MA'), 200, 'parents of MA');
  assert.equal(d.instrument.code, 'PQ', 'the campaign’s parent questionnaire by default');
  // MA: 4 responses; 42 children enrolled; answers 5,2,yes,4,4,unsure,1,3,5,no -> 10 answered, 5 positive
  assert.deepEqual(d.total, { responses: 4, enrolled: 42, response_rate: 4 / 42, satisfaction: 5 / 10 });
  const byId = Object.fromEntries(d.items.map((i) => [i.id, i]));
  // KA1: 3 responses of 30 children; 5,2,yes,4,4,unsure,1,3 -> 8 answered, 4 positive
  assert.deepEqual({ ...byId[U.KA1.id], id: 0, name: '', level: '' }, { id: 0, name: '', level: '', responses: 3, enrolled: 30, response_rate: 3 / 30, satisfaction: 4 / 8 });
  // KA2: 1 of 12; 5, no -> 1 of 2
  assert.equal(byId[U.KA2.id].responses, 1);
  assert.equal(byId[U.KA2.id].response_rate, 1 / 12);
  assert.equal(byId[U.KA2.id].satisfaction, 1 / 2);
  // KA3: nobody answered, enrolment unknown
  assert.deepEqual([byId[U.KA3.id].responses, byId[U.KA3.id].enrolled, byId[U.KA3.id].response_rate, byId[U.KA3.id].satisfaction], [0, null, null, null]);
  const st = Object.fromEntries(d.statements.map((s) => [s.code, s]));
  assert.deepEqual([st['PQ.1.1.1'].answered, st['PQ.1.1.1'].positive, st['PQ.1.1.1'].share], [4, 3, 3 / 4]);
  assert.deepEqual([st['PQ.1.1.2'].answered, st['PQ.1.1.2'].positive], [2, 1]);
  assert.deepEqual([st['PQ.5.1.1'].answered, st['PQ.5.1.1'].positive], [3, 1]);
  assert.deepEqual([st['PQ.3.1.1'].answered, st['PQ.3.1.1'].share], [0, null]);
  assert.ok(!st['PQ.5.1.3'], 'a comment is not a statement');
  // a kindergarten's groups
  const k = expect(await dash('cA1', 'parents', 'KA1'), 200, 'parents of KA1');
  assert.deepEqual(k.items.map((i) => [i.id, i.responses, i.enrolled]), [
    [U.GA1.id, 1, 20],
    [U.GA2.id, 1, 10],
  ]);
  assert.equal(k.total.responses, 3, 'a response without a group counts for the kindergarten');
});

test('scope: another municipality is 404, the region shows only one’s own municipality, experts only assigned kindergartens, teachers 403', async () => {
  for (const view of ['children', 'breakdown', 'completion', 'parents']) {
    assert.equal((await dash('mA', view, 'MB')).status, 404, `mA ${view} of MB`);
    assert.equal((await dash('mA', view, 'KB1')).status, 404, `mA ${view} of KB1`);
    assert.equal((await dash('eA', view, 'KA2')).status, 404, `eA ${view} of an unassigned kindergarten`);
    assert.equal((await dash('tA1', view, 'KA1')).status, 403, `teacher ${view}`);
  }
  const region = (await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0];
  const r = expect(await dash('mA', 'children', Number(region)), 200, 'mA children of the region');
  assert.deepEqual(r.items.map((i) => i.id), [U.MA.id], 'only its own municipality');
  assert.deepEqual(r.total.completion, { expected: 3, submitted: 3, approved: 2 }, 'the totals are those of what it sees');
  assertResults(r.total.results, [L.KA1, L.KA2], 'region as seen by mA');
  for (const view of ['breakdown', 'completion', 'parents']) assert.equal((await dash('mA', view, Number(region))).status, 404, `mA ${view} of the region`);
  const e = expect(await dash('eA', 'children', 'MA'), 200, 'expert: children of MA');
  assert.deepEqual(e.items.map((i) => i.id), [U.KA1.id], 'only the assigned kindergarten');
  const all = expect(await dash('region', 'children', Number(region), { q: RUN }), 200, 'the region coordinator');
  assert.deepEqual(all.items.map((i) => i.id), [U.MA.id, U.MB.id]);
});

test('rollups kept incrementally equal a rebuild: submit, return, re-approve with other answers, move and back', async () => {
  await assertRollupsEqualRebuild('after the set-up');
  // return an approved-never sheet (KA3), and KA2's approved sheet cannot be returned, so
  // take a submitted one: KA3 submitted -> returned -> submitted with other answers -> approved
  await review('KA3', 'mA', 'return');
  await assertRollupsEqualRebuild('after a return');
  let d = expect(await dash('mA', 'children', 'MA'), 200, 'after the return');
  assert.deepEqual(d.total.completion, { expected: 3, submitted: 2, approved: 2 });
  await saveAndSubmit('KA3', L.KA2b);
  await review('KA3', 'mA', 'approve');
  await assertRollupsEqualRebuild('after the re-approval');
  d = expect(await dash('mA', 'children', 'MA'), 200, 'after the re-approval');
  assertResults(d.total.results, [L.KA1, L.KA2, L.KA2b], 'MA with KA3 approved');
  // the expert's sheet counted since submitted; returned, it drops out
  await review('EXP', 'mA', 'return');
  const e = expect(await dash('mA', 'breakdown', 'KA1', { source: 'expert' }), 200, 'expert sheet returned');
  assert.equal(e.overall.unit.n, 0);
  await assertRollupsEqualRebuild('after returning the expert’s sheet');

  // what is expected follows the org tree: a group closed, an expert unassigned
  expect(await api('admin', 'PATCH', '/units/{id}', { id: U.GA2.id, json: { active: false } }), 200, 'close GA2');
  d = expect(await dash('cA1', 'children', 'KA1'), 200, 'KA1 without GA2');
  assert.deepEqual(d.total.completion, { expected: 1, submitted: 1, approved: 1 });
  assert.deepEqual(d.items.map((i) => i.id), [U.GA1.id]);
  const unassign = await request(`${API}/users/${P.eA}/assignments/${U.KA1.id}`, { method: 'DELETE', token: T.admin });
  assert.equal(unassign.status, 204, show(unassign));
  const comp = expect(await dash('mA', 'completion', 'MA', { source: 'expert' }), 200, 'no expert expected');
  assert.equal(comp.instruments[0].total.expected, 0);
  await assertRollupsEqualRebuild('after closing a group and unassigning the expert');
  expect(await api('admin', 'PATCH', '/units/{id}', { id: U.GA2.id, json: { active: true } }), 200, 'reopen GA2');

  // move KA2 (with its group and parent answers) to MB and back
  expect(await api('admin', 'POST', '/units/{id}/move', { id: U.KA2.id, json: { parent_id: U.MB.id } }), 200, 'move KA2 to MB');
  await assertRollupsEqualRebuild('after the move');
  const mb = expect(await dash('mB', 'children', 'MB'), 200, 'MB with KA2');
  assert.deepEqual(mb.items.map((i) => i.id).sort(), [U.KA2.id, U.KB1.id].sort());
  assertResults(mb.total.results, [L.KB1, L.KA2], 'MB with KA2');
  assert.equal((await dash('mB', 'parents', 'MB')).json.total.responses, 1, 'KA2’s parent answers moved along');
  const ma = expect(await dash('mA', 'children', 'MA'), 200, 'MA without KA2');
  assertResults(ma.total.results, [L.KA1, L.KA2b], 'MA without KA2');
  assert.equal((await dash('mA', 'children', 'KA2')).status, 404, 'KA2 left mA’s scope');
  expect(await api('admin', 'POST', '/units/{id}/move', { id: U.KA2.id, json: { parent_id: U.MA.id } }), 200, 'move KA2 back');
  await assertRollupsEqualRebuild('after the move back');
  const back = expect(await dash('mA', 'children', 'MA'), 200, 'MA with KA2 again');
  assertResults(back.total.results, [L.KA1, L.KA2, L.KA2b], 'MA with KA2 again');
});

test('every response above matches backend/openapi.yaml', () => {
  assert.ok(C.checked > 50, `only ${C.checked} responses checked`);
  assert.deepEqual(C.distinct(), []);
});
