// Campaign stages and the plan-schedule (docs/api-campaigns.md): the template of the yearly
// stages; a campaign created with stages; the windows enforced on every write of a sheet
// (before → refused, during → accepted, after → refused, reopened for one kindergarten →
// accepted for it only and until its date); participation: all, chosen ids, a drawn sample
// (deterministic for a seed, stratified by municipality, at least one each), kindergartens
// outside the sample refused, changes refused once the first stage opened; municipal
// internal deadlines (inside the window, only by the municipality's own coordinator); the
// calendar of a teacher and of a coordinator, the units late for a stage; the iCalendar
// feed (parsed: lines, folding, escaping), a wrong token 404, rotation.
// Campaigns are made with dates relative to today; moving a stage into the past uses the
// stage edit API, and only expiring a reopening needs SQL (no API moves it backwards).
// Every response is checked against backend/openapi.yaml (reported by the last test).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, assertProblem, show, runTag } from './lib.mjs';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay, itemsOf, isRequired } from './fixtures-forms.mjs';

const RUN = runTag('s');
const LOGINS = ['admin', 'region', 'municipal', 'municipal2', 'doo', 'doo2', 'teacher', 'teacher2', 'teacher3', 'expert'];
const YEAR = Number(isoDay(0).slice(0, 4));

const C = new Conformance(loadSpec());
const T = {}; // login -> { token, user }
const { api } = apiClient({ tokens: T, conformance: C });
const INS = {}; // code -> published instrument meta
let KGS = []; // [{id, name, municipality_id}] active kindergartens of the demo region

const ru = (iso) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** Stage objects of the template with dates moved to `days` (kind -> [opens, closes] in days from today). */
async function stagesFrom(days) {
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR } }), 200, 'template');
  return tpl.stages
    .filter((s) => days[s.kind])
    .map((s) => ({
      kind: s.kind,
      instrument_id: s.instrument ? s.instrument.id : null,
      respondents: s.respondents,
      target_level: s.target_level,
      opens_on: isoDay(days[s.kind][0]),
      closes_on: isoDay(days[s.kind][1]),
    }));
}

async function campaign(name, days, extra = {}) {
  const body = { title: `План ${RUN} ${name}`, year: YEAR, stages: await stagesFrom(days), ...extra };
  return expect(await api('region', 'POST', '/campaigns', { json: body }), 201, `campaign ${name}`);
}

const stageOf = (c, kind) => c.stages.find((s) => s.kind === kind);
const startSheet = (who, c, code, target) =>
  api(who, 'POST', '/submissions', { json: { campaign_id: c.id, instrument_id: INS[code].id, ...(target ? { target_unit_id: target } : {}) } });

before(async () => {
  for (const l of LOGINS) {
    const s = await login(l);
    T[l] = { token: s.token, user: s.user };
  }
  const list = expect(await api('admin', 'GET', '/instruments'), 200, 'instruments');
  for (const i of list.items) INS[i.code] = i;
  const rows = await query(
    "SELECT k.id, k.name, k.parent_id FROM org_units k JOIN org_units m ON m.id = k.parent_id WHERE k.level = 'kindergarten' AND k.active = 1 AND m.level = 'municipality'",
  );
  KGS = rows.map(([id, name, m]) => ({ id: Number(id), name, municipality_id: Number(m) }));
  assert.ok(KGS.length >= 10, 'demo: the region has kindergartens');
});

// ---------------------------------------------------------------------------------------
// Template and creation

