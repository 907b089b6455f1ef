// Analytic reports (docs/analysis.md): every figure of a report is the dashboards' figure for
// the same unit and campaign, read here through both APIs and compared; the self-vs-expert
// gaps, the strongest and weakest areas and last year's figures checked by hand from the
// sheets' known levels; the workflow draft → sent → returned → sent → published with its
// audit rows and the figures kept at publication; who may do what (the author, the level
// above; another municipality 404, a teacher 403); the region's own report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { query } from './fixtures-org.mjs';
import { makeWorld } from './fixtures-analysis.mjs';

const W = makeWorld('rep');
const { api, expect, U, CAMP } = W;
const R = {}; // name -> report

const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);
const dash = (who, view, unit, q = {}) => api(who, 'GET', `/dashboards/units/{id}/${view}`, { id: U[unit].id, q: { campaign: CAMP.now.id, ...q } });

before(async () => {
  await W.setup();
});
after(async () => {
  await W.teardown();
});

async function assertSameAsDashboards(who, unitName, data) {
  const bd = expect(await dash(who, 'breakdown', unitName), 200, 'breakdown');
  assert.deepEqual(data.overall, bd.overall, 'overall with parent and previous year');
  assert.deepEqual(data.sections, bd.sections, 'areas and indicators');
  assert.deepEqual(data.basis, bd.basis, 'basis');
  assert.deepEqual(data.previous_campaign, bd.previous_campaign);
  const ex = expect(await dash(who, 'breakdown', unitName, { source: 'expert' }), 200, 'experts breakdown');
  assert.deepEqual(data.self_vs_expert.overall.expert, ex.overall.unit, 'experts overall');
  data.self_vs_expert.sections.forEach((s, i) => assert.deepEqual(s.expert, ex.sections[i].unit, `experts ${s.code}`));
  const ch = expect(await dash(who, 'children', unitName, { limit: 2000 }), 200, 'children');
  assert.deepEqual(data.children.items, ch.items, 'children with their figures and targets');
  assert.deepEqual(data.children.total, ch.total, 'children total');
  const pa = expect(await dash(who, 'parents', unitName), 200, 'parents');
  assert.deepEqual(data.parents.total, pa.total, 'parent satisfaction');
  assert.deepEqual(data.parents.statements, pa.statements, 'statements');
  const co = expect(await dash(who, 'completion', unitName), 200, 'completion');
  assert.deepEqual(data.completion, co.instruments, 'completion of every instrument');
}

test("a kindergarten's report: the dashboards' numbers, the gaps to the expert and last year by hand", async () => {
  const r = expect(await api('cA1', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: CAMP.now.id } }), 201, 'create');
  R.KA1 = r;
  assert.equal(r.status, 'draft');
  assert.equal(r.unit.id, U.KA1.id);
  assert.deepEqual(r.can, { edit: true, send: true, publish: false, return: false });
  const d = r.data;
  assert.equal(d.unit.name, U.KA1.name);
  await assertSameAsDashboards('cA1', 'KA1', d);
  // by hand: KA1 25/9 overall, last year 2, area QS.6 at 1 the weakest
  near(d.overall.unit.mean, W.overallOf(W.L.KA1), 'KA1 overall');
  near(d.overall.previous.mean, 2, 'last year');
  assert.equal(d.previous_campaign.id, CAMP.prev.id);
  assert.equal(d.ranking.sections.weakest[0].code, 'QS.6');
  near(d.ranking.sections.weakest[0].mean, 1, 'weakest area');
  near(d.ranking.sections.strongest[0].mean, 3, 'strongest area');
  assert.equal(d.ranking.indicators.strongest.length, 3);
  assert.ok(d.ranking.indicators.weakest.every((x) => x.code.startsWith('QS.6')), 'the weakest indicators are those of area 6');
  // self vs expert: the expert gave 4 in QS.2 and 2 elsewhere
  for (const s of d.self_vs_expert.sections) near(s.gap, W.L.EXP(s.code) - W.L.KA1(s.code), `gap ${s.code}`);
  near(d.self_vs_expert.overall.gap, W.overallOf(W.L.EXP) - W.overallOf(W.L.KA1), 'overall gap');
  assert.equal(d.self_vs_expert.basis.source, 'expert');
  // a second report of the same unit and campaign is a conflict
  const again = await api('cA1', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: CAMP.now.id } });
  assert.equal(again.status, 409);
  assert.equal(again.json.report_id, r.id);
});

