// Users, passwords and expert assignments (docs/api-org.md, "Users"): the life of an
// account (create → temporary password → password-change gate → own password), resets and
// deactivation that end sessions, the manage rules (a role one step below, a unit within the
// scope that fits the role), validation, the list's filters and paging, and expert
// assignments. Every answer is checked against backend/openapi.yaml. Users made here carry
// the run's tag in their login and are deactivated at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, loginRaw, refresh, assertProblem, show, waitFor, getSetCookie, assertRefreshCookie, runTag } from './lib.mjs';
import { loadSpec } from './openapi.mjs';
import { assertConforms } from './client.mjs';

const API = '/api/v1';
const RUN = runTag('u');
const TEMP_PASSWORD = /^[A-HJ-NP-Za-km-z2-9]{12}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let spec;
const T = {}; // login -> { token, user }
const U = {}; // units: region, M (Энск), K (Солнышко), K2 (another kindergarten of M), K3, far (kindergarten of M2), M2
const made = []; // ids of users to deactivate at the end
let seq = 0;

const call = (method, path, token, json) =>
  request(API + path, { method, token, ...(json !== undefined ? { json } : {}) });
const get = (path, who) => call('GET', path, T[who].token);

/** Asserts that a response is documented in openapi.yaml and matches its schema. */
const conforms = (method, template, r) => assertConforms(spec, method, template, r);

/** A problem with this status and type slug; returns the fields of its errors. */
function problem(r, status, type) {
  const p = assertProblem(r, status);
  if (type) assert.match(p.type, new RegExp(`/problems/${type}$`), show(r));
  return (p.errors || []).map((e) => e.field).sort();
}

const newLogin = (what) => `${RUN}.${what}${++seq}`;

/** Creates a user as `who` (must succeed); returns the document with temporary_password. */
async function createUser(who, fields) {
  const body = { login: newLogin(fields.role.slice(0, 3)), full_name: `Тестова ${RUN} ${seq}`, ...fields };
  const r = await call('POST', '/users', T[who].token, body);
  assert.equal(r.status, 201, show(r));
  conforms('post', '/users', r);
  made.push(r.json.id);
  return r.json;
}

/** Finds one unit by code as the administrator. */
async function unitByCode(code) {
  const r = await get(`/units?q=${encodeURIComponent(code)}`, 'admin');
  const u = r.json?.items?.find((x) => x.code === code);
  assert.ok(u, `demo unit ${code}: ${show(r)}`);
  return u;
}

before(async () => {
  spec = loadSpec();
  for (const l of ['admin', 'region', 'municipal', 'municipal2', 'doo', 'teacher', 'expert']) {
    const s = await login(l);
    T[l] = { token: s.token, user: s.user };
  }
  U.region = T.admin.user.org_unit;
  U.M = T.municipal.user.org_unit;
  U.M2 = T.municipal2.user.org_unit;
  U.K = T.doo.user.org_unit;
  U.K2 = await unitByCode('9901012058'); // Берёзка, Энск
  U.K3 = await unitByCode('9901012475'); // Улыбка, Энск (not assigned to the expert)
  U.far = await unitByCode('9920003411'); // Колосок, Приреченский район
  assert.equal(U.M.level, 'municipality');
  assert.equal(U.K.level, 'kindergarten');
  assert.equal(U.M2.level, 'municipality');
});

after(async () => {
  for (const id of made) await call('PATCH', `/users/${id}`, T.admin.token, { active: false });
});

// ---------------------------------------------------------------------------------------
// The life of an account

