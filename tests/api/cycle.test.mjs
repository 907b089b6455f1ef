// The whole monitoring cycle as one story (issue 7): the regional coordinator creates the
// year's campaign from the template with a sample; the kindergarten fills its
// self-assessment on the quality scale (with a photo sent through tus-js-client), the
// municipal coordinator returns it once and approves it, a teacher fills a group's sheet;
// parents answer through the kindergarten's survey link; the demo expert is assigned, sees
// the kindergarten in the task list, fills an own sheet and writes the report (preliminary →
// the coordinator's comment → final), with the notifications of each side; the quality
// profile shows both assessments with their gaps; the weak indicators become plan tasks;
// the dashboards show all of it, also after a rollup rebuild; and a stage moved into the
// past refuses a save with its dates. Each step is a test that builds on the previous ones
// (node:test runs them in order), in a campaign of its own. Every figure is computed here
// from the answers sent (the scoring rules through fixtures-forms.mjs, an independent
// reading of docs/instruments.md), never written down. Responses are checked against
// backend/openapi.yaml (reported by the last test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, request, login, show, getSetCookie, runTag, requestRetry429, assertProblem, rebuildRollups } from './lib.mjs';
import { API, apiClient, Conformance, expect, expectProblem } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay, itemsOf, expectedScores, assertScores } from './fixtures-forms.mjs';
import { tusUpload, makePng, seededRandom } from './fixtures-uploads.mjs';

const RUN = runTag('c');
const YEAR = Number(isoDay(0).slice(0, 4));
const LOGINS = ['admin', 'region', 'municipal', 'doo', 'doo2', 'teacher', 'expert'];
const PARENTS = 5;

const C = new Conformance(loadSpec()); // openapi conformance recorder
const T = {}; // login -> { token, user }
const { api, pub } = apiClient({ tokens: T, conformance: C });
const INS = {}; // code -> published instrument meta
const DEF = {}; // code -> definition
let K; // the demo kindergarten of `doo`
let M; // its municipality
let R; // the region
let OTHER; // a kindergarten of another municipality, in the sample
let OTHER_M; // its municipality
let GROUPS; // K's active groups
let CAMP; // this run's campaign
let demoAssignment; // the demo expert's assignment to K before the story ({campaign_id, kind}) or null
const SEEN = {}; // login -> the newest notification id before the story
const S = {}; // the story so far: sheets, answers, expected scores, links, report, tasks

// ---------------------------------------------------------------------------------------
// Calls

const ru = (iso) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r3 = (x) => x; // scores are kept exact (docs/figures.md, R2): never rounded before display
const near = (got, want, what, eps = 1e-6) => {
  if (want === null) assert.equal(got, null, what);
  else assert.ok(typeof got === 'number' && Math.abs(got - want) < eps, `${what}: ${got}, expected ${want}`);
};
const stageOf = (kind) => CAMP.stages.find((s) => s.kind === kind);

/** Notifications of `who` newer than the story's start, oldest first. */
async function newNotifications(who) {
  const list = expect(await api(who, 'GET', '/me/notifications', { q: { limit: 200 } }), 200, `${who}: notifications`);
  return list.items.filter((n) => n.id > SEEN[who]).reverse();
}

// ---------------------------------------------------------------------------------------
// Quality-scale answers with a known level per indicator: every check item of levels 2..L
// met, the others not met, so the cumulative rule gives L (checked through expectedScores).

const QS_INDICATORS = () => DEF.QS.sections.flatMap((s) => s.indicators.map((i) => ({ section: s.code, ...i })));

function qsAnswers(levelOf, comment) {
  const a = {};
  QS_INDICATORS().forEach((ind, i) => {
    const level = levelOf(i);
    for (const item of ind.items) {
      if (item.type === 'check') a[item.code] = item.level <= level ? 'met' : 'not_met';
      if (item.type === 'longtext' && comment) a[item.code] = `${comment} ${ind.code}`;
    }
  });
  return a;
}

const LEVELS = {
  self: (i) => 1 + (i % 5), // 1, 2, 3, 4, 5, 1, …: the weak ones at 1 and 2
  expert: (i) => (i % 3 === 0 ? Math.max(1, 1 + (i % 5) - 1) : 1 + (i % 5)), // a level lower on every third
  selfFirst: (i) => 2 + (i % 4), // the first submission, before it is returned
  group: (i) => 2 + (i % 2),
};

/** Saves answers in one autosave and submits; returns the submitted sheet. */
async function saveAndSubmit(who, sheet, answers, what) {
  const saved = expect(await api(who, 'PATCH', '/submissions/{id}', { params: { id: sheet.id }, json: { base_version: sheet.version, answers } }), 200, `${what}: save`);
  const sub = expect(await api(who, 'POST', '/submissions/{id}/submit', { params: { id: sheet.id }, json: { base_version: saved.version } }), 200, `${what}: submit`);
  assert.equal(sub.status, 'submitted', what);
  return sub;
}

/** The figures a sheet stores (submission_scores: levels, area and overall scores to 3 decimals). */
function stored(expected) {
  const indicators = Object.fromEntries(Object.entries(expected.indicators).map(([c, n]) => [c, n.level]));
  const sections = Object.fromEntries(Object.entries(expected.sections).map(([c, n]) => [c, n.mean === null ? null : r3(n.mean)]));
  return { indicators, sections, overall: r3(expected.overall.mean) };
}

