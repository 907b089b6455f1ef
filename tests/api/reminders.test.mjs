// Reminders of the plan-schedule (docs/api-notifications.md): `vsokd remind` writes a
// notification when a stage has opened and when its deadline is 3 days or 1 day away, to the
// stage's respondents in the kindergartens taking part, the deadline one only to those who
// have not submitted; each once, however often it runs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { show, login } from './lib.mjs';
import { DEMO_LOGIN, get, post, patch, ok } from './fixtures-org.mjs';
import { vsokd } from './fixtures-cli.mjs';

const RUN = `r${Date.now().toString(36)}`;
const S = {};
let campaign;
let qs;
let respondents; // of the stage, from the template
const day = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  for (const l of ['region', 'doo', 'doo2', 'doo3']) S[l] = await login(l);
  S.teacher = await login(DEMO_LOGIN.teacher);
  qs = ok(await get('/instruments', S.region.token), 200, 'instruments').items.find((i) => i.code === 'QS');
  const tpl = ok(await get(`/campaigns/template?year=${day(0).slice(0, 4)}`, S.region.token), 200, 'template');
  const st = tpl.stages.find((x) => x.kind === 'kindergarten_self');
  assert.ok(st?.instrument, 'the template has the kindergarten self-assessment on an instrument');
  respondents = String(st.respondents).split(',');
  assert.ok(respondents.includes('doo_coordinator'), st.respondents);
  const body = {
    title: `Напоминания ${RUN}`,
    year: Number(day(0).slice(0, 4)),
    stages: [{ kind: st.kind, instrument_id: st.instrument.id, respondents: st.respondents, target_level: st.target_level, opens_on: day(0), closes_on: day(3) }],
    participation: 'sample',
    sample_ids: [S.doo.user.org_unit.id, S.doo2.user.org_unit.id],
  };
  campaign = ok(await post('/campaigns', body, S.region.token), 201, 'campaign');
});

const mine = async (who) => ok(await get('/me/notifications?limit=200', S[who].token), 200, 'list').items.filter((n) => n.link === '/calendar' && n.body?.includes(RUN));

test('a stage that opened today reminds its respondents in the sample; 3 days before the deadline only those who have not submitted', async () => {
  // The second kindergarten submits its self-assessment before the run.
  const kg2 = S.doo2.user.org_unit.id;
  const sheet = ok(await post('/submissions', { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: kg2 }, S.doo2.token), 201, 'sheet');
  const def = ok(await get(`/instruments/${qs.id}`, S.doo2.token), 200, 'definition').definition;
  const answers = {};
  for (const s of def.sections) for (const ind of s.indicators) for (const it of ind.items) if (it.type === 'check') answers[it.code] = 'met';
  const saved = ok(await patch(`/submissions/${sheet.id}`, { base_version: sheet.version, answers }, S.doo2.token), 200, 'save');
  ok(await post(`/submissions/${sheet.id}/submit`, { base_version: saved.version }, S.doo2.token), 200, 'submit');

  const run = await vsokd(['remind']);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /[1-9]\d* reminder\(s\) written/);

  const doo = await mine('doo');
  assert.deepEqual(doo.map((n) => n.kind).sort(), ['deadline', 'stage_open']);
  const open = doo.find((n) => n.kind === 'stage_open');
  assert.match(open.title, /^Открыт этап «/);
  const dl = doo.find((n) => n.kind === 'deadline');
  assert.match(dl.title, /осталось 3 дня$/);
  const ru = day(3).split('-').reverse().join('.');
  assert.ok(dl.body.includes(ru), `${dl.body} names the deadline ${ru}`);

  // submitted: the opening, not the deadline
  assert.deepEqual((await mine('doo2')).map((n) => n.kind), ['stage_open']);
  // outside the sample: nothing
  assert.deepEqual(await mine('doo3'), []);
  // a teacher of a kindergarten in the sample hears of it when teachers fill this stage
  assert.deepEqual((await mine('teacher')).map((n) => n.kind).sort(), respondents.includes('teacher') ? ['deadline', 'stage_open'] : []);
});

test('running again writes nothing new', async () => {
  const before = (await mine('doo')).length;
  const run = await vsokd(['remind']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await mine('doo')).length, before);
});

test('the last day: 1 day before the deadline a new reminder, once', async () => {
  // Move the stage so that its deadline is tomorrow (the stage edit API of the runners).
  const stage = campaign.stages.find((s) => s.kind === 'kindergarten_self');
  const r = await patch(`/campaigns/${campaign.id}/stages/${stage.id}`, { closes_on: day(1) }, S.region.token);
  assert.equal(r.status, 200, show(r));
  assert.equal((await vsokd(['remind'])).code, 0);
  assert.equal((await vsokd(['remind'])).code, 0);
  const last = (await mine('doo')).filter((n) => n.kind === 'deadline' && /остался 1 день$/.test(n.title));
  assert.equal(last.length, 1);
  assert.deepEqual((await mine('doo2')).map((n) => n.kind), ['stage_open'], 'still nothing for the one who submitted');
});
