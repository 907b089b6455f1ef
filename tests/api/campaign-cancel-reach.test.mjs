// A cancelled campaign leaves every list that asks people to act on it (docs/api-campaigns.md,
// "Cancelling a campaign"): the expert's task list, the parents' survey links (listed no more,
// and a link already handed out takes no answers), and the improvement plan (its tasks
// hidden, no new task may name it). The same lists show the campaign before the cancel, so
// each assertion fails without the filter.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { login, show } from './lib.mjs';
import { DEMO_LOGIN } from './fixtures-org.mjs';
import { isoDay } from './fixtures-forms.mjs';
import { apiClient, expect } from './client.mjs';

const RUN = Date.now() % 1000000;
const S = {};
const { api, pub } = apiClient({ tokens: S });
const call = (who, method, path, json) => api(who, method, path, { json });

before(async () => {
  for (const role of ['region_coordinator', 'doo_coordinator', 'expert']) S[role] = await login(DEMO_LOGIN[role]);
});

test('a cancelled campaign leaves the expert tasks, the survey links and the plan', async () => {
  const year = Number(isoDay(0).slice(0, 4));
  const tpl = expect(await call('region_coordinator', 'GET', `/campaigns/template?year=${year}`), 200, 'template');
  const stage = (kind) => {
    const s = tpl.stages.find((x) => x.kind === kind);
    assert.ok(s?.instrument, `the template has a ${kind} stage with an instrument`);
    return { kind, instrument_id: s.instrument.id, respondents: s.respondents, target_level: s.target_level, opens_on: isoDay(-1), closes_on: isoDay(20) };
  };
  const camp = expect(
    await call('region_coordinator', 'POST', '/campaigns', {
      title: `Отменяемая ${RUN}`,
      year,
      stages: [stage('kindergarten_self'), stage('parent_survey'), stage('expert_remote')],
    }),
    201,
    'campaign',
  );
  const K = S.doo_coordinator.user.org_unit.id;

  const tasks = async () =>
    expect(await call('expert', 'GET', '/me/expert-tasks'), 200, 'expert tasks').items.flatMap((k) => k.campaigns.map((c) => c.campaign?.id ?? c.id));
  assert.ok((await tasks()).includes(camp.id), 'the expert sees the campaign before the cancel');

  const links = expect(await call('doo_coordinator', 'POST', `/units/${K}/survey-links`, { campaign_id: camp.id }), 201, 'links');
  const token = links.items.find((l) => l.campaign?.id === camp.id)?.token;
  assert.ok(token, `a link of the campaign: ${JSON.stringify(links).slice(0, 300)}`);
  const linked = async () =>
    expect(await call('doo_coordinator', 'GET', `/units/${K}/survey-links`), 200, 'links list').items.some((l) => l.campaign?.id === camp.id);
  assert.ok(await linked(), 'listed before the cancel');
  expect(await pub('GET', '/public/surveys/{token}', token), 200, 'the public link is open before the cancel');

  const task = { action: `Обсудить итоги ${RUN}`, responsible: 'Заведующий', due_on: isoDay(30), campaign_id: camp.id };
  const made = expect(await call('doo_coordinator', 'POST', `/units/${K}/plan`, task), 201, 'plan task');
  const planned = async () => expect(await call('doo_coordinator', 'GET', `/units/${K}/plan`), 200, 'plan').items.some((t) => t.id === made.id);
  assert.ok(await planned(), 'planned before the cancel');

  expect(await call('region_coordinator', 'POST', `/campaigns/${camp.id}/cancel`, { reason: `ошибка ${RUN}` }), 200, 'cancel');

  assert.equal((await tasks()).includes(camp.id), false, 'gone from the expert tasks');
  assert.equal(await linked(), false, 'gone from the survey links');
  const after = await pub('GET', '/public/surveys/{token}', token);
  assert.ok(after.status >= 400 && after.status < 500, `the link is closed: ${show(after)}`);
  const answer = await pub('POST', '/public/surveys/{token}/responses', token, { json: { answers: {} } });
  assert.ok(answer.status >= 400 && answer.status < 500, `an answer is refused: ${show(answer)}`);
  assert.equal(await planned(), false, 'its plan tasks are hidden');
  const refused = await call('doo_coordinator', 'POST', `/units/${K}/plan`, task);
  assert.equal(refused.status, 422, `no new task names it: ${show(refused)}`);
  assert.deepEqual(refused.json.errors.map((e) => e.field), ['campaign_id']);
});