// ---------------------------------------------------------------------------------------
// Parents: known answers per parent; the share-positive figures computed from them

const statementsOf = (def) => itemsOf(def).filter(({ item }) => ['likert5', 'yes_no', 'yes_no_unsure'].includes(item.type)).map(({ item }) => item);

function parentAnswers(p) {
  const out = {};
  itemsOf(DEF.PQ).forEach(({ item }, i) => {
    if (item.type === 'likert5') out[item.code] = ((i * 2 + p) % 5) + 1;
    else if (item.type === 'yes_no') out[item.code] = ['yes', 'no'][p % 2];
    else if (item.type === 'yes_no_unsure') out[item.code] = ['yes', 'no', 'unsure'][p % 3];
    else if (item.type === 'single') out[item.code] = item.options[p % item.options.length].code;
    else if (item.type === 'longtext' && p % 2) out[item.code] = `Спасибо воспитателям ${RUN}`;
  });
  return out;
}

function satisfactionOf(answerSets) {
  const statements = statementsOf(DEF.PQ).map((item) => {
    const given = answerSets.map((a) => a[item.code]).filter((v) => v !== undefined && v !== null && v !== '' && v !== 'na');
    const positive = given.filter((v) => v === 4 || v === 5 || v === 'yes').length;
    return { code: item.code, answered: given.length, positive, share: given.length ? positive / given.length : null };
  });
  const answered = statements.reduce((s, x) => s + x.answered, 0);
  const positive = statements.reduce((s, x) => s + x.positive, 0);
  return { statements, satisfaction: answered ? positive / answered : null };
}

// ---------------------------------------------------------------------------------------

before(async () => {
  for (const l of LOGINS) T[l] = await login(l);
  for (const m of expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items) INS[m.code] = m;
  for (const code of ['QS', 'PQ']) DEF[code] = expect(await api('region', 'GET', '/instruments/{id}', { params: { id: INS[code].id } }), 200, code).definition;
  K = T.doo.user.org_unit;
  const [[m, r]] = await query(`SELECT m.id, m.parent_id FROM org_units k JOIN org_units m ON m.id = k.parent_id WHERE k.id = ${Number(K.id)}`);
  M = Number(m);
  R = Number(r);
  const [[other, otherM]] = await query(
    `SELECT k.id, m.id FROM org_units k JOIN org_units m ON m.id = k.parent_id WHERE k.level = 'kindergarten' AND k.active = 1 AND m.level = 'municipality' AND m.parent_id = ${R} AND m.id <> ${M} ORDER BY k.id LIMIT 1`,
  );
  OTHER = Number(other);
  OTHER_M = Number(otherM);
  GROUPS = expect(await api('doo', 'GET', '/units/{id}/children', { params: { id: K.id }, q: { active: 1 } }), 200, 'groups').items.filter((g) => g.level === 'group');
  assert.ok(GROUPS.length >= 2, 'demo: the kindergarten has groups');
  const assigned = expect(await api('municipal', 'GET', '/users/{id}/assignments', { params: { id: T.expert.user.id } }), 200, 'assignments').items.find((k) => k.id === K.id);
  demoAssignment = assigned ? assigned.assignment ?? { campaign_id: null, kind: null } : null;
  for (const who of ['doo', 'expert', 'teacher']) {
    const list = expect(await api(who, 'GET', '/me/notifications', { q: { limit: 1 } }), 200, `${who}: notifications`);
    SEEN[who] = list.items.length ? list.items[0].id : 0;
  }
});

after(async () => {
  // the demo expert's assignment to K as it was, for the suites that follow
  if (!T.municipal || !K) return;
  const p = `${API}/users/${T.expert.user.id}/assignments/${K.id}`;
  if (demoAssignment) {
    const q = new URLSearchParams();
    if (demoAssignment.campaign_id) q.set('campaign_id', demoAssignment.campaign_id);
    if (demoAssignment.kind) q.set('kind', demoAssignment.kind);
    await request(`${p}${q.size ? `?${q}` : ''}`, { method: 'PUT', token: T.municipal.token });
  } else {
    await request(p, { method: 'DELETE', token: T.municipal.token });
  }
});

// ---------------------------------------------------------------------------------------
// 1. The campaign

