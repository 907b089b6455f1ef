// Targeted recommendations (docs/analysis.md): the region writes to a municipality and to a
// kindergarten, a municipality to its own kindergartens only; the receiver's coordinator
// turns one into a task of its improvement plan with one call; the sender follows the status
// from that task (new → accepted → done), overdue once past the due date and not done.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { show, login } from './lib.mjs';
import { RUN, DEMO_LOGIN, NO_SUCH_ID, snapshot, under, get, post, patch, ok } from './fixtures-org.mjs';
import { loadSpec } from './openapi.mjs';
import { Conformance } from './client.mjs';

const S = {};
let C;
let K; // the demo kindergarten coordinator's kindergarten
let M; // its municipality
let other; // a kindergarten of another municipality

function iso(offsetDays) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

const rec = (extra = {}) => ({
  title: `Развивающая среда ${RUN}`,
  text: 'Дополнить центры активности материалами для экспериментирования в каждой группе.',
  area: 'QS.5',
  indicator: 'QS.5.2',
  due_on: iso(60),
  ...extra,
});

async function send(who, unitId, body) {
  return C.check('post', '/units/{id}/recommendations', await post(`/units/${unitId}/recommendations`, body, S[who].token));
}
async function list(who, q = '') {
  return ok(C.check('get', '/recommendations', await get(`/recommendations${q}`, S[who].token)), 200, `list ${q}`);
}

before(async () => {
  C = new Conformance(loadSpec());
  for (const role of ['administrator', 'region_coordinator', 'municipal_coordinator', 'doo_coordinator', 'teacher', 'expert']) {
    S[role] = await login(DEMO_LOGIN[role]);
  }
  const snap = await snapshot();
  K = snap.units.get(S.doo_coordinator.user.org_unit.id);
  M = snap.units.get(K.parent_id);
  assert.equal(M.id, S.municipal_coordinator.user.org_unit.id, 'demo: the municipal coordinator runs the kindergarten’s municipality');
  other = [...snap.units.values()].find((u) => u.level === 'kindergarten' && u.active && !under(u.path, M.path));
  assert.ok(other, 'demo: a kindergarten of another municipality');
});

test('the region writes to a municipality and to a kindergarten; a municipality to its own kindergartens only', async () => {
  const toM = ok(await send('region_coordinator', M.id, rec({ title: `Муниципалитету ${RUN}` })), 201, 'region → municipality');
  assert.deepEqual(
    [toM.sender.level, toM.receiver.id, toM.receiver.level, toM.status, toM.overdue, toM.plan_task, toM.indicator, toM.area],
    ['region', M.id, 'municipality', 'new', false, null, 'QS.5.2', 'QS.5'],
  );
  const toK = ok(await send('region_coordinator', K.id, rec({ title: `Руководителю ДОО ${RUN}` })), 201, 'region → kindergarten');
  assert.equal(toK.receiver.level, 'kindergarten');
  const fromM = ok(await send('municipal_coordinator', K.id, rec({ title: `От муниципалитета ${RUN}` })), 201, 'municipality → its kindergarten');
  assert.deepEqual([fromM.sender.id, fromM.sender.level], [M.id, 'municipality']);

  // outside the municipality's scope: not found; to itself or upwards: refused
  assert.equal((await send('municipal_coordinator', other.id, rec())).status, 404);
  const self = await send('municipal_coordinator', M.id, rec());
  assert.equal(self.status, 422, show(self));
  assert.equal(self.json.type.endsWith('recommendation-receiver'), true, show(self));
  assert.equal((await send('region_coordinator', S.region_coordinator.user.org_unit.id, rec())).status, 422);
  // kindergarten coordinators, teachers and experts do not send
  for (const who of ['doo_coordinator', 'teacher', 'expert']) assert.equal((await send(who, K.id, rec())).status, 403, who);
  // bad fields
  const bad = await send('region_coordinator', K.id, { title: ' ', due_on: '2026-13-40', indicator: 'не код', campaign_id: NO_SUCH_ID });
  assert.equal(bad.status, 422, show(bad));
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['due_on', 'indicator', 'text', 'title']);
  const noCampaign = await send('region_coordinator', K.id, rec({ campaign_id: NO_SUCH_ID }));
  assert.equal(noCampaign.status, 422, show(noCampaign));

  // who reads what: the kindergarten receives two, the municipality sent one and sees the
  // kindergarten's, another municipality's coordinator sees none of them
  const received = await list('doo_coordinator', '?box=received');
  const ids = received.items.map((r) => r.id);
  assert.ok(ids.includes(toK.id) && ids.includes(fromM.id) && !ids.includes(toM.id), JSON.stringify(ids));
  assert.ok(received.items.every((r) => r.receiver.id === K.id));
  const sent = await list('municipal_coordinator', '?box=sent');
  assert.ok(sent.items.some((r) => r.id === fromM.id) && sent.items.every((r) => r.sender.id === M.id));
  const mAll = (await list('municipal_coordinator')).items.map((r) => r.id);
  assert.ok([toM.id, toK.id, fromM.id].every((id) => mAll.includes(id)), 'the municipality sees what its kindergarten received');
  const regionSent = await list('region_coordinator', '?box=sent');
  assert.ok(regionSent.items.some((r) => r.id === toM.id) && !regionSent.items.some((r) => r.id === fromM.id));
  assert.equal((await get('/recommendations?box=inbox', S.region_coordinator.token)).status, 400);
  assert.equal((await get('/recommendations', S.teacher.token)).status, 403);
});

