// Expert work (docs/api-experts.md): the conflict-of-interest refusal through every path
// that assigns an expert or moves their workplace (the assignments API, the user API, the
// database itself), the expert's task list, and the report flow draft → preliminary → the
// kindergarten coordinator's comments → final, with who may take each step, the 404s for
// another kindergarten's coordinator and an unassigned expert, and a final report that no
// longer changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { show, login } from './lib.mjs';
import { RUN, DEMO_LOGIN, NO_SUCH_ID, snapshot, under, mariadb, get, post, patch, put, ok, deactivate, createUnit } from './fixtures-org.mjs';
import { loadSpec } from './openapi.mjs';
import { assertConforms } from './client.mjs';

const S = {};
let spec;
let snap;
let K; // the demo kindergarten coordinator's kindergarten, assigned to the demo expert
let M; // its municipality
let K2; // another kindergarten of M, not assigned to the demo expert
let group2; // a group of K2
let campaign;
let qs;
const made = { users: [], units: [] };

function iso(offsetDays) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** The answer is documented in openapi.yaml and matches its schema. */
const conforms = (method, path, r) => assertConforms(spec, method, path, r);

/** A problem of this status (and type slug); returns the fields of its errors. */
function problem(r, status, type) {
  assert.equal(r.status, status, show(r));
  assert.match(r.headers.get('content-type') || '', /application\/problem\+json/, show(r));
  if (type) assert.equal(r.json.type, `/problems/${type}`, show(r));
  return (r.json.errors || []).map((e) => e.field);
}

async function newUser(who, body) {
  const r = await post('/users', { full_name: `Эксперт ${RUN}`, password: 'Initial-Pass-1', ...body }, S[who].token);
  const u = ok(r, 201, `create ${body.login}`);
  made.users.push(u.id);
  return u;
}

/** Signs a new user in (their password must be changed first: the API requires it). */
async function signIn(loginName) {
  const first = await login(loginName, 'Initial-Pass-1');
  const r = await post('/me/password', { old_password: 'Initial-Pass-1', new_password: 'Second-Pass-2' }, first.token);
  assert.equal(r.status, 204, show(r));
  return login(loginName, 'Second-Pass-2');
}

const assignedIds = async (expertId) => (ok(await get(`/users/${expertId}/assignments`, S.municipal_coordinator.token), 200).items || []).map((k) => k.id);

before(async () => {
  spec = loadSpec();
  for (const role of ['administrator', 'region_coordinator', 'municipal_coordinator', 'doo_coordinator', 'teacher', 'expert']) {
    S[role] = await login(DEMO_LOGIN[role]);
  }
  S.expert2 = await login('expert2');
  snap = await snapshot();
  K = snap.units.get(S.doo_coordinator.user.org_unit.id);
  M = snap.units.get(K.parent_id);
  const units = [...snap.units.values()];
  const assigned = new Set(snap.assignments.filter((a) => a.expert_id === S.expert.user.id).map((a) => a.unit_id));
  assert.ok(assigned.has(K.id), 'demo: the expert scores the coordinator’s kindergarten');
  K2 = units.find((u) => u.level === 'kindergarten' && u.active && u.parent_id === M.id && !assigned.has(u.id));
  group2 = K2 && units.find((u) => u.level === 'group' && u.active && u.parent_id === K2.id);
  assert.ok(K2 && group2, 'demo: another kindergarten of the municipality, with a group');
  assert.ok(!snap.assignments.some((a) => a.expert_id === S.expert2.user.id && a.unit_id === K.id), 'demo: expert2 does not score K');

  const instruments = ok(await get('/instruments', S.region_coordinator.token), 200).items;
  qs = instruments.find((i) => i.code === 'QS');
  assert.ok(qs, 'the quality scale is published');
  campaign = ok(
    await post(
      '/campaigns',
      { title: `Экспертиза ${RUN}`, year: new Date().getUTCFullYear(), opens_on: iso(-1), closes_on: iso(30), instrument_ids: [qs.id] },
      S.region_coordinator.token,
    ),
    201,
    'campaign',
  );
});

after(async () => {
  await deactivate(S.administrator.token, { users: made.users, units: made.units });
});

// ---------------------------------------------------------------------------------------
// Conflict of interest