test('template: the stages of the yearly cycle with fitting instruments, respondents and dates in the Oct–Dec season', async () => {
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR + 1 } }), 200, 'template');
  assert.equal(tpl.year, YEAR + 1);
  const kinds = tpl.stages.map((s) => s.kind);
  assert.deepEqual(kinds, ['programme_self', 'teacher_self', 'kindergarten_self', 'parent_survey', 'expert_remote', 'expert_onsite', 'final_reports']);
  const code = Object.fromEntries(tpl.stages.map((s) => [s.kind, s.instrument?.code ?? null]));
  assert.equal(code.teacher_self, 'TSA');
  assert.equal(code.kindergarten_self, 'QS');
  assert.equal(code.parent_survey, 'PQ');
  assert.equal(code.final_reports, null);
  for (const s of tpl.stages) {
    assert.ok(s.title.length > 3, s.kind);
    assert.ok(s.respondents.length >= 1, s.kind);
    assert.ok(s.opens_on <= s.closes_on, `${s.kind}: ${s.opens_on}..${s.closes_on}`);
    assert.ok(s.opens_on >= `${YEAR + 1}-10-01` && s.closes_on <= `${YEAR + 1}-12-31`, `${s.kind} inside the season`);
    if (s.instrument) {
      const meta = INS[s.instrument.code];
      assert.equal(s.instrument.id, meta.id, 'the latest published version');
      for (const r of s.respondents) assert.ok(meta.respondents.includes(r), `${s.kind}: ${r} fills ${meta.code}`);
    }
  }
  expectProblem(await api('region', 'GET', '/campaigns/template', { q: { year: 'abc' } }), 422, 'validation', 'a bad year');
  expectProblem(await api('teacher', 'GET', '/campaigns/template', { q: { year: YEAR } }), 403, null, 'a teacher asks for the template');
});

test('creation with stages: the campaign window spans them, instruments come from them; bad stages are 422 by field', async () => {
  const c = await campaign('span', { teacher_self: [-2, 5], expert_remote: [3, 9], final_reports: [10, 12] });
  assert.equal(c.opens_on, isoDay(-2));
  assert.equal(c.closes_on, isoDay(12));
  assert.deepEqual(c.stages.map((s) => s.kind), ['teacher_self', 'expert_remote', 'final_reports']);
  assert.deepEqual(c.instruments.map((i) => i.code).sort(), ['QS', 'TSA']);
  assert.equal(stageOf(c, 'teacher_self').open, true);
  assert.equal(stageOf(c, 'expert_remote').open, false);
  assert.equal(c.participation.mode, 'all');
  assert.equal(c.participation.count, KGS.length);

  const base = await stagesFrom({ teacher_self: [0, 5], kindergarten_self: [0, 5] });
  const bad = async (stages, field, what) => {
    const p = expectProblem(await api('region', 'POST', '/campaigns', { json: { title: `x ${RUN}`, year: YEAR, stages } }), 422, 'validation', what);
    assert.ok(p.errors.some((e) => e.field === field), `${what}: ${JSON.stringify(p.errors)}`);
  };
  await bad([{ ...base[0], kind: 'no_such_kind' }], 'stages[0].kind', 'an unknown kind');
  await bad([base[0], { ...base[0] }], 'stages[1].kind', 'the same kind twice');
  await bad([{ ...base[0], closes_on: isoDay(-1) }], 'stages[0].closes_on', 'closing before opening');
  await bad([{ ...base[0], respondents: ['expert'] }], 'stages[0].respondents', 'a role the instrument is not filled by');
  const remote = (await stagesFrom({ expert_remote: [0, 5] }))[0];
  await bad([base[1], { ...remote, respondents: ['teacher', 'expert'] }], 'stages[1].instrument_id', 'one instrument with the same role in two stages');
  await bad([{ ...base[0], instrument_id: 999999 }], 'stages[0].instrument_id', 'an instrument that does not exist');
});

// ---------------------------------------------------------------------------------------
// Windows