test('the receiver makes a plan task in one call; the sender follows it to done', async () => {
  const r = ok(await send('municipal_coordinator', K.id, rec({ title: `В план ${RUN}`, due_on: iso(45) })), 201, 'send');
  // only the receiver's own coordinator takes it into a plan
  const byM = await post(`/recommendations/${r.id}/plan-task`, { responsible: 'Заведующий' }, S.municipal_coordinator.token);
  assert.equal(byM.status, 403, show(byM));
  const missing = await post(`/recommendations/${r.id}/plan-task`, {}, S.doo_coordinator.token);
  assert.equal(missing.status, 422, show(missing));
  assert.equal((await post(`/recommendations/${NO_SUCH_ID}/plan-task`, { responsible: 'x' }, S.doo_coordinator.token)).status, 404);

  const taken = C.check('post', '/recommendations/{id}/plan-task',
    await post(`/recommendations/${r.id}/plan-task`, { responsible: 'Старший воспитатель Иванова' }, S.doo_coordinator.token));
  const accepted = ok(taken, 201, 'plan task');
  assert.equal(accepted.status, 'accepted');
  assert.equal(accepted.plan_task.status, 'planned');
  assert.ok(accepted.accepted_at);

  // the task is in the kindergarten's plan, linked, with the recommendation's indicator and due date
  const plan = ok(await get(`/units/${K.id}/plan`, S.doo_coordinator.token), 200, 'plan');
  const task = plan.items.find((t) => t.id === accepted.plan_task.id);
  assert.ok(task, 'the task is in the plan');
  assert.deepEqual([task.recommendation_id, task.indicator, task.due_on, task.responsible], [r.id, 'QS.5.2', r.due_on, 'Старший воспитатель Иванова']);
  assert.ok(task.action.startsWith(`В план ${RUN}`), task.action);

  const again = await post(`/recommendations/${r.id}/plan-task`, { responsible: 'Заведующий' }, S.doo_coordinator.token);
  assert.equal(again.status, 409, show(again));
  assert.equal(again.json.current.status, 'accepted');

  const sentView = async () => (await list('municipal_coordinator', '?box=sent')).items.find((x) => x.id === r.id);
  assert.equal((await sentView()).status, 'accepted', 'the sender sees it taken into the plan');
  ok(await patch(`/units/${K.id}/plan/${task.id}`, { status: 'done', result: 'Центры пополнены' }, S.doo_coordinator.token), 200, 'task done');
  const done = await sentView();
  assert.deepEqual([done.status, done.plan_task.status], ['done', 'done']);
  const onlyDone = await list('municipal_coordinator', '?box=sent&status=done');
  assert.ok(onlyDone.items.some((x) => x.id === r.id) && onlyDone.items.every((x) => x.status === 'done'));

  // a cancelled task gives the recommendation back as new, and it can be taken again
  const r2 = ok(await send('municipal_coordinator', K.id, rec({ title: `Отменённая ${RUN}` })), 201, 'send 2');
  const t2 = ok(await post(`/recommendations/${r2.id}/plan-task`, { responsible: 'Заведующий', action: 'Своё мероприятие', due_on: iso(10) }, S.doo_coordinator.token), 201, 'take 2');
  const task2 = ok(await get(`/units/${K.id}/plan`, S.doo_coordinator.token), 200, 'plan').items.find((t) => t.id === t2.plan_task.id);
  assert.deepEqual([task2.action, task2.due_on], ['Своё мероприятие', iso(10)]);
  ok(await patch(`/units/${K.id}/plan/${task2.id}`, { status: 'cancelled' }, S.doo_coordinator.token), 200, 'cancel');
  assert.equal((await list("municipal_coordinator", "?box=sent")).items.find((x) => x.id === r2.id).status, "new");
  ok(await post(`/recommendations/${r2.id}/plan-task`, { responsible: 'Заведующий' }, S.doo_coordinator.token), 201, 'taken again');

  const audit = ok(await get(`/audit?entity=recommendation&entity_id=${r.id}`, S.municipal_coordinator.token), 200, 'audit');
  assert.deepEqual(audit.items.map((a) => a.action).sort(), ['recommendation.accept', 'recommendation.create']);
});