test('conflict: an expert who works in a group of a kindergarten is not assigned to it (409, nothing stored, no audit row)', async () => {
  const e = await newUser('municipal_coordinator', { login: `ex.grp.${RUN}`, role: 'expert', org_unit_id: M.id, works_at_unit_id: group2.id });
  assert.deepEqual(e.works_at, { id: group2.id, name: group2.name, level: 'group' }, 'the workplace is shown');
  const r = await put(`/users/${e.id}/assignments/${K2.id}`, S.municipal_coordinator.token);
  conforms('put', '/users/{id}/assignments/{unit_id}', r);
  assert.deepEqual(problem(r, 409, 'conflict-of-interest'), ['unit_id']);
  assert.match(r.json.detail, /Конфликт интересов/);
  assert.deepEqual(await assignedIds(e.id), [], 'nothing assigned');
  const audit = ok(await get(`/audit?entity=user&entity_id=${e.id}&action=expert.assign`, S.municipal_coordinator.token), 200);
  assert.equal(audit.items.length, 0, 'a refusal writes no audit row');
  // the same expert may score another kindergarten
  assert.equal((await put(`/users/${e.id}/assignments/${K.id}`, S.municipal_coordinator.token)).status, 204);
  assert.deepEqual(await assignedIds(e.id), [K.id]);
});

test('conflict: the kindergarten itself as the workplace, refused for every manager who may assign', async () => {
  const e = await newUser('region_coordinator', { login: `ex.kg.${RUN}`, role: 'expert', org_unit_id: M.id, works_at_unit_id: K2.id });
  for (const who of ['administrator', 'region_coordinator', 'municipal_coordinator']) {
    const r = await put(`/users/${e.id}/assignments/${K2.id}`, S[who].token);
    assert.deepEqual(problem(r, 409, 'conflict-of-interest'), ['unit_id'], who);
  }
  assert.deepEqual(await assignedIds(e.id), []);
});

test('conflict: moving an assigned expert’s workplace into that kindergarten is refused (409); elsewhere it is accepted and audited', async () => {
  const e = await newUser('municipal_coordinator', { login: `ex.move.${RUN}`, role: 'expert', org_unit_id: M.id });
  assert.equal(e.works_at, null);
  assert.equal((await put(`/users/${e.id}/assignments/${K2.id}`, S.municipal_coordinator.token)).status, 204);
  for (const w of [K2.id, group2.id]) {
    const r = await patch(`/users/${e.id}`, { works_at_unit_id: w }, S.municipal_coordinator.token);
    conforms('patch', '/users/{id}', r);
    assert.deepEqual(problem(r, 409, 'conflict-of-interest'), ['works_at_unit_id'], `workplace ${w}`);
  }
  assert.equal(ok(await get(`/users/${e.id}`, S.municipal_coordinator.token), 200).works_at, null, 'unchanged');
  const moved = ok(await patch(`/users/${e.id}`, { works_at_unit_id: K.id }, S.municipal_coordinator.token), 200);
  assert.equal(moved.works_at.id, K.id);
  // now K is where they work: assigning K is refused, clearing the workplace lifts it
  problem(await put(`/users/${e.id}/assignments/${K.id}`, S.municipal_coordinator.token), 409, 'conflict-of-interest');
  assert.equal(ok(await patch(`/users/${e.id}`, { works_at_unit_id: null }, S.municipal_coordinator.token), 200).works_at, null);
  assert.equal((await put(`/users/${e.id}/assignments/${K.id}`, S.municipal_coordinator.token)).status, 204);
  const audit = ok(await get(`/audit?entity=user&entity_id=${e.id}&action=user.update`, S.municipal_coordinator.token), 200);
  assert.ok(audit.items.some((a) => JSON.stringify(a.changes?.works_at_unit_id) === JSON.stringify([null, K.id])), JSON.stringify(audit.items));
});

test('conflict: the database refuses a conflicting assignment or workplace written by any other path', async () => {
  const e = await newUser('municipal_coordinator', { login: `ex.db.${RUN}`, role: 'expert', org_unit_id: M.id, works_at_unit_id: group2.id });
  let r = await mariadb(`INSERT INTO expert_assignments (expert_id, kindergarten_id) VALUES (${e.id}, ${K2.id})`);
  assert.notEqual(r.code, 0, 'the trigger refuses the row');
  assert.match(r.stderr, /conflict of interest/);
  r = await mariadb(`INSERT INTO expert_assignments (expert_id, kindergarten_id) VALUES (${e.id}, ${K.id})`);
  assert.equal(r.code, 0, r.stderr);
  r = await mariadb(`UPDATE users SET works_at_unit_id = ${K.id} WHERE id = ${e.id}`);
  assert.notEqual(r.code, 0, 'a workplace in an assigned kindergarten is refused');
  assert.match(r.stderr, /conflict of interest/);
});

