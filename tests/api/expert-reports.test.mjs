// Expert work (docs/api-experts.md): the conflict-of-interest refusal through every path
// that assigns an expert or moves their workplace (the assignments API, the user API, the
// database itself).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { show, login } from './lib.mjs';
import { RUN, DEMO_LOGIN, NO_SUCH_ID, snapshot, under, mariadb, get, post, patch, put, ok, deactivate } from './fixtures-org.mjs';
import { loadSpec, deref, validate } from './openapi.mjs';

const S = {};
let spec;
let snap;
let K; // the demo kindergarten coordinator's kindergarten, assigned to the demo expert
let M; // its municipality
let K2; // another kindergarten of M, not assigned to the demo expert
let group2; // a group of K2
let campaign;
let qs;
const made = { users: [] };

function iso(offsetDays) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** The answer is documented in openapi.yaml and matches its schema. */
function conforms(method, path, r) {
  let doc = spec.paths[path]?.[method]?.responses?.[String(r.status)];
  assert.ok(doc, `${method} ${path}: status ${r.status} not documented (${show(r)})`);
  if (doc.$ref) doc = deref(spec, doc.$ref);
  const ct = (r.headers.get('content-type') || '').split(';')[0].trim();
  const media = doc.content?.[ct];
  assert.ok(media, `${method} ${path} ${r.status}: media type ${ct} not documented`);
  if (media.schema) assert.deepEqual(validate(spec, media.schema, r.json), [], show(r));
}

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
  await deactivate(S.administrator.token, { users: made.users });
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
  assert.deepEqual(list.items.find((k) => k.id === K.id).assignment, { campaign_id: campaign.id, kind: 'onsite' });
  const audit = ok(await get(`/audit?entity=user&entity_id=${e.id}&action=expert.assign`, S.municipal_coordinator.token), 200);
  assert.deepEqual(audit.items[0].changes, { kindergarten_id: [null, K.id], campaign_id: [null, campaign.id], kind: [null, 'onsite'] });
});

