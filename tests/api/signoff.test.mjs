// The analysis stage (docs/analysis.md): a kindergarten's results signed off by the levels
// of the campaign — the chain approve → expert's report final → municipality confirms →
// region confirms, a send-back with a comment and the re-confirmation, who may sign what
// (another municipality's kindergarten is 404, a teacher 403, a level the campaign does not
// ask for 403), the levels per campaign, the history, audit rows and notifications — and the
// dashboards' confirmed=1, whose figures are computed here by hand. A municipality of its
// own: S1 (every indicator at level 2), S2 (at 4), S3 (at 5, approved but never signed) and
// a second municipality's O1 (at 3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, show } from './lib.mjs';
import { loadSpec } from './openapi.mjs';
import { query, readyUser } from './fixtures-org.mjs';
import { answerOtherRequired, isoDay } from './fixtures-forms.mjs';
import { apiClient, expect, Conformance } from './client.mjs';

const API = '/api/v1';
const RUN = `s${Date.now().toString(36)}${process.pid % 100}`;
const PASSWORD = `Sig-${RUN}-Pw-9x!`;
const YEAR = Number(isoDay(0).slice(0, 4));

let C;
const T = {};
const U = {};
const P = {};
const INS = {};
let DEF;
let CAMP;
const LEVEL = { S1: 2, S2: 4, S3: 5, O1: 3 };

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

/** Answers meeting every check item up to the level, everywhere. */
function answersAt(level) {
  const a = {};
  for (const s of DEF.sections)
    for (const ind of s.indicators) for (const item of ind.items) if (item.type === 'check') a[item.code] = item.level <= level ? 'met' : 'not_met';
  return answerOtherRequired(DEF, a);
}

async function sheet(who, target, level, campaign = CAMP) {
  const doc = expect(await api(who, 'POST', '/submissions', { json: { campaign_id: campaign.id, instrument_id: INS.QS.id, target_unit_id: U[target].id } }), 201, `${target}: start`);
  const saved = expect(await api(who, 'PATCH', '/submissions/{id}', { id: doc.id, json: { base_version: doc.version, answers: answersAt(level) } }), 200, `${target}: save`);
  return expect(await api(who, 'POST', '/submissions/{id}/submit', { id: doc.id, json: { base_version: saved.version } }), 200, `${target}: submit`);
}

/** The expert's report on the kindergarten: draft → preliminary → final. */
async function finalReport(kg) {
  const rep = expect(await api('eS', 'POST', '/expert-reports', { json: { campaign_id: CAMP.id, kindergarten_id: U[kg].id } }), 201, `${kg}: report`);
  expect(await api('eS', 'PATCH', '/expert-reports/{id}', { id: rep.id, json: { summary: `Выводы по ${kg}` } }), 200, `${kg}: report text`);
  expect(await api('eS', 'POST', '/expert-reports/{id}/send', { id: rep.id }), 200, `${kg}: report sent`);
  expect(await api('eS', 'POST', '/expert-reports/{id}/finalise', { id: rep.id, json: {} }), 200, `${kg}: report final`);
}

const state = (who, kg, campaign = CAMP) => api(who, 'GET', '/units/{id}/signoff', { id: U[kg].id, q: { campaign_id: campaign.id } });
const step = (who, kg, what, comment, campaign = CAMP) =>
  api(who, 'POST', `/units/{id}/signoff/${what}`, { id: U[kg].id, json: { campaign_id: campaign.id, ...(comment !== undefined ? { comment } : {}) } });

async function notices(who) {
  return expect(await api(who, 'GET', '/me/notifications'), 200, `${who}: notifications`).items.filter((n) => n.kind === 'signoff');
}

const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);

