// Founders assessed (stage V of the road map, docs/analysis.md): an instrument aimed at the
// municipality level — the shipped FA, «Экспертная оценка качества работы учредителя ДОО» —
// is filled by the municipality's own coordinator for the municipality itself (before, any
// such sheet was refused with 422 «заполняется для другого уровня»), approved by the region,
// and shown in the municipality's dashboard beside its kindergartens' figures without being
// rolled up into them as one more kindergarten.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { show } from './lib.mjs';
import { isoDay } from './fixtures-forms.mjs';
import { world } from './fixtures-advice.mjs';

const W = world('u');
const { RUN, C, U, api, expect, unit, user } = W;
const YEAR = Number(isoDay(0).slice(0, 4));
// levels per indicator: areas FA.1 = (3 + 2) / 2, FA.2 = (4 + 5) / 2, FA.3 = (1 + 3) / 2
const LEVEL = { 'FA.1.1': 3, 'FA.1.2': 2, 'FA.2.1': 4, 'FA.2.2': 5, 'FA.3.1': 1, 'FA.3.2': 3 };
const AREA = { 'FA.1': 2.5, 'FA.2': 4.5, 'FA.3': 2 };

const INS = {};
let DEF;
let CAMP;
let SHEET;

function answers() {
  const a = {};
  for (const s of DEF.sections)
    for (const ind of s.indicators) for (const item of ind.items) a[item.code] = item.level <= LEVEL[ind.code] ? 'met' : 'not_met';
  return a;
}

const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);
const children = (who, unitName, q = {}) => api(who, 'GET', '/dashboards/units/{id}/children', { id: U[unitName].id, q: { campaign: CAMP.id, ...q } });

before(async () => {
  await W.signIn('admin', 'region', 'municipal');
  for (const m of expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items) INS[m.code] = m;
  assert.ok(INS.FA, 'the founders’ instrument is shipped');
  assert.deepEqual([INS.FA.targets, INS.FA.respondents], [['municipality'], ['municipal_coordinator', 'region_coordinator']]);
  DEF = expect(await api('region', 'GET', '/instruments/{id}', { id: INS.FA.id }), 200, 'FA').definition;
  await unit('MU', await W.regionId());
  await unit('K1', U.MU.id);
  await user('mU', 'municipal_coordinator', 'MU');
  await user('cK1', 'doo_coordinator', 'K1');
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR } }), 200, 'template');
  const stages = tpl.stages
    .filter((s) => s.kind === 'kindergarten_self')
    .map((s) => ({ kind: s.kind, instrument_id: s.instrument.id, respondents: ['doo_coordinator'], target_level: 'kindergarten', opens_on: isoDay(-2), closes_on: isoDay(30) }));
  CAMP = expect(await api('region', 'POST', '/campaigns', { json: { title: `Учредители ${RUN}`, year: YEAR, stages, instrument_ids: [INS.FA.id] } }), 201, 'campaign');
});

after(() => W.cleanup());

test('the municipal coordinator fills the founders’ sheet for the municipality; the region approves it', async () => {
  const start = (who, instrument, target) => api(who, 'POST', '/submissions', { json: { campaign_id: CAMP.id, instrument_id: INS[instrument].id, target_unit_id: U[target].id } });
  // a kindergarten's instrument still cannot be aimed at the municipality, nor FA at a kindergarten
  const wrong = await start('mU', 'QS', 'MU');
  assert.ok([403, 422].includes(wrong.status), show(wrong));
  const kg = await start('region', 'FA', 'K1');
  assert.equal(kg.status, 422, show(kg));
  assert.equal(kg.json.errors[0].field, 'target_unit_id');
  expect(await start('cK1', 'FA', 'MU'), 403, 'a kindergarten coordinator does not fill it');
  expect(await start('municipal', 'FA', 'MU'), 404, 'another municipality’s coordinator');

  const doc = expect(await start('mU', 'FA', 'MU'), 201, 'start');
  assert.deepEqual([doc.target.unit.id, doc.target.unit.level], [U.MU.id, "municipality"]);
  const saved = expect(await api('mU', 'PATCH', '/submissions/{id}', { id: doc.id, json: { base_version: doc.version, answers: answers() } }), 200, 'save');
  SHEET = expect(await api('mU', 'POST', '/submissions/{id}/submit', { id: doc.id, json: { base_version: saved.version } }), 200, 'submit');
  near(SHEET.overall_score, 3, 'overall (2.5 + 4.5 + 2) / 3');
  expect(await api('mU', 'POST', '/submissions/{id}/approve', { id: doc.id, json: {} }), 403, 'not one’s own');
  expect(await api('region', 'POST', '/submissions/{id}/approve', { id: doc.id, json: {} }), 200, 'the region approves');
});

test('the sheet shows in the municipality’s dashboard beside its kindergartens, and is not rolled up as one of them', async () => {
  for (const who of ['mU', 'region']) {
    const ch = expect(await children(who, 'MU'), 200, `children for ${who}`);
    assert.equal(ch.own_sheets.length, 1, JSON.stringify(ch.own_sheets));
    const own = ch.own_sheets[0];
    assert.deepEqual([own.id, own.instrument.code, own.status, own.counted, own.respondent_role], [SHEET.id, 'FA', 'approved', true, 'municipal_coordinator']);
    near(own.overall, 3, 'overall');
    for (const s of own.sections) near(s.mean, AREA[s.code], s.code);
    assert.equal(own.sections[0].title, DEF.sections[0].title, 'the area’s title from the instrument');
    assert.deepEqual(ch.items.map((i) => i.id), [U.K1.id], 'the children are the kindergartens only');
    assert.equal(ch.total.results.n, 0, 'the kindergartens’ results are untouched');
  }
  // the rollups hold nothing of it: the FA figures of the municipality and the region stay empty
  const fa = expect(await children('mU', 'MU', { instrument: INS.FA.id }), 200, 'children, FA');
  assert.equal(fa.total.results.n, 0);
  assert.equal(fa.total.results.overall, null);
  const br = expect(await api('region', 'GET', '/dashboards/units/{id}/breakdown', { id: U.MU.id, q: { campaign: CAMP.id, instrument: INS.FA.id } }), 200, 'breakdown');
  assert.equal(br.overall.unit.mean, null);
  // a kindergarten's dashboard has no own sheets
  assert.deepEqual(expect(await children('mU', 'K1'), 200, 'K1').own_sheets, []);
});

test('every answer matches openapi.yaml', () => {
  assert.ok(C.checked > 8);
  assert.deepEqual(C.mismatches, []);
});