test('1. the regional coordinator creates the year’s campaign from the template, with a sample across two municipalities', async () => {
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR } }), 200, 'template');
  const days = { kindergarten_self: [-3, 20], parent_survey: [-3, 25], expert_remote: [-2, 30] };
  const stages = tpl.stages
    .filter((s) => days[s.kind])
    .map((s) => ({ kind: s.kind, instrument_id: s.instrument.id, opens_on: isoDay(days[s.kind][0]), closes_on: isoDay(days[s.kind][1]) }));
  assert.equal(stages.length, 3, 'the template has the stages the cycle uses');
  CAMP = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Мониторинг ${RUN}`, year: YEAR, stages, participation: 'sample', sample_ids: [K.id, OTHER] },
    }),
    201,
    'campaign',
  );
  assert.deepEqual(CAMP.stages.map((s) => s.kind).sort(), Object.keys(days).sort());
  for (const s of CAMP.stages) {
    assert.equal(s.open, true, `${s.kind} is open today`);
    assert.deepEqual([s.opens_on, s.closes_on], days[s.kind].map(isoDay), s.kind);
  }
  assert.equal(stageOf('kindergarten_self').instrument.code, 'QS');
  assert.equal(stageOf('parent_survey').instrument.code, 'PQ');
  assert.equal(stageOf('expert_remote').instrument.code, 'QS');
  assert.equal(CAMP.opens_on, isoDay(-3), 'the campaign window spans its stages');
  assert.equal(CAMP.closes_on, isoDay(30));
  assert.equal(CAMP.participation.mode, 'sample');
  assert.equal(CAMP.participation.count, 2);
  const parts = expect(await api('municipal', 'GET', '/campaigns/{id}/participants', { params: { id: CAMP.id } }), 200, 'participants');
  const ids = parts.items.map((k) => k.id ?? k.kindergarten?.id);
  assert.ok(ids.includes(K.id), `the demo kindergarten takes part: ${JSON.stringify(parts.items)}`);
});

// ---------------------------------------------------------------------------------------
// 2. Self-assessment

test('2. the kindergarten fills its self-assessment with a photo, the municipality returns it, it is fixed and approved; a teacher fills a group', async () => {
  const start = { campaign_id: CAMP.id, instrument_id: INS.QS.id, target_unit_id: K.id };
  const sheet = expect(await api('doo', 'POST', '/submissions', { json: start }), 201, 'start the self-assessment');
  assert.equal(sheet.can_edit, true);
  assert.equal(sheet.window.stage.kind, 'kindergarten_self');
  assert.equal(sheet.window.in_sample, true);
  // a kindergarten of the same municipality outside the sample is not asked
  assert.notEqual(T.doo2.user.org_unit.id, OTHER, 'demo: doo2 is outside the sample');
  expectProblem(
    await api('doo2', 'POST', '/submissions', { json: { ...start, target_unit_id: T.doo2.user.org_unit.id } }),
    409,
    'not-in-sample',
    'a kindergarten outside the sample',
  );

  // a photo to the first weak indicator, with the official tus client
  const weak = QS_INDICATORS().find((_, i) => LEVELS.self(i) < 3);
  const png = makePng(32, 24, seededRandom(7));
  const up = await tusUpload(png, {
    endpoint: `${BASE}${API}/uploads`,
    token: T.doo.token,
    metadata: { filename: `группа-${RUN}.png`, filetype: 'image/png', submission: String(sheet.id), indicator: weak.code, caption: 'Центр активности' },
  });
  const st = expect(await api('doo', 'GET', '/uploads/{id}', { params: { id: up.id } }), 200, 'upload state');
  assert.deepEqual([st.complete, st.length], [true, png.length]);
  const ev = expect(await api('doo', 'GET', '/submissions/{id}/evidence', { params: { id: sheet.id } }), 200, 'evidence');
  const photo = ev.items.find((e) => e.file_id === st.file_id);
  assert.ok(photo, `the photo is attached: ${JSON.stringify(ev.items)}`);
  assert.deepEqual([photo.indicator, photo.kind, photo.caption, photo.size], [weak.code, 'photo', 'Центр активности', png.length]);
  S.photo = { file_id: st.file_id, indicator: weak.code };

  // first submission, returned with a comment on one indicator
  const first = await saveAndSubmit('doo', { id: sheet.id, version: sheet.version }, qsAnswers(LEVELS.selfFirst), 'self-assessment');
  const ret = expect(
    await api('municipal', 'POST', '/submissions/{id}/return', { params: { id: sheet.id }, json: { comment: `Уточните уровни ${RUN}`, indicator_comments: { [weak.code]: 'Фото не подтверждает уровень' } } }),
    200,
    'return',
  );
  assert.equal(ret.status, 'returned');
  assert.ok(first.version < ret.version);

  // fixed and submitted again with the answers that count
  S.selfAnswers = qsAnswers(LEVELS.self, 'Обоснование');
  const resub = await saveAndSubmit('doo', { id: sheet.id, version: ret.version }, S.selfAnswers, 'self-assessment again');
  S.selfExpected = expectedScores(DEF.QS, S.selfAnswers);
  assertScores(resub, S.selfExpected, 'self-assessment');
  QS_INDICATORS().forEach((ind, i) => assert.equal(S.selfExpected.indicators[ind.code].level, LEVELS.self(i), `${ind.code}: the level meant`));
  const appr = expect(await api('municipal', 'POST', '/submissions/{id}/approve', { params: { id: sheet.id }, json: { comment: 'Принято' } }), 200, 'approve');
  assert.equal(appr.status, 'approved');
  const doc = expect(await api('doo', 'GET', '/submissions/{id}', { params: { id: sheet.id } }), 200, 'the sheet');
  assert.deepEqual(
    doc.history.map((h) => [h.from, h.to, h.actor.id]),
    [
      [null, 'draft', T.doo.user.id],
      ['draft', 'submitted', T.doo.user.id],
      ['submitted', 'returned', T.municipal.user.id],
      ['returned', 'submitted', T.doo.user.id],
      ['submitted', 'approved', T.municipal.user.id],
    ],
    'the history of the sheet',
  );
  assert.deepEqual(doc.history[2].indicator_comments, { [weak.code]: 'Фото не подтверждает уровень' });
  S.self = sheet.id;

  // the coordinator was told of the return and of the approval
  const got = await newNotifications('doo');
  const returned = got.find((n) => n.kind === 'sheet_returned' && n.link === `/forms/${sheet.id}`);
  const approved = got.find((n) => n.kind === 'sheet_approved' && n.link === `/forms/${sheet.id}`);
  assert.ok(returned && approved, `returned and approved notifications: ${JSON.stringify(got)}`);
  assert.ok(returned.body.includes(`Уточните уровни ${RUN}`), 'the comment is in the text');
  assert.ok(returned.id < approved.id, 'in the order they happened');
  // VSOK_MAIL=record: a user with an address gets the same notification as a recorded message
  const [email] = (await query(`SELECT email FROM users WHERE id = ${Number(T.doo.user.id)}`))[0];
  assert.ok(email, 'demo: the coordinator has an e-mail address');
  const mail = await query(`SELECT to_address, status FROM mail_outbox WHERE notification_id = ${Number(returned.id)}`);
  assert.deepEqual(mail, [[email, 'recorded']], 'the return is recorded as a message');

  // a teacher fills the sheet of a group in the same stage; the kindergarten coordinator approves it
  const g = GROUPS[0];
  const gs = expect(await api('teacher', 'POST', '/submissions', { json: { ...start, target_unit_id: g.id } }), 201, 'a group sheet');
  S.groupAnswers = qsAnswers(LEVELS.group);
  const gsub = await saveAndSubmit('teacher', gs, S.groupAnswers, 'group sheet');
  S.groupExpected = expectedScores(DEF.QS, S.groupAnswers);
  assertScores(gsub, S.groupExpected, 'group sheet');
  expect(await api('doo', 'POST', '/submissions/{id}/approve', { params: { id: gs.id }, json: {} }), 200, 'the coordinator approves the group');
  const tn = await newNotifications('teacher');
  assert.ok(tn.some((n) => n.kind === 'sheet_approved' && n.link === `/forms/${gs.id}`), `the teacher was told: ${JSON.stringify(tn)}`);
});

// ---------------------------------------------------------------------------------------
// 3. Parents

test('3. parents answer through the kindergarten’s link, one answer per browser', async () => {
  assert.ok(S.self, 'needs step 2');
  const made = expect(await api('doo', 'POST', '/units/{id}/survey-links', { params: { id: K.id }, json: { campaign_id: CAMP.id } }), 201, 'links');
  const link = made.items.find((l) => l.kindergarten.id === K.id && !l.group);
  assert.ok(link, `the kindergarten's link: ${JSON.stringify(made.items).slice(0, 300)}`);
  assert.equal(link.state, 'open');
  assert.equal(link.campaign.closes_on, stageOf('parent_survey').closes_on, 'the link lives as long as the stage');
  assert.ok(link.url.endsWith(`/s/${link.token}`), link.url);
  S.link = link;

  // children enrolled per group: the denominator of the response rate
  S.enrolled = 0;
  for (const [i, g] of GROUPS.entries()) {
    const n = 12 + 3 * i;
    expect(await api('doo', 'PATCH', '/units/{id}', { params: { id: g.id }, json: { children_enrolled: n } }), 200, `children of ${g.name}`);
    S.enrolled += n;
  }

  S.parentAnswers = [];
  for (let p = 0; p < PARENTS; p++) {
    const r = await pub('GET', '/public/surveys/{token}', link.token);
    const q = expect(r, 200, `parent ${p} opens the questionnaire`);
    assert.equal(q.answered, false);
    const c = getSetCookie(r.headers, 'vsok_survey');
    const cookie = `${c.name}=${c.value}`;
    const answers = parentAnswers(p);
    const ok = expect(await pub('POST', '/public/surveys/{token}/responses', link.token, { cookie, json: { answers } }), 201, `parent ${p} answers`);
    assert.equal(ok.accepted, true);
    S.parentAnswers.push(answers);
    if (p === 0) {
      const again = await pub('POST', '/public/surveys/{token}/responses', link.token, { cookie, json: { answers } });
      expectProblem(again, 409, 'already-answered', 'the same browser again');
    }
  }
  const list = expect(await api('doo', 'GET', '/units/{id}/survey-links', { params: { id: K.id }, q: { campaign_id: CAMP.id } }), 200, 'links after');
  const kg = list.kindergartens.find((k) => k.id === K.id);
  assert.equal(kg.responses, PARENTS);
  assert.equal(kg.children_enrolled, S.enrolled);
  near(kg.response_rate, PARENTS / S.enrolled, 'the response rate of the links page');
});