test('windows: before → 409 with the dates, during → accepted, after → 409; a campaign window alone still works', async () => {
  const c = await campaign('windows', { teacher_self: [-1, 10], kindergarten_self: [3, 20], expert_remote: [-10, -1] });
  const kg = T.doo.user.org_unit.id;
  // before: the kindergarten self-assessment opens in 3 days
  const before_ = expectProblem(await startSheet('doo', c, 'QS', kg), 409, 'stage-closed', 'a sheet before its stage opens');
  assert.equal(before_.stage.kind, 'kindergarten_self');
  assert.equal(before_.stage.opens_on, isoDay(3));
  assert.ok(before_.detail.includes(ru(isoDay(3))) && before_.detail.includes(ru(isoDay(20))), `the message names the dates: ${before_.detail}`);
  assert.ok(before_.detail.includes(stageOf(c, 'kindergarten_self').title), 'and the stage');
  // after: the remote expert assessment closed yesterday
  const after_ = expectProblem(await startSheet('expert', c, 'QS', kg), 409, 'stage-closed', 'an expert sheet after its stage closed');
  assert.equal(after_.stage.closes_on, isoDay(-1));
  // during: the teacher's self-assessment
  const s = expect(await startSheet('teacher', c, 'TSA'), 201, 'a sheet during its stage');
  assert.equal(s.can_edit, true);
  const saved = expect(await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: s.id }, json: { base_version: s.version, answers: { 'TSA.1.1.1': 3 } } }), 200, 'save while open');
  // the stage is moved into the past: save and submit are refused, the sheet is read-only
  const st = stageOf(c, 'teacher_self');
  expect(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params: { id: c.id, stage_id: st.id }, json: { opens_on: isoDay(-10), closes_on: isoDay(-2) } }), 200, 'moving the stage');
  expectProblem(await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: s.id }, json: { base_version: saved.version, answers: { 'TSA.1.1.2': 3 } } }), 409, 'stage-closed', 'save after close');
  expectProblem(await api('teacher', 'POST', '/submissions/{id}/submit', { params: { id: s.id }, json: { base_version: saved.version } }), 409, 'stage-closed', 'submit after close');
  const doc = expect(await api('teacher', 'GET', '/submissions/{id}', { params: { id: s.id } }), 200, 'read after close');
  assert.equal(doc.can_edit, false);
  assert.equal(doc.campaign.open, false);
});

test('reopen for one kindergarten: accepted for it only, until its date; audited; bad reopenings 422/403', async () => {
  const c = await campaign('reopen', { teacher_self: [-10, -1] });
  const st = stageOf(c, 'teacher_self');
  const kg = T.teacher.user.org_unit.id;
  const other = T.teacher2.user.org_unit.id;
  assert.notEqual(kg, other);
  expectProblem(await startSheet('teacher', c, 'TSA'), 409, 'stage-closed', 'closed before the reopening');
  const path = '/campaigns/{id}/stages/{stage_id}/reopen';
  const params = { id: c.id, stage_id: st.id };
  const reason = `Педагог на больничном ${RUN}`;
  // bad requests
  expectProblem(await api('municipal', 'POST', path, { params, json: { kindergarten_id: kg, until: isoDay(3) } }), 422, 'validation', 'no reason');
  expectProblem(await api('municipal', 'POST', path, { params, json: { kindergarten_id: kg, until: isoDay(-1), reason } }), 422, 'validation', 'until in the past');
  expectProblem(await api('municipal2', 'POST', path, { params, json: { kindergarten_id: kg, until: isoDay(3), reason } }), 422, 'validation', 'a kindergarten outside the caller’s municipality');
  expectProblem(await api('teacher', 'POST', path, { params, json: { kindergarten_id: kg, until: isoDay(3), reason } }), 403, null, 'a teacher reopens');
  const re = expect(await api('municipal', 'POST', path, { params, json: { kindergarten_id: kg, until: isoDay(3), reason } }), 201, 'reopen');
  assert.equal(re.kindergarten.id, kg);
  assert.equal(re.until, isoDay(3));
  // accepted for that kindergarten …
  const s = expect(await startSheet('teacher', c, 'TSA'), 201, 'a sheet of the reopened kindergarten');
  const saved = expect(await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: s.id }, json: { base_version: s.version, answers: { 'TSA.1.1.1': 4 } } }), 200, 'save while reopened');
  const read = expect(await api('teacher', 'GET', '/submissions/{id}', { params: { id: s.id } }), 200, 'read while reopened');
  assert.deepEqual([read.window.stage.id, read.window.reopened_until, read.window.closes_on, read.can_edit], [st.id, isoDay(3), isoDay(-1), true]);
  // … only
  expectProblem(await startSheet('teacher2', c, 'TSA'), 409, 'stage-closed', 'another kindergarten stays closed');
  // the reopening is in the audit log with its reason
  const audit = expect(await api('admin', 'GET', '/audit', { q: { entity: 'campaign_stage', entity_id: st.id } }), 200, 'audit');
  const row = audit.items.find((a) => a.action === 'stage.reopen');
  assert.ok(row, `audit: ${JSON.stringify(audit.items)}`);
  assert.ok(JSON.stringify(row).includes(reason), 'the reason is logged');
  // until its date: once the reopening has run out, refused again
  await query(`UPDATE stage_reopenings SET until_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = ${Number(re.id)}`);
  expectProblem(await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: s.id }, json: { base_version: saved.version, answers: { 'TSA.1.1.2': 4 } } }), 409, 'stage-closed', 'save after the reopening ran out');
});