test('create → sign in with the temporary password → gate → change it → everything works', async () => {
  const u = await createUser('municipal', {
    role: 'teacher',
    org_unit_id: U.K.id,
    email: '  new.teacher@ds12.ensk.example ',
    phone: '+7 (900) 555-10-10',
  });
  assert.equal(u.must_change_password, true);
  assert.equal(u.active, true);
  assert.match(u.temporary_password, TEMP_PASSWORD);
  assert.match(u.created_at, ISO_UTC);
  assert.ok(Math.abs(Date.parse(u.created_at) - Date.now()) < 5 * 60e3, `created_at ${u.created_at}`);
  assert.equal(u.email, 'new.teacher@ds12.ensk.example', 'trimmed');
  assert.deepEqual(u.org_unit, { id: U.K.id, name: U.K.name, level: 'kindergarten' });

  const one = await get(`/users/${u.id}`, 'municipal');
  conforms('get', '/users/{id}', one);
  assert.equal(one.json.temporary_password, undefined, 'the password is shown once');
  assert.deepEqual({ ...one.json }, (({ temporary_password, ...rest }) => rest)(u));

  const s = await login(u.login, u.temporary_password);
  assert.equal(s.user.must_change_password, true);
  problem(await call('GET', '/units', s.token), 403, 'password-change-required');
  assert.equal((await call('GET', '/me', s.token)).status, 200);

  const change = (json) => call('POST', '/me/password', s.token, json);
  let r = await change({ old_password: 'not-the-password', new_password: 'Solnce-2026!' });
  assert.deepEqual(problem(r, 422, 'validation'), ['old_password']);
  conforms('post', '/me/password', r);
  r = await change({ old_password: u.temporary_password, new_password: u.login.toUpperCase() });
  assert.deepEqual(problem(r, 422), ['new_password'], 'not the login');
  r = await change({ old_password: u.temporary_password, new_password: 'short' });
  assert.deepEqual(problem(r, 422), ['new_password'], 'at least 8 characters');
  r = await change({ old_password: u.temporary_password, new_password: u.temporary_password });
  assert.deepEqual(problem(r, 422), ['new_password'], 'not the old one');
  r = await change({ old_password: 5, new_password: ['x'] });
  assert.deepEqual(problem(r, 422), ['new_password', 'old_password'], 'wrong types are 422');

  r = await change({ old_password: u.temporary_password, new_password: 'Солнце-2026!' });
  assert.equal(r.status, 204, show(r));
  conforms('post', '/me/password', r);
  // the access token from before the change is refused; the new refresh cookie gives a new one
  assert.equal((await call('GET', '/me', s.token)).status, 401, 'an access token issued before the change');
  const renewed = await refresh(`vsok_refresh=${getSetCookie(r.headers).value}`);
  assert.equal(renewed.status, 200, show(renewed));
  const token = renewed.json.access_token;
  // the gate lifts at once in every worker
  for (let i = 0; i < 8; i++) assert.equal((await call('GET', '/units', token)).status, 200);
  assert.equal((await call('GET', '/me', token)).json.must_change_password, false);
  assert.equal((await loginRaw(u.login, u.temporary_password)).status, 401);
  assert.equal((await login(u.login, 'Солнце-2026!')).user.must_change_password, false);

  const audit = await get(`/audit?entity=user&entity_id=${u.id}`, 'municipal');
  const actions = audit.json.items.map((a) => a.action);
  assert.ok(actions.includes('user.create') && actions.includes('user.password_change'), actions.join());
  const created = audit.json.items.find((a) => a.action === 'user.create');
  assert.deepEqual(created.changes.login, [null, u.login]);
  assert.ok(!JSON.stringify(audit.json).includes(u.temporary_password), 'no password in the audit log');
});

test('a given initial password is used and still has to be changed; 409 for a taken login', async () => {
  const u = await createUser('admin', { role: 'expert', org_unit_id: U.region.id, password: 'Initial-Pass-1' });
  assert.equal(u.temporary_password, undefined);
  assert.equal(u.must_change_password, true);
  assert.equal((await login(u.login, 'Initial-Pass-1')).user.must_change_password, true);
  for (const taken of ['teacher', 'TEACHER', u.login]) {
    const r = await call('POST', '/users', T.municipal.token, {
      login: taken,
      full_name: 'Дубликат',
      role: 'teacher',
      org_unit_id: U.K.id,
    });
    assert.deepEqual(problem(r, 409, 'login-taken'), ['login'], taken);
    conforms('post', '/users', r);
  }
});