// ---------------------------------------------------------------------------------------
// 4. Experts

test('4. the expert is assigned, finds the kindergarten in the task list, scores it and writes the report through to final', async () => {
  assert.ok(S.parentAnswers, 'needs step 3');
  const assignPath = { params: { id: T.expert.user.id, unit_id: K.id } };
  // a fresh assignment (the demo one is put back after the story)
  if (demoAssignment) expect(await api('municipal', 'DELETE', '/users/{id}/assignments/{unit_id}', assignPath), 204, 'unassign the demo row');
  expect(await api('municipal', 'PUT', '/users/{id}/assignments/{unit_id}', { ...assignPath, q: { campaign_id: CAMP.id, kind: 'remote' } }), 204, 'assign: remote');
  const taskFor = async () => {
    const tasks = expect(await api('expert', 'GET', '/me/expert-tasks'), 200, 'tasks');
    return tasks.items.find((t) => t.kindergarten.id === K.id);
  };
  let task = await taskFor();
  assert.ok(task, 'the kindergarten is in the task list');
  assert.equal(task.kind, 'remote');
  assert.deepEqual(task.campaigns.map((c) => c.campaign.id), [CAMP.id], 'only the campaign of the assignment');
  const tc = task.campaigns[0];
  assert.equal(tc.instrument.code, 'QS');
  assert.deepEqual(tc.self_assessment, { id: S.self, status: 'approved' });
  assert.equal(tc.expert_sheet, null);
  assert.equal(tc.report, null);
  expect(await api('municipal', 'PUT', '/users/{id}/assignments/{unit_id}', { ...assignPath, q: { campaign_id: CAMP.id, kind: 'onsite' } }), 204, 'then on site');
  assert.equal((await taskFor()).kind, 'onsite');
  let en = await newNotifications('expert');
  const assigned = en.filter((n) => n.kind === 'assignment' && n.link === `/units/${K.id}`);
  assert.equal(assigned.length, 1, `one assignment notification (new terms do not notify again): ${JSON.stringify(en)}`);
  assert.ok(assigned[0].title.includes(K.name));

  // the expert reads the self-assessment and fills an own sheet
  expect(await api('expert', 'GET', '/submissions/{id}', { params: { id: S.self } }), 200, 'the expert reads the self-assessment');
  const sheet = expect(await api('expert', 'POST', '/submissions', { json: { campaign_id: CAMP.id, instrument_id: INS.QS.id, target_unit_id: K.id } }), 201, 'the expert sheet');
  assert.equal(sheet.window.stage.kind, 'expert_remote');
  S.expertAnswers = qsAnswers(LEVELS.expert, 'Наблюдение эксперта');
  const sub = await saveAndSubmit('expert', sheet, S.expertAnswers, 'expert sheet');
  S.expertExpected = expectedScores(DEF.QS, S.expertAnswers);
  assertScores(sub, S.expertExpected, 'expert sheet');
  S.expertSheet = sheet.id;

  // the report: draft → preliminary → a comment → final
  const draft = expect(await api('expert', 'POST', '/expert-reports', { json: { campaign_id: CAMP.id, kindergarten_id: K.id } }), 201, 'report draft');
  const gapAreas = DEF.QS.sections.filter((s) => S.expertExpected.sections[s.code].mean < S.selfExpected.sections[s.code].mean).map((s) => s.code);
  assert.ok(gapAreas.length > 0, 'the expert sees some areas lower');
  const areas = Object.fromEntries(gapAreas.map((c) => [c, `Самооценка выше наблюдаемого в области ${c}`]));
  const edited = expect(
    await api('expert', 'PATCH', '/expert-reports/{id}', { params: { id: draft.id }, json: { summary: `Предварительные выводы ${RUN}`, areas, version: draft.version } }),
    200,
    'report text',
  );
  assert.deepEqual(edited.areas, areas);
  const sent = expect(await api('expert', 'POST', '/expert-reports/{id}/send', { params: { id: draft.id } }), 200, 'send');
  assert.equal(sent.status, 'preliminary');
  let dn = await newNotifications('doo');
  assert.ok(dn.some((n) => n.kind === 'report' && n.link === `/expert-reports/${draft.id}`), `the coordinator was told of the preliminary report: ${JSON.stringify(dn)}`);
  const seen = expect(await api('doo', 'GET', '/expert-reports/{id}', { params: { id: draft.id } }), 200, 'the coordinator reads it');
  assert.deepEqual([seen.awaiting_comments, seen.can_comment], [true, true]);
  const commented = expect(
    await api('doo', 'POST', '/expert-reports/{id}/comments', { params: { id: draft.id }, json: { text: `Не согласны с оценкой ${gapAreas[0]} ${RUN}` } }),
    201,
    'comment',
  );
  assert.equal(commented.comments.length, 1);
  assert.equal(commented.comments[0].author.id, T.doo.user.id);
  en = await newNotifications('expert');
  assert.ok(en.some((n) => n.kind === 'report' && n.link === `/expert-reports/${draft.id}`), `the expert was told of the comment: ${JSON.stringify(en)}`);
  const recommendations = `Рекомендации: ${gapAreas.map((c) => `доработать ${c}`).join('; ')}`;
  const fin = expect(await api('expert', 'POST', '/expert-reports/{id}/finalise', { params: { id: draft.id }, json: { summary: recommendations } }), 200, 'finalise');
  assert.deepEqual([fin.status, fin.summary, fin.comments_count], ['final', recommendations, 1]);
  assert.ok(fin.finalised_at);
  dn = await newNotifications('doo');
  assert.equal(dn.filter((n) => n.kind === 'report' && n.link === `/expert-reports/${draft.id}`).length, 2, 'sent and final: two report notifications');
  expectProblem(await api('expert', 'PATCH', '/expert-reports/{id}', { params: { id: draft.id }, json: { summary: 'ещё' } }), 409, 'report-final', 'a final report');
  S.report = draft.id;
  task = await taskFor();
  assert.deepEqual([task.campaigns[0].expert_sheet, task.campaigns[0].report], [{ id: sheet.id, status: 'submitted' }, { id: draft.id, status: 'final' }]);
});