test('review follows the window: a sheet submitted while open cannot be returned once the stage closed', async () => {
  const c = await campaign('review', { teacher_self: [-1, 10] });
  const s = expect(await startSheet('teacher', c, 'TSA'), 201, 'start');
  const def = expect(await api('teacher', 'GET', `/instruments/{id}`, { params: { id: INS.TSA.id } }), 200, 'TSA').definition;
  // the teacher sheet's required items are 5-point scales and texts
  const answers = {};
  for (const { item } of itemsOf(def)) if (isRequired(item)) answers[item.code] = item.type === 'likert5' ? 3 : 'Развёрнутый ответ';
  const saved = expect(await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: s.id }, json: { base_version: s.version, answers } }), 200, 'fill');
  expect(await api('teacher', 'POST', '/submissions/{id}/submit', { params: { id: s.id }, json: { base_version: saved.version } }), 200, 'submit');
  const st = stageOf(c, 'teacher_self');
  expect(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params: { id: c.id, stage_id: st.id }, json: { opens_on: isoDay(-5), closes_on: isoDay(-1) } }), 200, 'close the stage');
  expectProblem(await api('doo', 'POST', '/submissions/{id}/return', { params: { id: s.id }, json: { comment: 'Исправьте' } }), 409, 'stage-closed', 'return after close');
});

// ---------------------------------------------------------------------------------------
// Participation

/** Expected sizes per municipality for a percent, from the demo tree (independent reading of the rule). */
function quotas(percent) {
  const by = new Map();
  for (const k of KGS) by.set(k.municipality_id, (by.get(k.municipality_id) || 0) + 1);
  const out = new Map();
  for (const [m, n] of by) out.set(m, Math.min(n, Math.max(1, Math.floor((n * percent) / 100 + 0.5))));
  return out;
}

test('sample drawn: deterministic for a seed, stratified by municipality with at least one each', async () => {
  for (const percent of [10, 50]) {
    const a = expect(await api('region', 'POST', '/campaigns/sample', { json: { sample_percent: percent, sample_seed: 7 } }), 200, `preview ${percent}%`);
    const b = expect(await api('region', 'POST', '/campaigns/sample', { json: { sample_percent: percent, sample_seed: 7 } }), 200, 'again');
    assert.deepEqual(a.items.map((k) => k.id), b.items.map((k) => k.id), 'the same seed draws the same sample');
    assert.equal(a.total, KGS.length);
    const want = quotas(percent);
    const got = new Map();
    for (const k of a.items) got.set(k.municipality.id, (got.get(k.municipality.id) || 0) + 1);
    assert.deepEqual([...got.entries()].sort(), [...want.entries()].sort(), `${percent}%: per municipality`);
    assert.equal(a.count, [...want.values()].reduce((x, y) => x + y, 0));
  }
  const seeds = [];
  for (const seed of [1, 2, 3, 4]) {
    const r = expect(await api('region', 'POST', '/campaigns/sample', { json: { sample_percent: 50, sample_seed: seed } }), 200, `seed ${seed}`);
    seeds.push(r.items.map((k) => k.id).sort().join(','));
  }
  assert.ok(new Set(seeds).size > 1, 'other seeds draw other samples');
  expectProblem(await api('region', 'POST', '/campaigns/sample', { json: { sample_percent: 0 } }), 422, 'validation', 'a zero share');
  expectProblem(await api('teacher', 'POST', '/campaigns/sample', { json: { sample_percent: 10 } }), 403, null, 'a teacher draws');
});