test('password reset: temporary password, sessions end, lock-out cleared; not for oneself', async () => {
  const u = await createUser('doo', { role: 'teacher', org_unit_id: U.K.id });
  const s = await login(u.login, u.temporary_password);
  let r = await call('POST', `/users/${u.id}/password`, T.doo.token, {});
  assert.equal(r.status, 200, show(r));
  conforms('post', '/users/{id}/password', r);
  const temp = r.json.temporary_password;
  assert.match(temp, TEMP_PASSWORD);
  assert.notEqual(temp, u.temporary_password);
  assert.equal((await refresh(s.cookie)).status, 401, 'refresh tokens revoked');
  assert.equal((await loginRaw(u.login, u.temporary_password)).status, 401);
  assert.equal((await login(u.login, temp)).user.must_change_password, true);

  r = await call('POST', `/users/${u.id}/password`, T.doo.token, { password: 'Given-Temp-9' });
  assert.deepEqual(r.json, { temporary_password: 'Given-Temp-9' });
  assert.equal((await login(u.login, 'Given-Temp-9')).user.must_change_password, true);
  for (const [password, why] of [['short', 'length'], [u.login, 'the login'], [42, 'type']]) {
    r = await call('POST', `/users/${u.id}/password`, T.doo.token, { password });
    assert.deepEqual(problem(r, 422), ['password'], why);
  }
  r = await call('POST', `/users/${T.doo.user.id}/password`, T.doo.token, {});
  problem(r, 403);
  conforms('post', '/users/{id}/password', r);
  r = await call('POST', `/users/${T.municipal.user.id}/password`, T.doo.token, {});
  problem(r, 404); // outside the kindergarten coordinator's scope
  const audit = await get(`/audit?action=user.password_reset&entity_id=${u.id}`, 'doo');
  assert.equal(audit.json.items.length, 2, show(audit));
});

test('changing one’s own password ends the other sessions; the caller gets a new refresh cookie', async () => {
  const u = await createUser('municipal', { role: 'teacher', org_unit_id: U.K.id });
  const here = await login(u.login, u.temporary_password); // the browser that changes it
  const other = await login(u.login, u.temporary_password); // a second device, or a stolen cookie
  const r = await call('POST', '/me/password', here.token, { old_password: u.temporary_password, new_password: 'Lesnaya-Tropa-26' });
  assert.equal(r.status, 204, show(r));
  conforms('post', '/me/password', r);
  assert.equal((await refresh(other.cookie)).status, 401, 'the other session’s refresh cookie still works');
  assert.equal((await refresh(here.cookie)).status, 401, 'the refresh cookie from before the change still works');
  const fresh = getSetCookie(r.headers);
  assertRefreshCookie(fresh);
  const renewed = await refresh(`vsok_refresh=${fresh.value}`);
  assert.equal(renewed.status, 200, `the new cookie of the caller: ${show(renewed)}`);
  assert.equal(renewed.json.user.id, u.id);
  // the access tokens issued before the change stop too (within the few seconds a worker
  // keeps a user's row), the one from the new session works
  await waitFor(async () => (await call('GET', '/me', other.token)).status === 401, {
    timeout: 8000,
    what: 'the other session’s access token to be refused',
  });
  assert.equal((await call('GET', '/me', here.token)).status, 401);
  assert.equal((await call('GET', '/me', renewed.json.access_token)).status, 200);
});

test('POST /me/password: wrong current passwords count like failed logins (429 + Retry-After)', async () => {
  const u = await createUser('municipal', { role: 'teacher', org_unit_id: U.K.id });
  const s = await login(u.login, u.temporary_password);
  const statuses = [];
  let last;
  for (let i = 0; i < 6; i++) {
    last = await call('POST', '/me/password', s.token, { old_password: `guess-${i}-${RUN}`, new_password: 'Lesnaya-Tropa-26' });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [422, 422, 422, 422, 422, 429], show(last));
  assert.match(assertProblem(last, 429).type, /\/problems\/too-many-attempts$/);
  conforms('post', '/me/password', last);
  const wait = Number(last.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 30, `Retry-After ${last.headers.get('retry-after')}`);
  // while locked, the right password does not help here nor at the login
  const right = await call('POST', '/me/password', s.token, { old_password: u.temporary_password, new_password: 'Lesnaya-Tropa-26' });
  assert.equal(right.status, 429, show(right));
  assert.equal((await loginRaw(u.login, u.temporary_password, { retry429: false })).status, 429);
});

