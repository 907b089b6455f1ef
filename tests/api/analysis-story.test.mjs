// The analysis stage as one story (docs/analysis.md), on the data set of fixtures-analysis.mjs:
// collection (KA1's self-assessment approved by its municipality, the expert's sheet in) →
// the expert's report made final → sign-off by the kindergarten's results' three levels (the
// kindergarten's approved sheets, then the municipality, then the region) → the region's
// status bands and KA1's status → KA1's analytic report with the dashboards' numbers, sent
// and published → a recommendation on the report's weakest area → the kindergarten's plan
// task → the region follows it to done. Each step reads what the step before changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeWorld } from './fixtures-analysis.mjs';

const W = makeWorld('story');
const { api, expect, U } = W;
const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);

before(async () => {
  await W.setup();
});
after(async () => {
  await W.teardown();
});

test('collection → sign-off by three levels → status → report with the dashboards’ numbers → recommendation → plan task', async () => {
  const camp = W.CAMP.now;
  const KA1 = U.KA1.id;
  const signoff = (who) => api(who, 'GET', '/units/{id}/signoff', { id: KA1, q: { campaign_id: camp.id } });
  const confirm = (who) => api(who, 'POST', '/units/{id}/signoff/confirm', { id: KA1, json: { campaign_id: camp.id } });

  // collection is in, but the expert's report is not final: nobody may confirm yet
  let s = expect(await signoff('mA'), 200, 'sign-off before the expert’s report');
  assert.equal(s.state, 'not_ready');
  assert.equal(s.readiness.sheets_approved >= 1, true, 'the kindergarten level: its sheets approved');
  expect(await confirm('mA'), 409, 'confirm before the report is final');
  const rep = expect(await api('eA', 'POST', '/expert-reports', { json: { campaign_id: camp.id, kindergarten_id: KA1 } }), 201, 'expert report');
  expect(await api('eA', 'PATCH', '/expert-reports/{id}', { id: rep.id, json: { summary: 'Выводы эксперта' } }), 200, 'report text');
  expect(await api('eA', 'POST', '/expert-reports/{id}/send', { id: rep.id }), 200, 'report sent');
  expect(await api('eA', 'POST', '/expert-reports/{id}/finalise', { id: rep.id, json: {} }), 200, 'report final');

  // the municipality confirms, then the region; the dashboards' confirmed figures follow
  s = expect(await signoff('mA'), 200, 'ready');
  assert.deepEqual([s.state, s.waiting_for], ['awaiting', 'municipality']);
  expect(await confirm('region'), 409, 'the region before the municipality');
  expect(await confirm('mA'), 200, 'the municipality confirms');
  s = expect(await signoff('region'), 200, 'waiting for the region');
  assert.equal(s.waiting_for, 'region');
  const unconfirmed = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: U.MA.id, q: { campaign: camp.id, confirmed: 1 } }), 200, 'confirmed only, before the region');
  assert.equal(unconfirmed.total.results.n, 0, 'not confirmed at the top level yet');
  expect(await confirm('region'), 200, 'the region confirms');
  s = expect(await signoff('cA1'), 200, 'the kindergarten sees it');
  assert.equal(s.state, 'confirmed');
  const confirmed = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: U.MA.id, q: { campaign: camp.id, confirmed: 1 } }), 200, 'confirmed only');
  assert.equal(confirmed.total.results.n, 1, 'KA1 alone is confirmed (KA2 is not)');
  near(confirmed.total.results.overall, W.overallOf(W.L.KA1), 'the municipality’s confirmed figure is KA1’s 25/9');

  // the region's bands: KA1's 25/9 (shown 2,8) is «Базовый»; the region assigns it
  const bands = [{ name: 'Высокий', min_overall: 3.5 }, { name: 'Базовый', min_overall: 2 }, { name: 'Ниже базового' }];
  expect(await api('region', 'PUT', '/campaigns/{id}/status-bands', { id: camp.id, json: { source: 'self', bands } }), 200, 'bands');
  const st = expect(await api('region', 'GET', '/units/{id}/status', { id: KA1, q: { campaign_id: camp.id } }), 200, 'status');
  near(st.figures.overall, W.overallOf(W.L.KA1), 'the status reads the dashboards’ figure');
  assert.equal(st.proposed, 'Базовый');
  expect(await api('region', 'PUT', '/units/{id}/status', { id: KA1, json: { campaign_id: camp.id, status: 'Базовый' } }), 200, 'assigned');
  const kids = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: U.MA.id, q: { campaign: camp.id } }), 200, 'children');
  assert.equal(kids.items.find((i) => i.id === KA1).status, 'Базовый', 'the status in the dashboard');

  // KA1's report: the breakdown's numbers, sent up and published by the municipality
  const report = expect(await api('cA1', 'POST', '/units/{id}/reports', { id: KA1, q: { campaign: camp.id } }), 201, 'report');
  const bd = expect(await api('cA1', 'GET', '/dashboards/units/{id}/breakdown', { id: KA1, q: { campaign: camp.id } }), 200, 'breakdown');
  assert.deepEqual(report.data.overall, bd.overall, 'the report’s overall is the dashboard’s');
  assert.deepEqual(report.data.sections, bd.sections, 'and so are its areas');
  assert.equal(report.data.status, 'Базовый', 'the report names the kindergarten’s status');
  const weakest = report.data.ranking.sections.weakest[0];
  assert.equal(weakest.code, 'QS.6', 'the weakest area by hand: QS.6 at level 1');
  expect(await api('cA1', 'POST', '/reports/{id}/send', { id: report.id }), 200, 'sent');
  const published = expect(await api('mA', 'POST', '/reports/{id}/publish', { id: report.id }), 200, 'published');
  assert.equal(published.status, 'published');

  // the region recommends on the weakest area; KA1 takes it into its plan and does it
  const rec = expect(
    await api('region', 'POST', '/units/{id}/recommendations', {
      id: KA1,
      json: { title: `Область ${weakest.code} ${W.RUN}`, text: 'Разработать план развития по слабой области.', area: weakest.code, due_on: '2099-06-01', campaign_id: camp.id },
    }),
    201,
    'recommendation',
  );
  assert.equal(rec.status, 'new');
  const taken = expect(await api('cA1', 'POST', '/recommendations/{id}/plan-task', { id: rec.id, json: { responsible: 'Заведующий' } }), 201, 'into the plan');
  const sent = async () =>
    expect(await api('region', 'GET', '/recommendations', { q: { box: 'sent' } }), 200, 'sent box').items.find((x) => x.id === rec.id);
  assert.equal((await sent()).status, 'accepted', 'the region sees it taken into the plan');
  const plan = expect(await api('cA1', 'GET', '/units/{id}/plan', { id: KA1 }), 200, 'plan');
  const task = plan.items.find((t) => t.id === taken.plan_task.id);
  assert.equal(task.recommendation_id, rec.id, 'the plan task names the recommendation');
  expect(await api('cA1', 'PATCH', '/units/{id}/plan/{task_id}', { id: KA1, params: { task_id: task.id }, json: { status: 'done', result: 'План развития утверждён', version: task.version } }), 200, 'done');
  assert.equal((await sent()).status, 'done', 'the region follows it to done');
});