before(async () => {
  C = new Conformance(loadSpec());
  for (const l of ['admin', 'region', 'teacher']) T[l] = (await login(l)).token;
  for (const m of expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items) INS[m.code] = m;
  DEF = expect(await api('region', 'GET', '/instruments/{id}', { id: INS.QS.id }), 200, 'QS').definition;
  const region = Number((await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0]);
  U.region = { id: region };
  await unit('MS', region, 'municipality');
  await unit('MO', region, 'municipality');
  for (const k of ['S1', 'S2', 'S3']) await unit(k, U.MS.id, 'kindergarten');
  await unit('O1', U.MO.id, 'kindergarten');
  for (const k of ['S1', 'S2', 'S3', 'O1']) await user(`c${k}`, 'doo_coordinator', k);
  await user('mS', 'municipal_coordinator', 'MS');
  await user('mO', 'municipal_coordinator', 'MO');
  await user('eS', 'expert', 'MS');
  for (const k of ['S1', 'S2', 'S3']) expect(await request(`${API}/users/${P.eS}/assignments/${U[k].id}`, { method: 'PUT', token: T.admin }), 204, `assign ${k}`);
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR } }), 200, 'template');
  const stages = tpl.stages
    .filter((s) => s.kind === 'kindergarten_self')
    .map((s) => ({ kind: s.kind, instrument_id: s.instrument.id, respondents: ['doo_coordinator'], target_level: 'kindergarten', opens_on: isoDay(-2), closes_on: isoDay(30) }));
  CAMP = expect(await api('region', 'POST', '/campaigns', { json: { title: `Подтверждение ${RUN}`, year: YEAR, stages } }), 201, 'campaign');
  for (const k of ['S1', 'S2', 'S3', 'O1']) {
    const s = await sheet(`c${k}`, k, LEVEL[k]);
    expect(await api(k === 'O1' ? 'mO' : 'mS', 'POST', '/submissions/{id}/approve', { id: s.id, json: {} }), 200, `approve ${k}`);
  }
});

after(async () => {
  const units = Object.entries(U).filter(([k]) => k !== 'region').map(([, u]) => Number(u.id));
  if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
  const users = Object.values(P).map(Number);
  if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
});

test('the chain: approved sheets and a final expert report, then the municipality confirms, then the region', async () => {
  let s = expect(await state('mS', 'S1'), 200, 'S1 before the report');
  assert.deepEqual(s.levels, ['municipality', 'region'], 'the default levels');
  assert.equal(s.state, 'not_ready');
  assert.equal(s.readiness.sheets_approved, 1);
  assert.equal(s.readiness.final_reports, 0);
  assert.equal(s.can_confirm, false);
  expect(await step('mS', 'S1', 'confirm'), 409, 'confirm before the expert’s report is final');

  await finalReport('S1');
  s = expect(await state('mS', 'S1'), 200, 'S1 ready');
  assert.equal(s.state, 'awaiting');
  assert.equal(s.waiting_for, 'municipality');
  assert.equal(s.can_confirm, true);
  assert.equal(s.mine, true);

  expect(await step('region', 'S1', 'confirm'), 409, 'the region before the municipality');
  expect(await step('teacher', 'S1', 'confirm'), 403, 'a teacher');
  expect(await step('mO', 'S1', 'confirm'), 404, 'another municipality’s coordinator');
  expect(await step('cS1', 'S1', 'confirm'), 403, 'the kindergarten’s own coordinator');

  const before = (await notices('region')).length;
  s = expect(await step('mS', 'S1', 'confirm', 'Результаты проверены'), 200, 'municipality confirms');
  assert.equal(s.state, 'awaiting');
  assert.equal(s.waiting_for, 'region');
  assert.deepEqual(s.signed, ['municipality']);
  assert.equal((await notices('region')).length, before + 1, 'the region is told its sign-off is awaited');
  const queue = expect(await api('region', 'GET', '/campaigns/{id}/signoffs', { id: CAMP.id, q: { mine: 1 } }), 200, 'region’s list');
  assert.deepEqual(queue.items.map((i) => i.kindergarten.id), [U.S1.id], 'only S1 waits for the region');
  const mlist = expect(await api('mS', 'GET', '/campaigns/{id}/signoffs', { id: CAMP.id }), 200, 'municipality’s list');
  assert.deepEqual(mlist.items.map((i) => i.kindergarten.id).sort(), [U.S1.id, U.S2.id, U.S3.id].sort(), 'the municipality sees its own kindergartens only');

  s = expect(await step('region', 'S1', 'confirm'), 200, 'region confirms');
  assert.equal(s.state, 'confirmed');
  assert.equal(s.waiting_for, null);
  assert.deepEqual(s.signed, ['municipality', 'region']);
  expect(await step('region', 'S1', 'confirm'), 409, 'confirmed twice');
  assert.ok((await notices('cS1')).some((n) => /подтверждены/.test(n.title)), 'the kindergarten hears of the confirmation');
  assert.deepEqual(s.history.map((h) => [h.level, h.action]), [['municipality', 'confirm'], ['region', 'confirm']]);
  assert.equal(s.history[0].comment, 'Результаты проверены');

  const locked = expect(await api('region', 'GET', '/campaigns/{id}/signoff-levels', { id: CAMP.id }), 200, 'levels once signed');
  assert.equal(locked.editable, false);
  expect(await api('region', 'PUT', '/campaigns/{id}/signoff-levels', { id: CAMP.id, json: { signoff_levels: ['region'] } }), 409, 'levels changed under signed results');

  const audit = await query(`SELECT action, actor_id FROM audit_log WHERE unit_path = (SELECT path FROM org_units WHERE id = ${Number(U.S1.id)}) AND action LIKE 'signoff.%' ORDER BY id`);
  assert.deepEqual(audit.map((r) => r[0]), ['signoff.confirm', 'signoff.confirm']);
  assert.deepEqual(audit.map((r) => Number(r[1])), [P.mS, Number((await query("SELECT id FROM users WHERE login = 'region'"))[0][0])]);
});