test('new passwords: common and breached ones, the login and the system’s name are 422 with a Russian message', async () => {
  const u = await createUser('municipal', { role: 'teacher', org_unit_id: U.K.id });
  const s = await login(u.login, u.temporary_password);
  const change = (pw) => call('POST', '/me/password', s.token, { old_password: u.temporary_password, new_password: pw });
  for (const [pw, message] of [
    ['12345678', /распространён/],
    ['password123', /распространён/],
    ['Qwerty123', /распространён/],
    ['йцукенгш', /распространён/],
    [`${u.login}2026`, /логином/],
    ['Vsok-2026-pass', /ВСОК/],
    ['zzzzzzzzzz', /повторяющегося/],
  ]) {
    const r = await change(pw);
    assert.deepEqual(problem(r, 422, 'validation'), ['new_password'], `${pw}: ${show(r)}`);
    assert.match(r.json.errors[0].message, message, pw);
  }
  // the same rule on every path that sets a password
  let r = await call('POST', '/users', T.municipal.token, { login: newLogin('cp'), full_name: 'Простой Пароль', role: 'teacher', org_unit_id: U.K.id, password: 'password1' });
  assert.deepEqual(problem(r, 422), ['password'], show(r));
  r = await call('POST', `/users/${u.id}/password`, T.municipal.token, { password: 'iloveyou' });
  assert.deepEqual(problem(r, 422), ['password'], show(r));
  assert.equal((await change('Lesnaya-Tropa-26')).status, 204);
});

test('names are one line: CR, LF and other control characters in unit names, titles and full names are 422', async () => {
  for (const name of ['Группа\r\nВторая', 'Группа\nX', 'Группа\u0007', 'Группа\u0085X', 'Группа\u2028X']) {
    let r = await call('POST', '/units', T.admin.token, { parent_id: U.K.id, name });
    assert.deepEqual(problem(r, 422, 'validation'), ['name'], `POST /units ${JSON.stringify(name)}: ${show(r)}`);
    r = await call('PATCH', `/units/${U.K3.id}`, T.admin.token, { name });
    assert.deepEqual(problem(r, 422, 'validation'), ['name'], `PATCH /units ${JSON.stringify(name)}: ${show(r)}`);
    r = await call('PATCH', `/units/${U.K3.id}`, T.admin.token, { address: `${name} 1` });
    assert.deepEqual(problem(r, 422, 'validation'), ['address'], show(r));
    r = await call('POST', '/users', T.municipal.token, { login: newLogin('nl'), full_name: `Иванова ${name}`, role: 'teacher', org_unit_id: U.K.id });
    assert.deepEqual(problem(r, 422), ['full_name'], show(r));
    r = await call('POST', '/campaigns', T.region.token, { title: `Мониторинг ${name}`, year: 2030, opens_on: '2030-01-10', closes_on: '2030-02-10', instrument_ids: [] });
    assert.ok(problem(r, 422).includes('title'), show(r));
  }
  const fine = await call('PATCH', `/units/${U.K3.id}`, T.admin.token, { name: U.K3.name });
  assert.equal(fine.status, 200, show(fine));
});