test('conflict: moving the group where an expert works into a kindergarten assigned to them is refused (409)', async () => {
  const g = await createUnit(S.municipal_coordinator.token, { parent_id: K.id, name: `Группа эксперта ${RUN}` }, made.units);
  const e = await newUser('municipal_coordinator', { login: `ex.group.${RUN}`, role: 'expert', org_unit_id: M.id, works_at_unit_id: g.id });
  assert.equal((await put(`/users/${e.id}/assignments/${K2.id}`, S.municipal_coordinator.token)).status, 204, 'the group is not in K2 yet');
  const r = await post(`/units/${g.id}/move`, { parent_id: K2.id }, S.municipal_coordinator.token);
  conforms('post', '/units/{id}/move', r);
  assert.deepEqual(problem(r, 409, 'conflict-of-interest'), ['parent_id']);
  assert.equal(ok(await get(`/units/${g.id}`, S.municipal_coordinator.token), 200).parent_id, K.id, 'not moved');
  // into a kindergarten the expert does not score, it moves
  const K3 = [...snap.units.values()].find((u) => u.level === 'kindergarten' && u.active && u.parent_id === M.id && u.id !== K.id && u.id !== K2.id);
  assert.equal(ok(await post(`/units/${g.id}/move`, { parent_id: K3.id }, S.municipal_coordinator.token), 200).parent_id, K3.id);
});

test('workplace: a kindergarten or a group in the caller’s scope, active (422 / 404)', async () => {
  let r = await post('/users', { login: `ex.bad.${RUN}`, full_name: 'Х', role: 'expert', org_unit_id: M.id, works_at_unit_id: M.id }, S.municipal_coordinator.token);
  assert.deepEqual(problem(r, 422, 'validation'), ['works_at_unit_id'], 'a municipality is not a workplace');
  r = await post('/users', { login: `ex.bad.${RUN}`, full_name: 'Х', role: 'expert', org_unit_id: M.id, works_at_unit_id: 'K' }, S.municipal_coordinator.token);
  assert.deepEqual(problem(r, 422, 'validation'), ['works_at_unit_id']);
  const far = [...snap.units.values()].find((u) => u.level === 'kindergarten' && !under(u.path, M.path));
  r = await post('/users', { login: `ex.bad.${RUN}`, full_name: 'Х', role: 'expert', org_unit_id: M.id, works_at_unit_id: far.id }, S.municipal_coordinator.token);
  problem(r, 404);
  r = await post('/users', { login: `ex.bad.${RUN}`, full_name: 'Х', role: 'expert', org_unit_id: M.id, works_at_unit_id: NO_SUCH_ID }, S.municipal_coordinator.token);
  problem(r, 404);
});

test('assignments carry an optional campaign and kind; bad ones are 422', async () => {
  const e = await newUser('municipal_coordinator', { login: `ex.terms.${RUN}`, role: 'expert', org_unit_id: M.id });
  problem(await put(`/users/${e.id}/assignments/${K.id}?kind=visit`, S.municipal_coordinator.token), 422, 'validation');
  problem(await put(`/users/${e.id}/assignments/${K.id}?campaign_id=${NO_SUCH_ID}`, S.municipal_coordinator.token), 422, 'validation');
  assert.equal((await put(`/users/${e.id}/assignments/${K.id}?campaign_id=${campaign.id}&kind=onsite`, S.municipal_coordinator.token)).status, 204);
  const list = ok(await get(`/users/${e.id}/assignments`, S.municipal_coordinator.token), 200);
  assert.deepEqual(list.items.find((k) => k.id === K.id).assignment, { campaign_id: campaign.id, kind: 'onsite', ends_on: null });
  const audit = ok(await get(`/audit?entity=user&entity_id=${e.id}&action=expert.assign`, S.municipal_coordinator.token), 200);
  assert.deepEqual(audit.items[0].changes, { kindergarten_id: [null, K.id], campaign_id: [null, campaign.id], kind: [null, 'onsite'] });
  // the expert's task list names that campaign only, with the kind
  const ex = await signIn(`ex.terms.${RUN}`);
  const tasks = ok(await get('/me/expert-tasks', ex.token), 200);
  const item = tasks.items.find((t) => t.kindergarten.id === K.id);
  assert.equal(item.kind, 'onsite');
  assert.deepEqual(item.campaigns.map((c) => c.campaign.id), [campaign.id]);
});