test('participation: a drawn campaign keeps the previewed sample; outside the sample refused; changeable until the first stage opens', async () => {
  const preview = expect(await api('region', 'POST', '/campaigns/sample', { json: { sample_percent: 30, sample_seed: 11 } }), 200, 'preview');
  const c = await campaign('drawn', { teacher_self: [2, 10] }, { participation: 'sample', sample_percent: 30, sample_seed: 11 });
  assert.equal(c.participation.mode, 'sample');
  assert.equal(c.participation.sample_seed, 11);
  const list = expect(await api('region', 'GET', '/campaigns/{id}/participants', { params: { id: c.id } }), 200, 'participants');
  assert.deepEqual(list.items.map((k) => k.id).sort(), preview.items.map((k) => k.id).sort());
  assert.equal(list.changeable, true);
  // chosen ids: only Берёзка (teacher2), not Солнышко (teacher)
  const mine = T.teacher2.user.org_unit.id;
  const put = await api('region', 'PUT', '/campaigns/{id}/participants', { params: { id: c.id }, json: { participation: 'sample', sample_ids: [mine] } });
  assert.deepEqual(expect(put, 200, 'choose ids').items.map((k) => k.id), [mine]);
  expectProblem(await api('region', 'PUT', '/campaigns/{id}/participants', { params: { id: c.id }, json: { participation: 'sample', sample_ids: [T.municipal.user.org_unit.id] } }), 422, 'validation', 'a municipality is not a kindergarten');
  expectProblem(await api('doo', 'PUT', '/campaigns/{id}/participants', { params: { id: c.id }, json: { participation: 'all' } }), 403, null, 'a kindergarten coordinator changes it');
  // the stage opens: no more changes, and the sample decides who may fill
  const st = stageOf(c, 'teacher_self');
  expect(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params: { id: c.id, stage_id: st.id }, json: { opens_on: isoDay(0) } }), 200, 'open the stage');
  expectProblem(await api('region', 'PUT', '/campaigns/{id}/participants', { params: { id: c.id }, json: { participation: 'all' } }), 409, 'stage-started', 'change after the first stage opened');
  const out = expectProblem(await startSheet('teacher', c, 'TSA'), 409, 'not-in-sample', 'a kindergarten outside the sample');
  assert.match(out.detail, /выборк/);
  assert.ok(out.detail.includes(st.title) && out.detail.includes(ru(isoDay(0))) && out.detail.includes(ru(isoDay(10))), `names the stage and its dates: ${out.detail}`);
  assert.equal(out.stage.id, st.id);
  expect(await startSheet('teacher2', c, 'TSA'), 201, 'a kindergarten of the sample');
});

// ---------------------------------------------------------------------------------------
// Municipal deadlines

test('municipal deadline: inside the stage window only, set by that municipality’s coordinator only; it does not close the stage', async () => {
  const c = await campaign('deadline', { teacher_self: [-5, 10] });
  const st = stageOf(c, 'teacher_self');
  const path = '/campaigns/{id}/stages/{stage_id}/deadline';
  const params = { id: c.id, stage_id: st.id };
  const m = T.municipal.user.org_unit.id;
  const p = expectProblem(await api('municipal', 'PUT', path, { params, json: { due_on: isoDay(11) } }), 422, 'validation', 'after the stage closes');
  assert.ok(p.errors[0].message.includes(ru(isoDay(10))), p.errors[0].message);
  expectProblem(await api('municipal', 'PUT', path, { params, json: { due_on: isoDay(-6) } }), 422, 'validation', 'before the stage opens');
  expectProblem(await api('municipal2', 'PUT', path, { params, json: { municipality_id: m, due_on: isoDay(3) } }), 403, null, 'another municipality’s coordinator');
  expectProblem(await api('region', 'PUT', path, { params, json: { due_on: isoDay(3) } }), 403, null, 'the regional coordinator');
  expectProblem(await api('doo', 'PUT', path, { params, json: { due_on: isoDay(3) } }), 403, null, 'a kindergarten coordinator');
  const d = expect(await api('municipal', 'PUT', path, { params, json: { due_on: isoDay(-1) } }), 200, 'set');
  assert.equal(d.municipality.id, m);
  assert.equal(d.due_on, isoDay(-1));
  const again = expect(await api('region', 'GET', '/campaigns/{id}', { params: { id: c.id } }), 200, 'campaign');
  assert.deepEqual(stageOf(again, 'teacher_self').deadlines.map((x) => [x.municipality.id, x.due_on]), [[m, isoDay(-1)]]);
  // past the internal deadline the stage still accepts sheets
  expect(await startSheet('teacher', c, 'TSA'), 201, 'a sheet after the municipal deadline, inside the stage');
  // null removes it
  const cleared = expect(await api('municipal', 'PUT', path, { params, json: { due_on: null } }), 200, 'clear');
  assert.equal(cleared.due_on, null);
});

// ---------------------------------------------------------------------------------------