// ---------------------------------------------------------------------------------------
// 5. The quality profile

test('5. the quality profile shows the self-assessment and the expert’s levels side by side, with the gaps expected', async () => {
  assert.ok(S.report, 'needs step 4');
  const prof = expect(await api('doo', 'GET', '/units/{id}/profile', { params: { id: K.id }, q: { campaign_id: CAMP.id, instrument: 'QS' } }), 200, 'profile');
  const self = prof.self_assessment;
  assert.equal(self.submission_id, S.self);
  assert.equal(prof.experts.length, 1);
  const ex = prof.experts[0];
  assert.deepEqual([ex.submission_id, ex.expert.id], [S.expertSheet, T.expert.user.id]);
  const gaps = {};
  const wantGaps = {};
  for (const ind of QS_INDICATORS()) {
    const s = S.selfExpected.indicators[ind.code].level;
    const e = S.expertExpected.indicators[ind.code].level;
    assert.equal(self.indicators[ind.code]?.level, s, `${ind.code}: self level`);
    assert.equal(ex.indicators[ind.code]?.level, e, `${ind.code}: expert level`);
    if (e !== s) wantGaps[ind.code] = e - s;
    const g = ex.indicators[ind.code].level - self.indicators[ind.code].level;
    if (g !== 0) gaps[ind.code] = g;
  }
  assert.ok(Object.keys(wantGaps).length > 0, 'some indicators differ');
  assert.deepEqual(gaps, wantGaps, 'the gaps between the expert and the self-assessment');
  for (const sec of DEF.QS.sections) {
    near(self.sections[sec.code]?.score, r3(S.selfExpected.sections[sec.code].mean), `${sec.code}: self area`, 1e-3);
    near(ex.sections[sec.code]?.score, r3(S.expertExpected.sections[sec.code].mean), `${sec.code}: expert area`, 1e-3);
  }
  near(self.overall, r3(S.selfExpected.overall.mean), 'self overall', 1e-3);
  near(ex.overall, r3(S.expertExpected.overall.mean), 'expert overall', 1e-3);
  assert.equal(self.evidence[S.photo.indicator], 1, 'the photo counts under its indicator');
  assert.equal(Object.values(self.evidence).reduce((a, b) => a + b, 0), 1, 'and nowhere else');
  assert.ok(self.comments[S.photo.indicator].includes('Обоснование'), 'the justification text');
  assert.ok(ex.comments[S.photo.indicator].includes('Наблюдение эксперта'), 'the expert’s text');
  // the municipality's means: only this kindergarten has a self-assessment in the campaign
  const mm = prof.municipality.means;
  assert.equal(mm.kindergartens, 1, JSON.stringify(mm));
  near(mm.overall, r3(S.selfExpected.overall.mean), 'the municipality’s mean', 1e-3);
  for (const sec of DEF.QS.sections) near(mm.sections[sec.code], r3(S.selfExpected.sections[sec.code].mean), `the municipality’s ${sec.code}`, 1e-3);
});