// ---------------------------------------------------------------------------------------
// The task list

test('task list: assigned kindergartens with the state of the self-assessment, the expert’s sheet and the report', async () => {
  const t = S.expert.token;
  let r = await get('/me/expert-tasks', t);
  conforms('get', '/me/expert-tasks', r);
  const entry = () => r.json.items.find((i) => i.kindergarten.id === K.id)?.campaigns.find((c) => c.campaign.id === campaign.id);
  assert.ok(entry(), show(r));
  assert.equal(r.json.items.find((i) => i.kindergarten.id === K.id).kindergarten.municipality.id, M.id);
  assert.equal(entry().instrument.code, 'QS');
  assert.equal(entry().campaign.open, true);
  assert.ok(!r.json.items.some((i) => i.kindergarten.id === K2.id), 'only assigned kindergartens');
  const expected = new Set(snap.assignments.filter((a) => a.expert_id === S.expert.user.id).map((a) => a.unit_id));
  for (const i of r.json.items) assert.ok(expected.has(i.kindergarten.id) || i.kindergarten.id === K.id, `not assigned: ${i.kindergarten.id}`);
  const before = entry();
  // the coordinator starts the self-assessment, the expert their own sheet
  const self = ok(await post('/submissions', { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: K.id }, S.doo_coordinator.token), 201);
  const mine = ok(await post('/submissions', { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: K.id }, t), 201);
  r = await get('/me/expert-tasks', t);
  assert.deepEqual([before.self_assessment, before.expert_sheet], [null, null]);
  assert.deepEqual(entry().self_assessment, { id: self.id, status: 'draft' });
  assert.deepEqual(entry().expert_sheet, { id: mine.id, status: 'draft' });
  for (const who of ['municipal_coordinator', 'doo_coordinator', 'teacher']) problem(await get('/me/expert-tasks', S[who].token), 403);
});

// ---------------------------------------------------------------------------------------
// The report flow