test('deactivation ends the sessions at once: refresh 401, the access token refused, no login', async () => {
  const u = await createUser('municipal', { role: 'doo_coordinator', org_unit_id: U.K3.id });
  const s = await login(u.login, u.temporary_password);
  let r = await call('PATCH', `/users/${u.id}`, T.municipal.token, { active: false });
  assert.equal(r.status, 200, show(r));
  conforms('patch', '/users/{id}', r);
  assert.equal(r.json.active, false);
  assert.equal((await refresh(s.cookie)).status, 401);
  await waitFor(async () => (await call('GET', '/me', s.token)).status === 401, {
    timeout: 8000,
    what: 'the access token of a deactivated user to be refused',
  });
  assert.equal((await loginRaw(u.login, u.temporary_password)).status, 401);
  const listed = await get(`/users?q=${encodeURIComponent(u.login)}&active=0`, 'municipal');
  assert.deepEqual(listed.json.items.map((x) => x.id), [u.id]);
  const audit = await get(`/audit?action=user.update&entity_id=${u.id}`, 'municipal');
  assert.deepEqual(audit.json.items[0].changes, { active: [true, false] });

  r = await call('PATCH', `/users/${u.id}`, T.municipal.token, { active: true });
  assert.equal(r.json.active, true);
  assert.equal((await loginRaw(u.login, u.temporary_password)).status, 200);
});

// ---------------------------------------------------------------------------------------
// Manage rules

test('roles: only one step below (403 forbidden-role), within the scope (404), fitting the unit (422)', async () => {
  const post = (who, role, unit) =>
    call('POST', '/users', T[who].token, { login: newLogin('x'), full_name: 'Лишний', role, org_unit_id: unit.id });
  let r = await post('doo', 'municipal_coordinator', U.M);
  problem(r, 403, 'forbidden-role');
  conforms('post', '/users', r);
  problem(await post('doo', 'doo_coordinator', U.K), 403, 'forbidden-role');
  problem(await post('municipal', 'municipal_coordinator', U.M), 403, 'forbidden-role');
  problem(await post('region', 'region_coordinator', U.region), 403, 'forbidden-role');
  for (const who of ['teacher', 'expert']) problem(await post(who, 'teacher', U.K), 403, 'forbidden');

  r = await post('doo', 'teacher', U.K2);
  problem(r, 404); // another kindergarten
  conforms('post', '/users', r);
  problem(await post('municipal', 'teacher', U.far), 404); // another municipality
  problem(await post('municipal', 'expert', { id: 987654321 }), 404);

  r = await post('municipal', 'expert', U.K);
  assert.deepEqual(problem(r, 422, 'validation'), ['org_unit_id'], 'an expert belongs to a municipality or region');
  assert.deepEqual(problem(await post('municipal', 'teacher', U.M), 422), ['org_unit_id']);
  assert.deepEqual(problem(await post('admin', 'administrator', U.M), 422), ['org_unit_id']);

  const mc = await createUser('region', { role: 'municipal_coordinator', org_unit_id: U.M2.id });
  assert.equal(mc.role, 'municipal_coordinator');
  const ex = await createUser('municipal', { role: 'expert', org_unit_id: U.M.id });
  assert.equal(ex.org_unit.level, 'municipality');
});

test('scope: users of another municipality are 404 and never listed', async () => {
  const other = T.municipal2.user;
  for (const [m, p, body] of [
    ['GET', `/users/${other.id}`],
    ['PATCH', `/users/${other.id}`, { full_name: 'x' }],
    ['POST', `/users/${other.id}/password`, {}],
  ]) {
    const r = await call(m, p, T.municipal.token, body);
    problem(r, 404);
  }
  const r = await get(`/users?q=municipal2`, 'municipal');
  assert.deepEqual(r.json.items, []);
  assert.equal(r.json.total, 0);
  problem(await get(`/users?unit_id=${U.M2.id}`, 'municipal'), 404);
  problem(await get('/users', 'teacher'), 403);
});