test("a municipality's report: its kindergartens, parents and completion as on the dashboards", async () => {
  const r = expect(await api('mA', 'POST', '/units/{id}/reports', { id: U.MA.id, q: { campaign: CAMP.now.id } }), 201, 'create');
  R.MA = r;
  await assertSameAsDashboards('mA', 'MA', r.data);
  near(r.data.overall.unit.mean, (W.overallOf(W.L.KA1) + W.overallOf(W.L.KA2)) / 2, 'MA: mean over its kindergartens');
  assert.deepEqual(r.data.children.items.map((i) => i.id), [U.KA1.id, U.KA2.id]);
  assert.equal(r.data.ranking.sections.strongest[0].code !== 'QS.6', true);
});

test('who may do what: the author writes, another municipality 404, a teacher 403, a draft is not shown above', async () => {
  const id = R.KA1.id;
  // the draft is the kindergarten's own: the municipality does not see it yet
  assert.equal((await api('mA', 'GET', '/reports/{id}', { id })).status, 404);
  assert.equal((await api('mB', 'GET', '/reports/{id}', { id })).status, 404);
  assert.equal((await api('teacher', 'GET', '/reports/{id}', { id })).status, 403);
  assert.equal((await api('tA1', 'GET', '/reports', {})).status, 403);
  assert.equal((await api('tA1', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: CAMP.now.id } })).status, 403);
  // only the unit's own coordinator starts its report
  assert.equal((await api('mA', 'POST', '/units/{id}/reports', { id: U.KA2.id, q: { campaign: CAMP.now.id } })).status, 403);
  assert.equal((await api('mB', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: CAMP.now.id } })).status, 404);
  assert.equal((await api('cA1', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: 987654321 } })).status, 404);
  assert.equal((await api('cA1', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: 'x' } })).status, 422);
  // texts: bad input 422, another's report 404
  assert.equal((await api('cA1', 'PATCH', '/reports/{id}', { id, json: { intro: 5 } })).status, 422);
  assert.equal((await api('cA1', 'PATCH', '/reports/{id}', { id, json: {} })).status, 422);
  assert.equal((await api('cA1', 'PATCH', '/reports/{id}', { id, json: { intro: 'x'.repeat(20001) } })).status, 422);
  assert.equal((await api('cB1', 'PATCH', '/reports/{id}', { id, json: { intro: 'чужая' } })).status, 404);
  const list = expect(await api('mA', 'GET', '/reports', { q: { campaign: CAMP.now.id } }), 200, 'list of mA');
  assert.deepEqual(list.items.map((x) => x.id), [R.MA.id], "the municipality's list: its own, not the kindergarten's draft");
  assert.equal((await api('mA', 'GET', '/reports', { q: { status: 'bogus' } })).status, 400);
});