// ---------------------------------------------------------------------------------------
// 6. The plan

test('6. the weak indicators become plan tasks, one is done', async () => {
  assert.ok(S.report, 'needs step 4');
  const weak = QS_INDICATORS().filter((ind) => S.selfExpected.indicators[ind.code].level < 3);
  assert.ok(weak.length > 0 && weak.length < QS_INDICATORS().length, 'some indicators are weak, not all');
  S.tasks = [];
  for (const [i, ind] of weak.entries()) {
    const t = expect(
      await api('doo', 'POST', '/units/{id}/plan', {
        params: { id: K.id },
        json: { action: `Поднять «${ind.title}» до уровня 3 ${RUN}`, responsible: 'Старший воспитатель', due_on: isoDay(30 + i), indicator: ind.code, campaign_id: CAMP.id },
      }),
      201,
      `task ${ind.code}`,
    );
    assert.deepEqual([t.indicator, t.status], [ind.code, 'planned']);
    S.tasks.push(t);
  }
  const done = expect(
    await api('doo', 'PATCH', '/units/{id}/plan/{task_id}', { params: { id: K.id, task_id: S.tasks[0].id }, json: { status: 'done', result: 'Сделано', version: S.tasks[0].version } }),
    200,
    'done',
  );
  assert.equal(done.status, 'done');
  const plan = expect(await api('municipal', 'GET', '/units/{id}/plan', { params: { id: K.id } }), 200, 'the plan');
  const mine = plan.items.filter((t) => S.tasks.some((x) => x.id === t.id));
  assert.equal(mine.length, weak.length);
  assert.deepEqual(mine.map((t) => t.indicator).sort(), weak.map((w) => w.code).sort());
  assert.deepEqual(mine.filter((t) => t.status === 'done').map((t) => t.id), [S.tasks[0].id]);
  for (const t of mine) assert.equal(t.campaign_id ?? t.campaign?.id, CAMP.id, `task ${t.id}: the campaign`);
});

// ---------------------------------------------------------------------------------------
// 7. Dashboards

/** A sheet's exact figures, as the dashboards hold them (docs/api-dashboards.md, "How a figure is made"). */
function exact(expected) {
  const indicators = Object.fromEntries(Object.entries(expected.indicators).map(([c, n]) => [c, n.level]));
  const sections = Object.fromEntries(Object.entries(expected.sections).map(([c, n]) => [c, n.mean]));
  return { indicators, sections, overall: expected.overall.mean };
}

/** What the sample campaign expects under a unit: its kindergartens in the sample, or
 * their active groups — counted in the database, the way the org tree and the sample stand. */