test('edits: role and unit changes follow the rules; nobody changes their own role, unit or active flag', async () => {
  const u = await createUser('municipal', { role: 'teacher', org_unit_id: U.K.id });
  const patch = (who, json, id = u.id) => call('PATCH', `/users/${id}`, T[who].token, json);

  let r = await patch('municipal', { role: 'doo_coordinator' });
  assert.equal(r.status, 200, show(r));
  assert.equal(r.json.role, 'doo_coordinator');
  problem(await patch('doo', { full_name: 'x' }), 403, 'forbidden-role'); // a peer, not below
  problem(await patch('municipal', { role: 'municipal_coordinator', org_unit_id: U.M.id }), 403, 'forbidden-role');
  assert.deepEqual(problem(await patch('municipal', { org_unit_id: U.M.id }), 422), ['org_unit_id']);
  assert.deepEqual(problem(await patch('municipal', { role: 'expert' }), 422), ['role'], 'an expert in a kindergarten');
  problem(await patch('municipal', { org_unit_id: U.far.id }), 404);
  r = await patch('municipal', { role: 'teacher', org_unit_id: U.K2.id, email: 'x@y.example', phone: null });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual([r.json.role, r.json.org_unit.id, r.json.email, r.json.phone], ['teacher', U.K2.id, 'x@y.example', null]);
  const audit = await get(`/audit?action=user.update&entity_id=${u.id}`, 'municipal');
  assert.deepEqual(audit.json.items[0].changes, {
    role: ['doo_coordinator', 'teacher'],
    org_unit_id: [U.K.id, U.K2.id],
    email: [null, 'x@y.example'],
  });
  // the same values again: 200, nothing written
  r = await patch('municipal', { full_name: u.full_name, email: 'x@y.example' });
  assert.equal(r.status, 200, show(r));
  const again = await get(`/audit?action=user.update&entity_id=${u.id}`, 'municipal');
  assert.equal(again.json.items.length, audit.json.items.length);

  const me = T.municipal.user;
  r = await patch('municipal', { role: 'doo_coordinator', org_unit_id: U.K.id, active: false }, me.id);
  assert.deepEqual(problem(r, 422), ['active', 'org_unit_id', 'role']);
  r = await patch('municipal', { phone: '+7 900 555-01-03' }, me.id);
  assert.equal(r.status, 200, 'one may edit one’s own contact details');
  problem(await patch('admin', { active: false }, T.admin.user.id), 422);
});

test('validation: one error per bad field, wrong JSON types included', async () => {
  const post = (json) => call('POST', '/users', T.municipal.token, json);
  let r = await post({
    login: 'a b',
    full_name: '   ',
    role: 'boss',
    org_unit_id: '5',
    email: 'nope@localhost',
    phone: 'позвонить',
    password: 'short',
  });
  assert.deepEqual(problem(r, 422, 'validation'), ['email', 'full_name', 'login', 'org_unit_id', 'password', 'phone', 'role']);
  conforms('post', '/users', r);
  assert.ok(r.json.errors.every((e) => /[а-яё]/i.test(e.message)), 'messages in Russian');
  r = await post({ login: 5, full_name: [], role: {}, org_unit_id: 1.5, active: 'yes', email: 7, phone: true });
  assert.deepEqual(problem(r, 422), ['active', 'email', 'full_name', 'login', 'org_unit_id', 'phone', 'role']);
  assert.deepEqual(problem(await post({}), 422), ['full_name', 'login', 'org_unit_id', 'role']);
  assert.deepEqual(problem(await post([]), 422), ['body']);
  assert.deepEqual(problem(await post({ login: 'ab', full_name: 'x'.repeat(301), role: 'teacher', org_unit_id: U.K.id }), 422), [
    'full_name',
    'login',
  ]);
  assert.deepEqual(
    problem(await post({ login: 'x'.repeat(65), full_name: 'Ок', role: 'teacher', org_unit_id: U.K.id, email: `${'a'.repeat(250)}@b.ru` }), 422),
    ['email', 'login'],
  );

  const id = T.teacher.user.id;
  r = await call('PATCH', `/users/${id}`, T.municipal.token, { login: 'renamed', password: 'Password-123', full_name: '' });
  assert.deepEqual(problem(r, 422), ['full_name', 'login', 'password']);
  conforms('patch', '/users/{id}', r);
  r = await call('PATCH', `/users/${id}`, T.municipal.token, { login: 'teacher' });
  assert.equal(r.status, 200, 'the stored login may be repeated');

  r = await get('/users?role=boss&unit_id=abc&active=2&limit=0&offset=-1', 'municipal');
  assert.deepEqual(problem(r, 422), ['active', 'limit', 'offset', 'role', 'unit_id']);
  conforms('get', '/users', r);
  assert.deepEqual(problem(await get('/users?limit=201', 'municipal'), 422), ['limit']);
});