test('report flow: draft → preliminary → the kindergarten coordinator’s comments → final; who may do each step; audited', async () => {
  const ex = S.expert.token;
  const doo = S.doo_coordinator.token;
  // the expert starts the report (again: the same one)
  let r = await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K.id }, ex);
  conforms('post', '/expert-reports', r);
  const rep = ok(r, 201, 'create');
  assert.deepEqual([rep.status, rep.kindergarten.id, rep.campaign.id, rep.expert.id], ['draft', K.id, campaign.id, S.expert.user.id]);
  assert.deepEqual([rep.can_edit, rep.can_send, rep.can_finalise, rep.can_comment], [true, true, false, false]);
  r = await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K.id }, ex);
  assert.equal(ok(r, 200, 'again').id, rep.id);
  for (const who of ['municipal_coordinator', 'doo_coordinator', 'teacher']) {
    problem(await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K.id }, S[who].token), 403);
  }

  // a draft is the expert's alone
  for (const who of ['doo_coordinator', 'municipal_coordinator', 'teacher', 'administrator']) {
    problem(await get(`/expert-reports/${rep.id}`, S[who].token), 404);
    const list = ok(await get(`/units/${K.id}/expert-reports`, S[who].token), 200);
    assert.ok(!list.items.some((x) => x.id === rep.id), `${who} lists a draft`);
  }
  problem(await post(`/expert-reports/${rep.id}/comments`, { text: 'рано' }, doo), 404);

  // writing: texts, validation, the version check
  problem(await patch(`/expert-reports/${rep.id}`, { areas: { 'плохой код': 'x' } }, ex), 422, 'validation');
  problem(await patch(`/expert-reports/${rep.id}`, { summary: 5 }, ex), 422, 'validation');
  r = await patch(`/expert-reports/${rep.id}`, { areas: { 'QS.5': 'Пополнить РППС в группах раннего возраста.' } }, ex);
  conforms('patch', '/expert-reports/{id}', r);
  const v2 = ok(r, 200, 'patch');
  assert.deepEqual(v2.areas, { 'QS.5': 'Пополнить РППС в группах раннего возраста.' });
  assert.equal(v2.version, rep.version + 1);
  problem(await patch(`/expert-reports/${rep.id}`, { summary: 'x', version: rep.version }, ex), 409, 'version-conflict');
  // sending needs the overall text
  let sent = await post(`/expert-reports/${rep.id}/send`, undefined, ex);
  assert.deepEqual(problem(sent, 422, 'validation'), ['summary']);
  ok(await patch(`/expert-reports/${rep.id}`, { summary: 'Предварительные выводы по итогам дистанционной экспертизы.', version: v2.version }, ex), 200);
  for (const who of ['doo_coordinator', 'municipal_coordinator']) problem(await post(`/expert-reports/${rep.id}/send`, undefined, S[who].token), 403);
  sent = await post(`/expert-reports/${rep.id}/send`, undefined, ex);
  conforms('post', '/expert-reports/{id}/send', sent);
  const prelim = ok(sent, 200, 'send');
  assert.equal(prelim.status, 'preliminary');
  assert.ok(prelim.sent_at);
  assert.deepEqual([prelim.can_send, prelim.can_finalise, prelim.can_edit], [false, true, true]);
  problem(await post(`/expert-reports/${rep.id}/send`, undefined, ex), 409, 'report-status');
  // the kindergarten's coordinator is told (the bell), with a link to the report
  const told = async (who, pattern) =>
    ok(await get('/me/notifications?limit=50', S[who].token), 200).items.filter((n) => n.kind === 'report' && n.link === `/expert-reports/${rep.id}` && pattern.test(n.title));
  assert.equal((await told('doo_coordinator', /Предварительный отчёт/)).length, 1, 'the coordinator is notified of the preliminary report');
  assert.equal((await told('expert', /./)).length, 0, 'the expert is not notified of their own step');

  // the kindergarten's people and the coordinators up the tree read it; the kindergarten's
  // coordinator is told: it is awaiting comments in their list
  for (const who of ['doo_coordinator', 'teacher', 'municipal_coordinator', 'region_coordinator', 'administrator']) {
    const one = ok(await get(`/expert-reports/${rep.id}`, S[who].token), 200, who);
    assert.equal(one.status, 'preliminary');
    assert.equal(one.can_comment, who === 'doo_coordinator', who);
    assert.equal(one.can_edit, false, who);
  }
  r = await get(`/units/${M.id}/expert-reports?campaign_id=${campaign.id}`, S.municipal_coordinator.token);
  conforms('get', '/units/{id}/expert-reports', r);
  assert.deepEqual(r.json.items.map((x) => x.id), [rep.id]);
  r = await get(`/expert-reports?status=preliminary&kindergarten_id=${K.id}`, doo);
  conforms('get', '/expert-reports', r);
  const mineListed = r.json.items.find((x) => x.id === rep.id);
  assert.equal(mineListed.awaiting_comments, true);

  // comments: only the kindergarten coordinator
  for (const who of ['municipal_coordinator', 'teacher', 'expert', 'administrator']) {
    problem(await post(`/expert-reports/${rep.id}/comments`, { text: 'не мне' }, S[who].token), 403);
  }
  problem(await post(`/expert-reports/${rep.id}/comments`, { text: '   ' }, doo), 422, 'validation');
  problem(await patch(`/expert-reports/${rep.id}`, { summary: 'x' }, doo), 403);
  r = await post(`/expert-reports/${rep.id}/comments`, { text: 'С выводом по области 5 не согласны: центр воды оборудован в мае.' }, doo);
  conforms('post', '/expert-reports/{id}/comments', r);
  const commented = ok(r, 201, 'comment');
  assert.equal(commented.comments.length, 1);
  assert.deepEqual([commented.comments[0].author.id, commented.comments[0].text], [S.doo_coordinator.user.id, 'С выводом по области 5 не согласны: центр воды оборудован в мае.']);
  assert.equal(commented.awaiting_comments, false);
  assert.equal((await told('expert', /Комментарий детского сада/)).length, 1, 'the expert is notified of the comment');

  // the expert finalises with the recommendations
  for (const who of ['doo_coordinator', 'municipal_coordinator']) problem(await post(`/expert-reports/${rep.id}/finalise`, {}, S[who].token), 403);
  r = await post(
    `/expert-reports/${rep.id}/finalise`,
    { summary: 'Итоговые выводы и рекомендации.', areas: { 'QS.5': null, 'QS.7': 'Вовлекать родителей в оценку качества.' } },
    ex,
  );
  conforms('post', '/expert-reports/{id}/finalise', r);
  const fin = ok(r, 200, 'finalise');
  assert.deepEqual([fin.status, fin.summary, fin.areas], ['final', 'Итоговые выводы и рекомендации.', { 'QS.7': 'Вовлекать родителей в оценку качества.' }]);
  assert.ok(fin.finalised_at);
  assert.deepEqual([fin.can_edit, fin.can_send, fin.can_finalise, fin.can_comment], [false, false, false, false]);
  assert.equal((await told('doo_coordinator', /Итоговый отчёт/)).length, 1, 'the coordinator is notified of the final report');

  // a final report is read-only
  problem(await patch(`/expert-reports/${rep.id}`, { summary: 'поправка' }, ex), 409, 'report-final');
  problem(await post(`/expert-reports/${rep.id}/finalise`, {}, ex), 409, 'report-final');
  problem(await post(`/expert-reports/${rep.id}/send`, undefined, ex), 409, 'report-final');
  problem(await post(`/expert-reports/${rep.id}/comments`, { text: 'поздно' }, doo), 409, 'report-final');
  assert.equal(ok(await get(`/expert-reports/${rep.id}`, doo), 200).summary, 'Итоговые выводы и рекомендации.');

  // the report shows in the task list; every step is in the audit log
  const tasks = ok(await get('/me/expert-tasks', ex), 200);
  const entry = tasks.items.find((i) => i.kindergarten.id === K.id).campaigns.find((c) => c.campaign.id === campaign.id);
  assert.deepEqual(entry.report, { id: rep.id, status: 'final' });
  const audit = ok(await get(`/audit?entity=expert_report&entity_id=${rep.id}`, S.municipal_coordinator.token), 200);
  assert.deepEqual(
    audit.items.map((a) => a.action).reverse(),
    ['expert_report.create', 'expert_report.update', 'expert_report.update', 'expert_report.send', 'expert_report.comment', 'expert_report.finalise'],
  );
  assert.deepEqual(audit.items[0].changes.status, ['preliminary', 'final']);
});