test('a send-back with a comment goes one step down and the results are confirmed again', async () => {
  await finalReport('S2');
  expect(await step('mS', 'S2', 'confirm'), 200, 'municipality confirms S2');
  expect(await step('region', 'S2', 'return', '  '), 422, 'a send-back needs a comment');
  const toldM = (await notices('mS')).length;
  let s = expect(await step('region', 'S2', 'return', 'Уточните область 5'), 200, 'region sends back');
  assert.equal(s.state, 'returned');
  assert.equal(s.waiting_for, 'municipality');
  assert.deepEqual(s.returned, { by: 'region', comment: 'Уточните область 5' });
  assert.deepEqual(s.signed, []);
  assert.equal((await notices('mS')).length, toldM + 1, 'the municipality is told');
  expect(await step('region', 'S2', 'confirm'), 409, 'the region cannot confirm what waits for the municipality');

  s = expect(await step('mS', 'S2', 'return', 'Исправьте самооценку'), 200, 'municipality sends back to the kindergarten');
  assert.equal(s.waiting_for, 'kindergarten');
  assert.deepEqual(s.returned, { by: 'municipality', comment: 'Исправьте самооценку' });
  assert.ok((await notices('cS2')).some((n) => /возвращены/.test(n.title) && /Исправьте самооценку/.test(n.body)), 'the kindergarten hears why');
  expect(await step('mS', 'S2', 'confirm'), 409, 'waiting for the kindergarten');
  const own = expect(await state('cS2', 'S2'), 200, 'the kindergarten sees its sign-off');
  assert.equal(own.can_resubmit, true);
  s = expect(await step('cS2', 'S2', 'resubmit', 'Исправлено'), 200, 'kindergarten resubmits');
  assert.equal(s.state, 'awaiting');
  assert.equal(s.waiting_for, 'municipality');
  assert.equal(s.returned, null);
  expect(await step('mS', 'S2', 'confirm'), 200, 'municipality confirms again');
  s = expect(await step('region', 'S2', 'confirm'), 200, 'region confirms again');
  assert.equal(s.state, 'confirmed');
  assert.deepEqual(s.history.map((h) => `${h.level}:${h.action}`), [
    'municipality:confirm', 'region:return', 'municipality:return', 'kindergarten:resubmit', 'municipality:confirm', 'region:confirm',
  ]);
  const audit = await query(`SELECT action FROM audit_log WHERE unit_path = (SELECT path FROM org_units WHERE id = ${Number(U.S2.id)}) AND action LIKE 'signoff.%' ORDER BY id`);
  assert.deepEqual(audit.map((r) => r[0]), ['signoff.confirm', 'signoff.return', 'signoff.return', 'signoff.resubmit', 'signoff.confirm', 'signoff.confirm']);
});