// ---------------------------------------------------------------------------------------
// The list

test('list: scope, filters, search, paging and total', async () => {
  let r = await get('/users', 'municipal');
  assert.equal(r.status, 200, show(r));
  conforms('get', '/users', r);
  const all = r.json;
  assert.ok(all.total >= all.items.length && all.items.length > 0);
  const logins = all.items.map((u) => u.login);
  for (const l of ['municipal', 'doo', 'teacher', 'expert']) assert.ok(logins.includes(l), l);
  for (const l of ['admin', 'region', 'municipal2']) assert.ok(!logins.includes(l), l);

  r = await get('/users?role=teacher', 'municipal');
  assert.ok(r.json.items.length > 0 && r.json.items.every((u) => u.role === 'teacher'));
  r = await get(`/users?unit_id=${U.K.id}&limit=200`, 'municipal');
  assert.ok(r.json.items.some((u) => u.login === 'teacher'));
  assert.ok(r.json.items.every((u) => u.org_unit.id === U.K.id), 'only the kindergarten');
  r = await get(`/users?unit_id=${U.M.id}&limit=200`, 'region');
  assert.equal(r.json.total, (await get('/users?limit=200', 'municipal')).json.total, 'a subtree = what its coordinator sees');

  // (other suites deactivate the users they made: look for the demo's by name)
  r = await get('/users?active=0&q=teacher.old', 'admin');
  assert.ok(r.json.items.some((u) => u.login === 'teacher.old'));
  assert.ok(r.json.items.every((u) => u.active === false));
  r = await get('/users?active=0&limit=200', 'admin');
  assert.ok(r.json.items.length > 0 && r.json.items.every((u) => u.active === false));
  r = await get(`/users?q=${encodeURIComponent('ИВАНОВА мария')}`, 'municipal');
  assert.deepEqual(r.json.items.map((u) => u.login), ['teacher'], 'full name, case-insensitive');
  r = await get(`/users?q=${encodeURIComponent('ds12.ensk')}`, 'municipal');
  assert.ok(r.json.items.some((u) => u.login === 'teacher'), 'by email');
  r = await get(`/users?q=${encodeURIComponent('%')}`, 'admin');
  assert.equal(r.json.total, 0, '% is not a wildcard');

  const four = (await get('/users?limit=4', 'admin')).json;
  const a = (await get('/users?limit=2&offset=0', 'admin')).json;
  const b = (await get('/users?limit=2&offset=2', 'admin')).json;
  assert.deepEqual([...a.items, ...b.items].map((u) => u.id), four.items.map((u) => u.id));
  assert.equal(a.total, four.total);
  const beyond = (await get(`/users?offset=${four.total}`, 'admin')).json;
  assert.deepEqual([beyond.items, beyond.total], [[], four.total]);

  const tag = `${RUN}sort`;
  for (const name of ['Яковлева Яна', 'абрамова Алла', 'Мельникова Мила', 'Ёлкина Ева']) {
    await createUser('municipal', { role: 'teacher', org_unit_id: U.K.id, full_name: `${name} ${tag}` });
  }
  r = await get(`/users?q=${tag}`, 'municipal');
  assert.deepEqual(
    r.json.items.map((u) => u.full_name.split(' ')[0]),
    ['абрамова', 'Ёлкина', 'Мельникова', 'Яковлева'],
    'ordered by full name, case-insensitively',
  );
});

// ---------------------------------------------------------------------------------------
// Expert assignments