test('stage edit: by the campaign’s runners only', async () => {
  const c = await campaign('edit', { teacher_self: [5, 10], final_reports: [11, 12] });
  const st = stageOf(c, 'final_reports');
  const params = { id: c.id, stage_id: st.id };
  expectProblem(await api('municipal', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params, json: { closes_on: isoDay(20) } }), 403, null, 'a municipal coordinator');
  expectProblem(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params, json: { closes_on: isoDay(1) } }), 422, 'validation', 'closing before opening');
  expectProblem(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params: { id: c.id, stage_id: 999999 }, json: { closes_on: isoDay(20) } }), 404, null, 'no such stage');
  const after = expect(await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params, json: { closes_on: isoDay(20), title: `Отчёты ${RUN}` } }), 200, 'edit');
  assert.equal(stageOf(after, 'final_reports').closes_on, isoDay(20));
  assert.equal(stageOf(after, 'final_reports').title, `Отчёты ${RUN}`);
  assert.equal(after.closes_on, isoDay(20), 'the campaign window follows its stages');
});

// ---------------------------------------------------------------------------------------
// Calendar, late units, iCalendar feed

/** Fills and submits a teacher's TSA sheet. */
async function submitTsa(who, c) {
  const r = await startSheet(who, c, 'TSA');
  assert.ok([200, 201].includes(r.status), `${who} starts TSA: ${show(r)}`);
  const s = r.json;
  const def = expect(await api(who, 'GET', '/instruments/{id}', { params: { id: INS.TSA.id } }), 200, 'TSA').definition;
  const answers = {};
  for (const { item } of itemsOf(def)) if (isRequired(item)) answers[item.code] = item.type === 'likert5' ? 4 : 'Ответ';
  const saved = expect(await api(who, 'PATCH', '/submissions/{id}', { params: { id: s.id }, json: { base_version: s.version, answers } }), 200, 'fill');
  expect(await api(who, 'POST', '/submissions/{id}/submit', { params: { id: s.id }, json: { base_version: saved.version } }), 200, 'submit');
  return s;
}

const LONG = 'длинное название для проверки переноса строк '.repeat(2);
const CAL = {}; // the calendar campaign, shared by the calendar tests

test('calendar of a teacher: the task by the municipal deadline, its status from the sheet, late until submitted', async () => {
  const sun = T.teacher.user.org_unit.id; // Солнышко: teacher, teacher3
  const birch = T.teacher2.user.org_unit.id; // Берёзка: teacher2
  const title = `Календарь ${RUN} ics, этап; «А\\Б» ${LONG}`;
  const c = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title, year: YEAR, stages: (await stagesFrom({ teacher_self: [-3, 10] })).map((s) => ({ ...s, title: `Самооценка; педагогов, ${RUN}` })), participation: 'sample', sample_ids: [sun, birch] },
    }),
    201,
    'calendar campaign',
  );
  Object.assign(CAL, { c, st: stageOf(c, 'teacher_self'), sun, birch, title });
  expect(await api('municipal', 'PUT', '/campaigns/{id}/stages/{stage_id}/deadline', { params: { id: c.id, stage_id: CAL.st.id }, json: { due_on: isoDay(-1) } }), 200, 'municipal deadline');
  const taskOf = async (who, q) => {
    const cal = expect(await api(who, 'GET', '/me/calendar', { q }), 200, `${who}'s calendar`);
    return cal.tasks.find((t) => t.stage.id === CAL.st.id);
  };
  let t = await taskOf('teacher');
  assert.ok(t, 'the teacher has the task');
  assert.deepEqual([t.unit.id, t.instrument.code, t.opens_on, t.closes_on, t.stage_closes_on, t.municipal_deadline], [sun, 'TSA', isoDay(-3), isoDay(-1), isoDay(10), isoDay(-1)]);
  assert.deepEqual([t.status, t.late, t.open, t.submission_id], ['not_started', true, true, null]);
  // the period filter
  assert.equal(await taskOf('teacher', { from: isoDay(-40), to: isoDay(-20) }), undefined, 'a period before the stage');
  assert.ok(await taskOf('teacher', { from: isoDay(9), to: isoDay(30) }), 'a period that meets the stage');
  expectProblem(await api('teacher', 'GET', '/me/calendar', { q: { from: isoDay(5), to: isoDay(1) } }), 422, 'validation', 'a reversed period');
  // a draft is still late; a submitted sheet is not
  const s = expect(await startSheet('teacher', c, 'TSA'), 201, 'start');
  t = await taskOf('teacher');
  assert.deepEqual([t.status, t.late, t.submission_id], ['draft', true, s.id]);
  await submitTsa('teacher', c);
  t = await taskOf('teacher');
  assert.deepEqual([t.status, t.late], ['submitted', false]);
  // a kindergarten coordinator does not fill this stage; an expert neither
  assert.equal(await taskOf('doo'), undefined);
  assert.equal(await taskOf('expert'), undefined);
});