test('the levels are set per campaign at creation and changed until the analysis stage opens', async () => {
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR - 1 } }), 200, 'template');
  const st = tpl.stages.find((s) => s.kind === 'kindergarten_self');
  const fin = tpl.stages.find((s) => s.kind === 'final_reports');
  const stages = [{ kind: st.kind, instrument_id: st.instrument.id, respondents: ['doo_coordinator'], target_level: 'kindergarten', opens_on: isoDay(-2), closes_on: isoDay(30) }];
  expect(await api('region', 'POST', '/campaigns', { json: { title: `Уровни ${RUN}`, year: YEAR - 1, stages, signoff_levels: ['region', 'municipality'] } }), 422, 'top down');
  const camp = expect(await api('region', 'POST', '/campaigns', { json: { title: `Уровни ${RUN}`, year: YEAR - 1, stages, signoff_levels: ['region'] } }), 201, 'region only');
  let lv = expect(await api('mS', 'GET', '/campaigns/{id}/signoff-levels', { id: camp.id }), 200, 'levels');
  assert.deepEqual(lv.levels, ['region']);
  assert.equal(lv.editable, true);
  expect(await step('mS', 'S3', 'confirm', undefined, camp), 403, 'the municipality does not sign this campaign');
  const s = expect(await state('region', 'S3', camp), 200, 'S3 in the region-only campaign');
  assert.deepEqual(s.levels, ['region']);
  assert.equal(s.state, 'not_ready');
  expect(await api('mS', 'PUT', '/campaigns/{id}/signoff-levels', { id: camp.id, json: { signoff_levels: ['municipality'] } }), 403, 'a municipality does not change them');
  expect(await api('region', 'PUT', '/campaigns/{id}/signoff-levels', { id: camp.id, json: { signoff_levels: [] } }), 422, 'none');
  lv = expect(await api('region', 'PUT', '/campaigns/{id}/signoff-levels', { id: camp.id, json: { signoff_levels: ['municipality', 'region'] } }), 200, 'both');
  assert.deepEqual(lv.levels, ['municipality', 'region']);
  const audit = await query(`SELECT changes FROM audit_log WHERE action = 'campaign.signoff_levels' AND entity_id = ${Number(camp.id)}`);
  assert.equal(audit.length, 1);
  assert.deepEqual(JSON.parse(audit[0][0]).signoff_levels, ['region', 'municipality,region']);

  // a campaign whose final reports stage has opened keeps its levels
  const late = expect(await api('region', 'POST', '/campaigns', {
    json: { title: `Анализ ${RUN}`, year: YEAR - 1, stages: [...stages, { kind: 'final_reports', respondents: fin.respondents, target_level: fin.target_level, opens_on: isoDay(-1), closes_on: isoDay(20) }] },
  }), 201, 'analysis open');
  lv = expect(await api('region', 'GET', '/campaigns/{id}/signoff-levels', { id: late.id }), 200, 'levels of the open one');
  assert.equal(lv.editable, false);
  expect(await api('region', 'PUT', '/campaigns/{id}/signoff-levels', { id: late.id, json: { signoff_levels: ['region'] } }), 409, 'after the analysis stage opened');
});

test('dashboards with confirmed=1 count only the kindergartens confirmed at the top level', async () => {
  // S1 (2.0) and S2 (4.0) are confirmed by both levels; S3 (5.0) is approved but unsigned;
  // O1 (3.0) unsigned. By hand: MS without the filter (2 + 4 + 5) / 3 = 11/3, n 3; with it
  // (2 + 4) / 2 = 3, n 2, one at level 2 and one at 4; MO with it nothing.
  const all = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: U.region.id, q: { campaign: CAMP.id } }), 200, 'region');
  const ms = all.items.find((i) => i.id === U.MS.id);
  near(ms.results.overall, 11 / 3, 'MS unfiltered');
  assert.equal(ms.results.n, 3);
  assert.equal(all.confirmed, false);

  const conf = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: U.region.id, q: { campaign: CAMP.id, confirmed: 1 } }), 200, 'region confirmed');
  assert.equal(conf.confirmed, true);
  const msc = conf.items.find((i) => i.id === U.MS.id);
  near(msc.results.overall, 3, 'MS confirmed');
  assert.equal(msc.results.n, 2);
  assert.deepEqual(msc.results.levels, [0, 1, 0, 1, 0, 0, 0]);
  for (const code of Object.keys(msc.results.sections)) near(msc.results.sections[code], 3, `MS confirmed ${code}`);
  const moc = conf.items.find((i) => i.id === U.MO.id);
  assert.equal(moc.results.n, 0);
  assert.equal(moc.results.overall, null);
  near(conf.total.results.overall, 3, 'the region’s total is its confirmed kindergartens');
  assert.equal(conf.total.results.n, 2);

  const kids = expect(await api('mS', 'GET', '/dashboards/units/{id}/children', { id: U.MS.id, q: { campaign: CAMP.id, confirmed: 1 } }), 200, 'MS confirmed');
  const by = Object.fromEntries(kids.items.map((i) => [i.id, i]));
  near(by[U.S1.id].results.overall, 2, 'S1');
  near(by[U.S2.id].results.overall, 4, 'S2');
  assert.equal(by[U.S3.id].results.n, 0, 'S3 is not confirmed');
  near(kids.total.results.overall, 3, 'MS total');
  assert.equal(kids.total.completion.approved, 3, 'completion is not filtered');

  // the breakdown: MS by hand (2 + 4) / 2 = 3 at every indicator, n 2; its parent, the
  // region, has the same two confirmed kindergartens; without the filter 11/3 of three
  const br = expect(await api('region', 'GET', '/dashboards/units/{id}/breakdown', { id: U.MS.id, q: { campaign: CAMP.id, confirmed: 1 } }), 200, 'MS breakdown confirmed');
  assert.equal(br.confirmed, true);
  near(br.overall.unit.mean, 3, 'MS breakdown overall');
  assert.equal(br.overall.unit.n, 2);
  assert.deepEqual(br.overall.unit.levels, [0, 1, 0, 1, 0, 0, 0]);
  near(br.sections[0].indicators[0].unit.mean, 3, 'an indicator of MS');
  assert.equal(br.sections[0].indicators[0].unit.n, 2);
  near(br.overall.parent.mean, 3, 'the region');
  assert.equal(br.overall.parent.n, 2);
  const brAll = expect(await api('region', 'GET', '/dashboards/units/{id}/breakdown', { id: U.MS.id, q: { campaign: CAMP.id } }), 200, 'MS breakdown');
  near(brAll.overall.unit.mean, 11 / 3, 'MS breakdown unfiltered');
  const brS3 = expect(await api('mS', 'GET', '/dashboards/units/{id}/breakdown', { id: U.S3.id, q: { campaign: CAMP.id, confirmed: 1 } }), 200, 'S3 breakdown confirmed');
  assert.equal(brS3.overall.unit.n, 0, 'S3 is not confirmed');
  const brS1 = expect(await api('mS', 'GET', '/dashboards/units/{id}/breakdown', { id: U.S1.id, q: { campaign: CAMP.id, confirmed: 1 } }), 200, 'S1 breakdown confirmed');
  near(brS1.overall.unit.mean, 2, 'S1 is confirmed: its own figures');

  const s3 = expect(await api('mS', 'GET', '/dashboards/units/{id}/children', { id: U.S3.id, q: { campaign: CAMP.id, confirmed: 1, source: 'self' } }), 200, 'S3 itself');
  assert.equal(s3.total.results.n, 0);
  expect(await api('mS', 'GET', '/dashboards/units/{id}/children', { id: U.MS.id, q: { campaign: CAMP.id, confirmed: 'yes' } }), 422, 'confirmed=yes');
});