test('assignments: list, assign (idempotent), the expert sees it at once, unassign; audited', async () => {
  const expert = T.expert.user;
  let r = await get(`/users/${expert.id}/assignments`, 'municipal');
  assert.equal(r.status, 200, show(r));
  conforms('get', '/users/{id}/assignments', r);
  assert.ok(r.json.items.some((k) => k.id === U.K.id), 'the demo expert scores Солнышко');
  assert.ok(r.json.items.every((k) => k.level === 'kindergarten'));
  problem(await call('GET', `/units/${U.K3.id}`, T.expert.token), 404);

  const put = (who, kg, id = expert.id) => call('PUT', `/users/${id}/assignments/${kg}`, T[who].token);
  const del = (who, kg, id = expert.id) => call('DELETE', `/users/${id}/assignments/${kg}`, T[who].token);
  const mark = (await get('/audit?limit=1', 'admin')).json.items[0]?.id ?? 0;
  r = await put('municipal', U.K3.id);
  assert.equal(r.status, 204, show(r));
  conforms('put', '/users/{id}/assignments/{unit_id}', r);
  assert.equal((await put('municipal', U.K3.id)).status, 204, 'idempotent');
  assert.ok((await get(`/users/${expert.id}/assignments`, 'municipal')).json.items.some((k) => k.id === U.K3.id));
  assert.equal((await call('GET', `/units/${U.K3.id}`, T.expert.token)).status, 200, 'in the expert’s scope');

  r = await del('municipal', U.K3.id);
  assert.equal(r.status, 204, show(r));
  conforms('delete', '/users/{id}/assignments/{unit_id}', r);
  assert.equal((await del('municipal', U.K3.id)).status, 204, 'again: nothing to remove');
  problem(await call('GET', `/units/${U.K3.id}`, T.expert.token), 404);

  const audit = await get(`/audit?entity=user&entity_id=${expert.id}`, 'municipal');
  const rows = audit.json.items.filter((a) => a.id > mark && a.action.startsWith('expert.'));
  assert.deepEqual(
    rows.map((a) => [a.action, a.changes]),
    [
      ['expert.unassign', { kindergarten_id: [U.K3.id, null] }],
      ['expert.assign', { kindergarten_id: [null, U.K3.id] }],
    ],
    'one row per change, none for the repeats',
  );
});

test('assignments: the kindergarten must be in scope (404), the user an expert (422), coordinators of a kindergarten 403', async () => {
  const expert = T.expert.user;
  const put = (who, kg, id = expert.id) => call('PUT', `/users/${id}/assignments/${kg}`, T[who].token);
  let r = await put('municipal', U.far.id);
  problem(r, 404);
  conforms('put', '/users/{id}/assignments/{unit_id}', r);
  problem(await put('municipal', U.M.id), 404, null); // a municipality, not a kindergarten
  problem(await put('municipal', 987654321), 404);
  r = await put('municipal', U.K3.id, T.teacher.user.id);
  assert.deepEqual(problem(r, 422), ['id']);
  conforms('put', '/users/{id}/assignments/{unit_id}', r);
  problem(await get(`/users/${T.teacher.user.id}/assignments`, 'municipal'), 422);
  problem(await put('doo', U.K.id), 403);
  problem(await get(`/users/${expert.id}/assignments`, 'doo'), 403);
  problem(await put('municipal2', U.far.id), 404, null); // the expert lives in another municipality
});

test('assignments: an expert who gets another role loses them', async () => {
  const e = await createUser('municipal', { role: 'expert', org_unit_id: U.M.id });
  assert.equal((await call('PUT', `/users/${e.id}/assignments/${U.K2.id}`, T.municipal.token)).status, 204);
  let r = await call('PATCH', `/users/${e.id}`, T.municipal.token, { role: 'teacher', org_unit_id: U.K2.id });
  assert.equal(r.status, 200, show(r));
  const audit = await get(`/audit?action=user.update&entity_id=${e.id}`, 'municipal');
  assert.deepEqual(audit.json.items[0].changes.assignments, [1, 0]);
  r = await call('PATCH', `/users/${e.id}`, T.municipal.token, { role: 'expert', org_unit_id: U.M.id });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual((await get(`/users/${e.id}/assignments`, 'municipal')).json.items, []);
});