async function sampledUnder(unitId, level) {
  const sql =
    level === 'kindergarten'
      ? `SELECT COUNT(*) FROM org_units k JOIN org_units u ON u.id = ${Number(unitId)} JOIN campaign_participants p ON p.campaign_id = ${Number(CAMP.id)} AND p.kindergarten_id = k.id WHERE k.level = 'kindergarten' AND k.active = 1 AND k.path LIKE CONCAT(u.path, '%')`
      : `SELECT COUNT(*) FROM org_units g JOIN org_units u ON u.id = ${Number(unitId)} JOIN campaign_participants p ON p.campaign_id = ${Number(CAMP.id)} AND p.kindergarten_id = g.parent_id WHERE g.level = 'group' AND g.active = 1 AND g.path LIKE CONCAT(u.path, '%')`;
  const [[n]] = await query(sql);
  return Number(n);
}

async function assertDashboards(what) {
  const dash = (who, view, id, q = {}) => api(who, 'GET', `/dashboards/units/{id}/${view}`, { params: { id }, q: { campaign: CAMP.id, ...q } });
  const self = exact(S.selfExpected);
  const group = exact(S.groupExpected);
  const expert = exact(S.expertExpected);
  const kgs = { [M]: await sampledUnder(M, 'kindergarten') };
  assert.ok(kgs[M] >= 1, 'the sample has a kindergarten in the municipality');

  // the region: the municipality's row with the kindergarten's results and completion
  const reg = expect(await dash('region', 'children', R), 200, `${what}: region children`);
  const mrow = reg.items.find((i) => i.id === M);
  assert.deepEqual(mrow.completion, { expected: kgs[M], submitted: 1, approved: 1 }, `${what}: the municipality's completion`);
  assert.equal(mrow.results.n, 1);
  near(mrow.results.overall, self.overall, `${what}: the municipality's overall`);
  for (const [code, m] of Object.entries(self.sections)) near(mrow.results.sections[code], m, `${what}: municipality area ${code}`);
  assert.equal(reg.total.completion.submitted, 1, `${what}: one sheet in the region`);
  assert.equal(reg.total.completion.approved, 1);
  const orow = reg.items.find((i) => i.id === OTHER_M);
  assert.deepEqual(
    [orow.completion.expected, orow.completion.submitted, orow.results.n],
    [await sampledUnder(OTHER_M, 'kindergarten'), 0, 0],
    `${what}: the other municipality of the sample has nothing in yet`,
  );

  // the municipality: the kindergarten's row
  const mun = expect(await dash('municipal', 'children', M), 200, `${what}: municipality children`);
  const krow = mun.items.find((i) => i.id === K.id);
  assert.deepEqual(krow.completion, { expected: 1, submitted: 1, approved: 1 });
  assert.equal(krow.results.n, 1);
  near(krow.results.overall, self.overall, `${what}: the kindergarten's overall`);
  const lv = [0, 0, 0, 0, 0, 0, 0];
  lv[Math.floor(Math.floor(self.overall * 10 + 0.5 + 1e-9) / 10) - 1] = 1; // the shown score's whole part
  assert.deepEqual(krow.results.levels, lv, `${what}: the level of the overall score`);
  assert.equal(mun.items.filter((i) => i.id !== K.id && i.results.n > 0).length, 0, `${what}: no other kindergarten has results`);

  // the kindergarten's groups (source group)
  const kch = expect(await dash('doo', 'children', K.id), 200, `${what}: kindergarten children`);
  assert.equal(kch.source, 'group');
  const grow = kch.items.find((i) => i.id === GROUPS[0].id);
  assert.deepEqual(grow.completion, { expected: 1, submitted: 1, approved: 1 });
  near(grow.results.overall, group.overall, `${what}: the group's overall`);

  // the kindergarten's breakdown: area and indicator means equal the levels sent
  const bd = expect(await dash('municipal', 'breakdown', K.id), 200, `${what}: breakdown`);
  assert.equal(bd.source, 'self');
  assert.equal(bd.parent_unit.id, M);
  near(bd.overall.unit.mean, self.overall, `${what}: breakdown overall`);
  assert.deepEqual(bd.sections.map((s) => s.code), DEF.QS.sections.map((s) => s.code));
  for (const sec of bd.sections) {
    near(sec.unit.mean, self.sections[sec.code], `${what}: area ${sec.code}`);
    assert.equal(sec.unit.n, 1);
    for (const ind of sec.indicators) {
      near(ind.unit.mean, self.indicators[ind.code], `${what}: indicator ${ind.code}`);
      const l = [0, 0, 0, 0, 0, 0, 0];
      l[self.indicators[ind.code] - 1] = 1;
      assert.deepEqual(ind.unit.levels, l, `${what}: levels of ${ind.code}`);
    }
    near(sec.parent.mean, self.sections[sec.code], `${what}: the municipality's area ${sec.code} (only this kindergarten)`);
  }
  const bx = expect(await dash('doo', 'breakdown', K.id, { source: 'expert' }), 200, `${what}: expert breakdown`);
  near(bx.overall.unit.mean, expert.overall, `${what}: the expert's overall`);
  for (const sec of bx.sections) for (const ind of sec.indicators) near(ind.unit.mean, expert.indicators[ind.code], `${what}: expert ${ind.code}`);

  // completion of the kindergarten per instrument and source
  const comp = expect(await dash('doo', 'completion', K.id), 200, `${what}: completion`);
  const bySource = Object.fromEntries(comp.instruments.filter((x) => x.code === 'QS').map((x) => [x.source, x.total]));
  assert.deepEqual(bySource.self, { expected: 1, submitted: 1, approved: 1, overdue: false }, `${what}: self completion`);
  assert.deepEqual(
    [bySource.group.expected, bySource.group.submitted, bySource.group.approved],
    [await sampledUnder(K.id, 'group'), 1, 1],
    `${what}: group completion`,
  );
  assert.deepEqual([bySource.expert.submitted, bySource.expert.approved], [1, 0], `${what}: expert sheets are not reviewed`);
  const mcomp = expect(await dash('municipal', 'completion', M, { instrument: INS.QS.id, source: 'self' }), 200, `${what}: municipality completion`);
  assert.deepEqual(mcomp.instruments[0].total, { expected: kgs[M], submitted: 1, approved: 1, overdue: false });

  // parents: responses, satisfaction and response rate from the answers and the children
  const want = satisfactionOf(S.parentAnswers);
  const par = expect(await dash('doo', 'parents', K.id), 200, `${what}: parents`);
  assert.equal(par.total.responses, PARENTS, `${what}: responses`);
  assert.equal(par.total.enrolled, S.enrolled, `${what}: enrolled`);
  near(par.total.response_rate, PARENTS / S.enrolled, `${what}: response rate`);
  near(par.total.satisfaction, want.satisfaction, `${what}: satisfaction`);
  assert.deepEqual(par.statements.map((s) => s.code), want.statements.map((s) => s.code), `${what}: statements in order`);
  for (const s of par.statements) {
    const w = want.statements.find((x) => x.code === s.code);
    assert.deepEqual([s.answered, s.positive], [w.answered, w.positive], `${what}: statement ${s.code}`);
    near(s.share, w.share, `${what}: share of ${s.code}`);
  }
  const mpar = expect(await dash('municipal', 'parents', M), 200, `${what}: municipality parents`);
  const kp = mpar.items.find((i) => i.id === K.id);
  assert.deepEqual([kp.responses, kp.enrolled], [PARENTS, S.enrolled]);
  near(kp.satisfaction, want.satisfaction, `${what}: the kindergarten's satisfaction in the municipality`);
  assert.equal(mpar.total.responses, PARENTS, `${what}: no other answers in the municipality`);
}