test('workflow: draft → sent → returned → sent → published, audit rows, figures kept as published', async () => {
  const id = R.KA1.id;
  let r = expect(await api('cA1', 'PATCH', '/reports/{id}', { id, json: { intro: 'Введение: мониторинг проведён.', conclusions: 'Выводы.', version: R.KA1.version } }), 200, 'texts');
  assert.equal(r.intro, 'Введение: мониторинг проведён.');
  assert.equal((await api('cA1', 'PATCH', '/reports/{id}', { id, json: { measures: 'M', version: 1 } })).status, 409, 'a stale version');
  assert.equal((await api('cA1', 'POST', '/reports/{id}/publish', { id })).status, 403, 'the author does not publish');
  r = expect(await api('cA1', 'POST', '/reports/{id}/send', { id }), 200, 'send');
  assert.equal(r.status, 'sent');
  assert.ok(r.sent_at);
  assert.equal((await api('cA1', 'PATCH', '/reports/{id}', { id, json: { intro: 'поздно' } })).status, 409, 'sent: no edits');
  assert.equal((await api('cA1', 'POST', '/reports/{id}/send', { id })).status, 409, 'sent twice');
  // the municipality sees it now, returns it with a comment
  r = expect(await api('mA', 'GET', '/reports/{id}', { id }), 200, 'mA reads');
  assert.deepEqual(r.can, { edit: false, send: false, publish: true, return: true });
  assert.equal((await api('mA', 'POST', '/reports/{id}/return', { id, json: {} })).status, 422, 'a return needs a comment');
  assert.equal((await api('mB', 'POST', '/reports/{id}/return', { id, json: { comment: 'x' } })).status, 404);
  r = expect(await api('mA', 'POST', '/reports/{id}/return', { id, json: { comment: 'Добавьте меры по области 6' } }), 200, 'return');
  assert.equal(r.status, 'returned');
  assert.equal(r.return_comment, 'Добавьте меры по области 6');
  r = expect(await api('cA1', 'PATCH', '/reports/{id}', { id, json: { measures: 'Пополнить РППС.' } }), 200, 'edit after the return');
  expect(await api('cA1', 'POST', '/reports/{id}/send', { id }), 200, 'send again');
  r = expect(await api('mA', 'POST', '/reports/{id}/publish', { id }), 200, 'publish');
  assert.equal(r.status, 'published');
  assert.ok(r.published_at);
  const published = r.data;
  // the figures stay as published when the sheets change
  await query(`UPDATE org_units SET name = CONCAT(name, ' (переименован)') WHERE id = ${Number(U.KA1.id)}`);
  r = expect(await api('cA1', 'GET', '/reports/{id}', { id }), 200, 'read the published report');
  assert.deepEqual(r.data, published, 'the snapshot');
  assert.equal(r.data.unit.name, U.KA1.name);
  await query(`UPDATE org_units SET name = ${JSON.stringify(U.KA1.name)} WHERE id = ${Number(U.KA1.id)}`);
  const audit = await query(`SELECT action FROM audit_log WHERE entity = 'analytic_report' AND entity_id = ${Number(id)} ORDER BY id`);
  assert.deepEqual(audit.map((a) => a[0]), ['report.create', 'report.update', 'report.send', 'report.return', 'report.update', 'report.send', 'report.publish']);
  // published: the level above may still return it; the kindergarten lists it
  const list = expect(await api('cA1', 'GET', '/reports', { q: { campaign: CAMP.now.id } }), 200, 'list');
  assert.deepEqual(list.items.map((x) => [x.id, x.status]), [[id, 'published']]);
  assert.equal(list.items[0].data, undefined, 'the list has no figures');
});

test("the region's report is published by its own coordinator; a municipality's report is sent to the region", async () => {
  const r = expect(await api('region', 'POST', '/units/{id}/reports', { id: W.REGION, q: { campaign: CAMP.now.id } }), 201, 'region report');
  assert.deepEqual(r.can, { edit: true, send: false, publish: true, return: false });
  assert.equal((await api('region', 'POST', '/reports/{id}/send', { id: r.id })).status, 409);
  const p = expect(await api('region', 'POST', '/reports/{id}/publish', { id: r.id }), 200, 'publish');
  assert.equal(p.status, 'published');
  expect(await api('mA', 'POST', '/reports/{id}/send', { id: R.MA.id }), 200, 'MA sends');
  assert.equal((await api('mA', 'POST', '/reports/{id}/publish', { id: R.MA.id })).status, 403, 'not its own');
  const m = expect(await api('region', 'POST', '/reports/{id}/publish', { id: R.MA.id }), 200, 'the region publishes MA');
  assert.equal(m.status, 'published');
});