/** The children of a full list (name order) that a filter «area code below x» keeps, in
 * the order sort names (null last either way, ties in name order), as the API documents. */
function byHand(items, code, below, sort) {
  const kept = items.filter((i) => i.results.sections[code] !== null && i.results.sections[code] < below);
  const desc = sort.startsWith('-');
  const key = sort.replace(/^-/, '');
  if (key === 'name') return desc ? kept.reverse() : kept;
  const value = (i) => (key === 'overall' ? i.results.overall : i.results.sections[key.slice('section:'.length)]);
  return kept.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if ((x === null) !== (y === null)) return x === null ? 1 : -1;
    if (x === null || x === y) return 0;
    return desc ? y - x : x - y;
  });
}

test('a filtered, sorted page with and without confirmed=1 is the full list filtered by hand', async () => {
  // S1 at 2, S2 at 4, S3 at 5 (confirmed=1: no figures), O1 at 3: every threshold keeps a
  // different set; the region as its coordinator (within the scope) and as MS's (above it)
  const code = DEF.sections[1].code;
  const other = DEF.sections[2].code;
  const views = [['region', U.region.id], ['mS', U.MS.id], ['mS', U.region.id]];
  let pages = 0;
  for (const confirmed of [0, 1])
    for (const [who, id] of views) {
      const q = { campaign: CAMP.id, confirmed };
      const full = expect(await api(who, 'GET', '/dashboards/units/{id}/children', { id, q: { ...q, limit: 2000 } }), 200, `${who} ${id} full`);
      assert.equal(full.count, full.items.length);
      for (const below of [2.5, 4.5, 6])
        for (const sort of ['-overall', `section:${other}`, `-section:${code}`, '-name'])
          for (const [offset, limit] of [[0, 1], [1, 2], [0, 2000]]) {
            const what = `${who} ${id} confirmed=${confirmed} below ${below} sort ${sort} ${offset}+${limit}`;
            const got = expect(await api(who, 'GET', '/dashboards/units/{id}/children', { id, q: { ...q, section: code, below, sort, offset, limit } }), 200, what);
            const kept = byHand(full.items, code, below, sort);
            assert.equal(got.count, kept.length, `${what}: count`);
            assert.deepEqual(got.items, kept.slice(offset, offset + limit), `${what}: the page`);
            assert.deepEqual(got.total, full.total, `${what}: the totals are the whole list's`);
            assert.deepEqual(got.basis, full.basis, `${what}: basis`);
            pages += got.items.length;
          }
    }
  assert.ok(pages > 100, `pages listed ${pages} children`);
});

test('every answer was documented in openapi.yaml', () => {
  assert.ok(C.checked > 40);
  assert.deepEqual(C.distinct(), []);
});