test('7. the dashboards show all of it, and the same after a rollup rebuild', async () => {
  assert.ok(S.tasks, 'needs the steps before');
  await assertDashboards('kept');
  const rb = expect(await rebuildRollups((m) => api('admin', m, '/admin/rollups/rebuild')), 200, 'rebuild');
  assert.ok(rb.rows > 0);
  await assertDashboards('rebuilt');
});

// ---------------------------------------------------------------------------------------
// 8. Stage windows

test('8. the self-assessment stage moved into the past refuses a new save with its dates', async () => {
  assert.ok(S.tasks, 'needs the steps before');
  const g = GROUPS[1];
  const start = { campaign_id: CAMP.id, instrument_id: INS.QS.id, target_unit_id: g.id };
  const draft = expect(await api('teacher', 'POST', '/submissions', { json: start }), 201, 'a second group sheet');
  const code = QS_INDICATORS()[0].items.find((i) => i.type === 'check').code;
  const saved = expect(await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: draft.id }, json: { base_version: draft.version, answers: { [code]: 'met' } } }), 200, 'save while open');
  const st = stageOf('kindergarten_self');
  const moved = expect(
    await api('region', 'PATCH', '/campaigns/{id}/stages/{stage_id}', { params: { id: CAMP.id, stage_id: st.id }, json: { opens_on: isoDay(-20), closes_on: isoDay(-1) } }),
    200,
    'move the stage into the past',
  );
  assert.equal(moved.stages.find((s) => s.id === st.id).open, false);
  const p = expectProblem(
    await api('teacher', 'PATCH', '/submissions/{id}', { params: { id: draft.id }, json: { base_version: saved.version, answers: { [code]: 'not_met' } } }),
    409,
    'stage-closed',
    'a save after the stage closed',
  );
  assert.ok(p.detail.includes(st.title), `the stage's title in the message: ${p.detail}`);
  assert.ok(p.detail.includes(ru(isoDay(-20))) && p.detail.includes(ru(isoDay(-1))), `the stage's dates in the message: ${p.detail}`);
  assert.deepEqual([p.stage.id, p.stage.opens_on, p.stage.closes_on], [st.id, isoDay(-20), isoDay(-1)]);
  expectProblem(await api('doo', 'POST', '/submissions', { json: { ...start, target_unit_id: K.id } }), 409, 'stage-closed', 'the self-assessment sheet is not started again');
  const doc = expect(await api('teacher', 'GET', '/submissions/{id}', { params: { id: draft.id } }), 200, 'read after close');
  assert.deepEqual([doc.can_edit, doc.answers[code], doc.window.open], [false, 'met', false], 'the draft is kept as it was');
  // the other stages are still open: the expert's stage is not affected
  assert.equal(moved.stages.find((s) => s.kind === 'expert_remote').open, true);
});

test('every response of the story matches backend/openapi.yaml', () => {
  assert.ok(C.checked > 50, `checked ${C.checked}`);
  assert.deepEqual(C.distinct(), []);
});