test('access: another kindergarten’s coordinator and an unassigned expert get 404 for everything', async () => {
  const rep = ok(await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K.id }, S.expert.token), 200, 'the report of the flow');
  const coord = await newUser('municipal_coordinator', { login: `doo.other.${RUN}`, role: 'doo_coordinator', org_unit_id: K2.id });
  const other = await signIn(coord.login);
  problem(await get(`/expert-reports/${rep.id}`, other.token), 404);
  problem(await post(`/expert-reports/${rep.id}/comments`, { text: 'чужой' }, other.token), 404);
  assert.ok(!ok(await get('/expert-reports', other.token), 200).items.some((x) => x.id === rep.id));
  problem(await get(`/units/${K.id}/expert-reports`, other.token), 404);

  // expert2 is not assigned to K: neither the report nor starting one
  const e2 = S.expert2.token;
  problem(await get(`/expert-reports/${rep.id}`, e2), 404);
  problem(await patch(`/expert-reports/${rep.id}`, { summary: 'x' }, e2), 404);
  problem(await post(`/expert-reports/${rep.id}/finalise`, {}, e2), 404);
  problem(await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K.id }, e2), 404);
  problem(await get(`/units/${K.id}/expert-reports`, e2), 404);
  // another expert assigned to K sees only their own reports
  const e = await newUser('municipal_coordinator', { login: `ex.peer.${RUN}`, role: 'expert', org_unit_id: M.id });
  assert.equal((await put(`/users/${e.id}/assignments/${K.id}`, S.municipal_coordinator.token)).status, 204);
  const peer = await signIn(e.login);
  problem(await get(`/expert-reports/${rep.id}`, peer.token), 404);
  assert.deepEqual(ok(await get(`/units/${K.id}/expert-reports`, peer.token), 200).items, []);
  // their own report cannot be finalised before it was sent
  const own = ok(await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K.id }, peer.token), 201);
  problem(await post(`/expert-reports/${own.id}/finalise`, { summary: 'x' }, peer.token), 409, 'report-status');
  problem(await get(`/expert-reports/${NO_SUCH_ID}`, peer.token), 404);
});

test('create: the kindergarten and the campaign must fit (404 / 422)', async () => {
  const ex = S.expert.token;
  problem(await post('/expert-reports', { campaign_id: campaign.id }, ex), 422, 'validation');
  problem(await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: M.id }, ex), 404);
  problem(await post('/expert-reports', { campaign_id: campaign.id, kindergarten_id: K2.id }, ex), 404);
  assert.deepEqual(problem(await post('/expert-reports', { campaign_id: NO_SUCH_ID, kindergarten_id: K.id }, ex), 422, 'validation'), ['campaign_id']);
  problem(await get('/expert-reports?status=lost', ex), 400);
});