test('overdue: past the due date and not done; the filter and the counts follow it', async () => {
  const late = ok(await send('region_coordinator', M.id, rec({ title: `Просрочена ${RUN}`, due_on: iso(-1) })), 201, 'late');
  const today = ok(await send('region_coordinator', M.id, rec({ title: `Сегодня ${RUN}`, due_on: iso(0) })), 201, 'today');
  assert.deepEqual([late.overdue, today.overdue], [true, false]);
  const lateDone = ok(await send('region_coordinator', M.id, rec({ title: `Выполнена ${RUN}`, due_on: iso(-3) })), 201, 'late, then done');
  const taken = ok(await post(`/recommendations/${lateDone.id}/plan-task`, { responsible: 'Начальник отдела' }, S.municipal_coordinator.token), 201, 'municipality takes it');
  assert.equal(taken.overdue, true, 'accepted but not done: still overdue');
  ok(await patch(`/units/${M.id}/plan/${taken.plan_task.id}`, { status: 'done' }, S.municipal_coordinator.token), 200, 'done');

  const overdue = await list('region_coordinator', '?box=sent&overdue=1');
  const oids = overdue.items.map((x) => x.id);
  assert.ok(oids.includes(late.id) && !oids.includes(today.id) && !oids.includes(lateDone.id), JSON.stringify(oids));
  assert.ok(overdue.items.every((x) => x.overdue && x.status !== 'done'));
  const all = await list('region_coordinator', '?box=sent');
  for (const s of ['new', 'accepted', 'done']) assert.equal(all.counts[s], all.items.filter((x) => x.status === s).length, s);
  assert.equal(all.counts.overdue, all.items.filter((x) => x.overdue).length);
  const dates = all.items.map((x) => x.due_on);
  assert.deepEqual(dates, [...dates].sort(), 'by due date');
});

test('every answer matches openapi.yaml', () => {
  assert.ok(C.checked > 10);
  assert.deepEqual(C.mismatches, []);
});