test('calendar of a coordinator and the late kindergartens of a stage', async () => {
  assert.ok(CAL.c, 'the calendar campaign');
  const m = T.municipal.user.org_unit.id;
  // a personal stage expects one sheet per active teacher of the kindergarten (read from the tree)
  const teachers = async (kg) => Number((await query(`SELECT COUNT(*) FROM users WHERE org_unit_id = ${Number(kg)} AND role = 'teacher' AND active = 1`))[0][0]);
  const nSun = await teachers(CAL.sun);
  const nBirch = await teachers(CAL.birch);
  assert.ok(nSun >= 2 && nBirch >= 1, `demo: teachers in Солнышко (${nSun}) and Берёзка (${nBirch})`);
  const stageIn = async (who) => expect(await api(who, 'GET', '/me/calendar'), 200, 'calendar').stages.find((x) => x.stage.id === CAL.st.id);
  let row = await stageIn('municipal');
  // Солнышко has one of its teachers' sheets in, Берёзка none: both late
  assert.deepEqual([row.expected, row.done, row.late, row.municipal_deadline], [2, 0, 2, isoDay(-1)]);
  const lateOf = async (who, unit) => expect(await api(who, 'GET', '/units/{id}/late', { params: { id: unit }, q: { campaign: CAL.c.id, stage: CAL.st.id } }), 200, `late as ${who}`);
  let late = await lateOf('municipal', m);
  assert.deepEqual(late.items.map((k) => [k.kindergarten.id, k.expected, k.done]).sort(), [[CAL.sun, nSun, 1], [CAL.birch, nBirch, 0]].sort());
  assert.equal(late.items[0].deadline, isoDay(-1));
  // the region sees the same stage without a municipal deadline of its own
  row = await stageIn('region');
  assert.deepEqual([row.expected, row.late, row.municipal_deadline], [2, 2, null]);
  // Берёзка's teacher submits: Берёзка is done when that was its only teacher
  await submitTsa('teacher2', CAL.c);
  late = await lateOf('region', T.region.user.org_unit.id);
  assert.deepEqual(late.items.map((k) => k.kindergarten.id).sort(), (nBirch === 1 ? [CAL.sun] : [CAL.sun, CAL.birch]).sort());
  assert.equal(late.done, nBirch === 1 ? 1 : 0);
  // a reopening until a later day moves Солнышко's deadline: not late meanwhile
  expect(await api('municipal', 'POST', '/campaigns/{id}/stages/{stage_id}/reopen', { params: { id: CAL.c.id, stage_id: CAL.st.id }, json: { kindergarten_id: CAL.sun, until: isoDay(2), reason: 'Продлили срок' } }), 201, 'reopen');
  assert.ok(!(await lateOf('municipal', m)).items.some((k) => k.kindergarten.id === CAL.sun), 'a reopened kindergarten is not late');
  // who may ask
  expectProblem(await api('teacher', 'GET', '/units/{id}/late', { params: { id: CAL.sun }, q: { campaign: CAL.c.id, stage: CAL.st.id } }), 403, null, 'a teacher');
  expectProblem(await api('municipal2', 'GET', '/units/{id}/late', { params: { id: m }, q: { campaign: CAL.c.id, stage: CAL.st.id } }), 404, null, 'another municipality');
  expectProblem(await api('municipal', 'GET', '/units/{id}/late', { params: { id: m }, q: { campaign: CAL.c.id } }), 422, 'validation', 'no stage');
});

/** Parses an iCalendar text: checks CRLF and the 75-octet limit, unfolds, returns { lines, events }. */
function parseIcs(text) {
  const raw = Buffer.from(text, 'utf8');
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  for (const physical of text.split('\r\n')) assert.ok(Buffer.byteLength(physical, 'utf8') <= 75, `a line over 75 octets: ${physical}`);
  assert.ok(raw.length > 0);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  const events = [];
  let cur = null;
  for (const l of lines) {
    if (l === 'BEGIN:VEVENT') cur = {};
    else if (l === 'END:VEVENT') events.push(cur), (cur = null);
    else if (cur) {
      const i = l.indexOf(':');
      cur[l.slice(0, i)] = l.slice(i + 1);
    }
  }
  return { lines, events };
}
const unescapeText = (v) => v.replace(/\\([\\;,nN])/g, (_, c) => (c === 'n' || c === 'N' ? '\n' : c));

test('iCalendar feed: parses (VCALENDAR, VEVENT with UID, DTSTAMP, all-day DTSTART), folding and escaping right; wrong token 404; rotation', async () => {
  assert.ok(CAL.c, 'the calendar campaign');
  const before_ = expect(await api('teacher3', 'GET', '/me/calendar'), 200, 'calendar').feed;
  const feed = expect(await api('teacher3', 'POST', '/me/calendar-feed'), 201, 'feed');
  assert.match(feed.token, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal(feed.path, `/api/v1/calendar/${feed.token}.ics`);
  assert.equal(expect(await api('teacher3', 'GET', '/me/calendar'), 200, 'calendar').feed.active, true);
  assert.equal(typeof before_.active, 'boolean');
  const stored = await query(`SELECT HEX(token_hash) FROM calendar_feeds WHERE user_id = ${Number(T.teacher3.user.id)}`);
  assert.notEqual(stored[0][0].toLowerCase(), Buffer.from(feed.token).toString('hex'), 'only a hash is stored');
  const r = await request(feed.path);
  C.check('GET', '/calendar/{feed_token}.ics', r);
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  const { lines, events } = parseIcs(r.text);
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(lines.at(-1), 'END:VCALENDAR');
  assert.ok(lines.includes('VERSION:2.0'));
  assert.ok(lines.some((l) => l.startsWith('PRODID:')));
  for (const e of events) {
    assert.ok(e.UID && e.DTSTAMP && e.SUMMARY, JSON.stringify(e));
    assert.match(e.DTSTAMP, /^\d{8}T\d{6}Z$/);
    assert.match(e['DTSTART;VALUE=DATE'], /^\d{8}$/);
  }
  assert.equal(new Set(events.map((e) => e.UID)).size, events.length, 'UIDs are unique');
  const mine = events.find((e) => e.UID.startsWith(`stage-${CAL.st.id}-unit-${CAL.sun}-`));
  assert.ok(mine, `the task of the calendar campaign: ${events.map((e) => e.UID)}`);
  assert.equal(mine['DTSTART;VALUE=DATE'], isoDay(-1).replaceAll('-', ''), 'on the municipal deadline');
  // escaping: , ; \ and newlines in TEXT values
  assert.ok(mine.SUMMARY.includes(`Самооценка\\; педагогов\\, ${RUN}`), mine.SUMMARY);
  assert.ok(mine.DESCRIPTION.includes(`ics\\, этап\\; «А\\\\Б»`), mine.DESCRIPTION);
  assert.ok(mine.DESCRIPTION.includes('\\n'), 'newlines escaped');
  assert.ok(unescapeText(mine.DESCRIPTION).includes(CAL.title), 'the long title comes back whole after unfolding');
  assert.ok(r.text.includes('\r\n '), 'long lines are folded');
  // a wrong token
  const wrong = await request(`/api/v1/calendar/${feed.token.slice(0, -2)}xx.ics`);
  C.check('GET', '/calendar/{feed_token}.ics', wrong);
  assertProblem(wrong, 404);
  assertProblem(await request(`/api/v1/calendar/${feed.token}.ical`), 404);
  // rotation: the old link stops, the new one works
  const next = expect(await api('teacher3', 'POST', '/me/calendar-feed'), 201, 'rotate');
  assert.notEqual(next.token, feed.token);
  assertProblem(await request(feed.path), 404);
  assert.equal((await request(next.path)).status, 200);
});

test('every response conforms to openapi.yaml', () => {
  assert.ok(C.checked > 20);
  assert.deepEqual(C.distinct(), []);
});
