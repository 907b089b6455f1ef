// The audit log (docs/api-org.md, "Audit log"): every write, login, failed login and logout
// appends a row with the actor, action, entity, id, changes, time and client address; GET
// /audit shows the rows of the caller's scope, newest first, with filters and paging; and
// the table itself refuses UPDATE and DELETE (checked in SQL on the test stack's MariaDB).
// Units made here are throwaways named "audit <run> …", deactivated at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { show, login, loginRaw, assertProblem, request } from './lib.mjs';
import { API, RUN, snapshot, demoSessions, demoPlaces, query, mariadb, get, post, patch, ok, createUnit, deactivate } from './fixtures-org.mjs';

const T = {};
const ME = {};
const created = [];
let snap;
let M, K, S, Far;
const name = (what) => `audit ${RUN} ${what}`;

before(async () => {
  const demo = await demoSessions();
  Object.assign(T, demo.T);
  Object.assign(ME, demo.ME);
  snap = await snapshot();
  ({ M, K, S, Far } = demoPlaces(snap, ME));
});

after(async () => {
  if (T.admin) await deactivate(T.admin, { units: created }, await snapshot());
});

// ---------------------------------------------------------------------------------------
// Helpers

/** GET /audit with filters (an object) as `token`; asserts 200 and the page's shape. */
async function audit(token, filters = {}) {
  const qs = new URLSearchParams(filters).toString();
  const r = await get(`/audit${qs ? `?${qs}` : ''}`, token);
  const page = ok(r, 200, `GET /audit?${qs}`);
  assert.ok(Array.isArray(page.items), show(r));
  assert.ok(page.next_before === null || Number.isInteger(page.next_before), `next_before: ${show(r)}`);
  for (let i = 1; i < page.items.length; i++) assert.ok(page.items[i - 1].id > page.items[i].id, `newest first: ${show(r)}`);
  return page;
}

/** Every row visible to `token` with these filters, following next_before. */
async function auditAll(token, filters = {}) {
  const rows = [];
  let before;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 500, 'paging does not end');
    const page = await audit(token, { ...filters, limit: 200, ...(before ? { before } : {}) });
    rows.push(...page.items);
    if (page.next_before === null) return rows;
    assert.equal(page.next_before, page.items.at(-1).id, 'next_before is the id of the last row of the page');
    before = page.next_before;
  }
}

const maxId = async () => Number((await query('SELECT COALESCE(MAX(id), 0) FROM audit_log'))[0][0]);
/** [old, new] of a change, with numbers and booleans written as text compared as such. */
const pair = (v) => (Array.isArray(v) ? v.map((x) => (x === null ? null : String(x))) : v);
const today = (days = 0) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------
// Rows

test('a write appends a row: actor (id, login, role), action, entity and id, changes, time, address', async () => {
  const t0 = Date.now();
  const g = await createUnit(T.municipal, { parent_id: K.id, name: name('группа') }, created);
  const rows = (await audit(T.admin, { entity: 'org_unit', entity_id: g.id })).items;
  assert.equal(rows.length, 1, `one row for the new unit: ${JSON.stringify(rows)}`);
  const a = rows[0];
  assert.deepEqual(a.actor, { id: ME.municipal.id, login: 'municipal', role: 'municipal_coordinator' });
  assert.deepEqual([a.action, a.entity, a.entity_id], ['unit.create', 'org_unit', g.id]);
  assert.deepEqual(pair(a.changes.name), [null, name('группа')], JSON.stringify(a.changes));
  assert.equal(typeof a.ip, 'string');
  assert.match(a.ip, /^[0-9a-f.:]+$/i, `client address ${a.ip}`);
  const at = Date.parse(a.at);
  assert.ok(Number.isFinite(at) && Math.abs(at - t0) < 120000, `time ${a.at}`);
  // the unit it concerns is kept with the row (for the scope filter)
  const [[unitPath]] = await query(`SELECT unit_path FROM audit_log WHERE id = ${a.id}`);
  assert.equal(unitPath, `${K.path}${g.id}/`);

  // an edit records old and new values of what changed, and only that
  ok(await patch(`/units/${g.id}`, { name: name('группа 2'), address: 'ул. Аудита, 1' }, T.municipal), 200, 'rename');
  let items = (await audit(T.admin, { entity: 'org_unit', entity_id: g.id })).items;
  assert.deepEqual(items.map((x) => x.action), ['unit.update', 'unit.create']);
  assert.deepEqual(items[0].changes, { name: [name('группа'), name('группа 2')], address: [null, 'ул. Аудита, 1'] });
  // deactivation and move
  ok(await patch(`/units/${g.id}`, { active: false }, T.municipal), 200, 'deactivate');
  ok(await post(`/units/${g.id}/move`, { parent_id: S.id }, T.municipal), 200, 'move');
  items = (await audit(T.admin, { entity: 'org_unit', entity_id: g.id })).items;
  assert.deepEqual(items.map((x) => x.action), ['unit.move', 'unit.update', 'unit.update', 'unit.create']);
  assert.deepEqual(Object.keys(items[1].changes), ['active']);
  assert.deepEqual(pair(items[1].changes.active), ['true', 'false']);
  assert.deepEqual(pair(items[0].changes.parent_id), [String(K.id), String(S.id)]);
  assert.ok(items.every((x) => x.actor.id === ME.municipal.id));
});

test('a login, a failed login (known and unknown login) and a logout are recorded', async () => {
  const start = await maxId();
  assertProblem(await loginRaw('teacher', 'wrong password'), 401);
  const unknown = `audit${RUN}nobody`;
  assertProblem(await loginRaw(unknown, 'whatever'), 401);
  const s = await login('teacher');
  ok(await request(`${API}/auth/logout`, { method: 'POST', cookie: s.cookie }), 204, 'logout');

  const teacherId = ME.teacher.id;
  const mine = (await audit(T.admin, { actor_id: teacherId, limit: 20 })).items.filter((x) => x.id > start);
  assert.deepEqual(
    mine.map((x) => x.action),
    ['auth.logout', 'auth.login', 'auth.login_failed'],
    JSON.stringify(mine),
  );
  for (const x of mine) {
    assert.deepEqual(x.actor, { id: teacherId, login: 'teacher', role: 'teacher' }, JSON.stringify(x));
    assert.deepEqual([x.entity, x.entity_id], ['user', teacherId], JSON.stringify(x));
  }
  const failed = (await audit(T.admin, { action: 'auth.login_failed', limit: 20 })).items.filter((x) => x.id > start);
  const other = failed.filter((x) => x.actor?.id !== teacherId);
  assert.equal(other.length, 1, `one failed login for an unknown name: ${JSON.stringify(failed)}`);
  assert.ok(other[0].actor === null || (other[0].actor.id === null && other[0].actor.login === unknown), JSON.stringify(other[0]));
  // the teacher's rows concern the teacher's kindergarten: its coordinators see them
  for (const l of ['municipal', 'doo']) {
    const seen = (await audit(T[l], { actor_id: teacherId, limit: 20 })).items.filter((x) => x.id > start);
    assert.deepEqual(seen.map((x) => x.id), mine.map((x) => x.id), `${l} sees the teacher's logins`);
  }
  // a failed login for a name that is no one's concerns no unit: only the administrator's scope
  assert.deepEqual((await audit(T.municipal, { action: 'auth.login_failed', limit: 20 })).items.filter((x) => x.id === other[0].id), []);
});

test('user writes are recorded: create, update, password reset and change, expert assignment, deactivation; no password in a row', async () => {
  const start = await maxId();
  const login1 = `audit${RUN}u`;
  const initial = `Init-${RUN}-audit`;
  const r = await post('/users', { login: login1, full_name: name('Учитель'), role: 'teacher', org_unit_id: K.id, password: initial }, T.admin);
  const u = ok(r, 201, 'POST /users');
  ok(await patch(`/users/${u.id}`, { full_name: name('Учитель 2') }, T.municipal), 200, 'PATCH /users/{id}');
  const reset = ok(await post(`/users/${u.id}/password`, {}, T.doo), 200, 'POST /users/{id}/password').temporary_password;
  const s = await login(login1, reset);
  const changed = `Next-${RUN}-audit!`;
  ok(await post('/me/password', { old_password: reset, new_password: changed }, s.token), 204, 'POST /me/password');
  const e = ok(await post('/users', { login: `audit${RUN}e`, full_name: name('Эксперт'), role: 'expert', org_unit_id: M.id }, T.admin), 201, 'expert');
  ok(await request(`${API}/users/${e.id}/assignments/${K.id}`, { method: 'PUT', token: T.municipal }), 204, 'assign');
  ok(await request(`${API}/users/${e.id}/assignments/${K.id}`, { method: 'DELETE', token: T.municipal }), 204, 'unassign');
  ok(await patch(`/users/${u.id}`, { active: false }, T.admin), 200, 'deactivate');
  ok(await patch(`/users/${e.id}`, { active: false }, T.admin), 200, 'deactivate the expert');

  const rows = (await auditAll(T.admin, {})).filter((x) => x.id > start).reverse();
  const of = (action, actorId) => rows.filter((x) => x.action === action && x.actor?.id === actorId);
  const one = (action, actorId) => {
    const found = of(action, actorId);
    assert.ok(found.length >= 1, `no ${action} row by user ${actorId}: ${JSON.stringify(rows.map((x) => [x.action, x.actor?.login]))}`);
    return found[0];
  };
  const createRow = one('user.create', ME.admin.id);
  assert.deepEqual([createRow.entity, createRow.entity_id], ['user', u.id]);
  assert.deepEqual(pair(createRow.changes?.login), [null, login1], JSON.stringify(createRow.changes));
  const updated = one('user.update', ME.municipal.id);
  assert.deepEqual([updated.entity, updated.entity_id], ['user', u.id]);
  assert.deepEqual(updated.changes, { full_name: [name('Учитель'), name('Учитель 2')] });
  const resetRow = one('user.password_reset', ME.doo.id);
  assert.equal(resetRow.entity_id, u.id);
  const changeRow = one('user.password_change', u.id);
  assert.equal(changeRow.entity_id, u.id);
  one('expert.assign', ME.municipal.id);
  one('expert.unassign', ME.municipal.id);
  const off = of('user.update', ME.admin.id).find((x) => x.entity_id === u.id);
  assert.ok(off, 'the deactivation is recorded');
  assert.deepEqual(pair(off.changes.active), ['true', 'false']);
  // no password, temporary or hashed, in any row
  const text = JSON.stringify(rows);
  for (const secret of [initial, reset, changed, 'argon2']) assert.ok(!text.includes(secret), `"${secret}" in the audit log`);
  // the rows concern the user's kindergarten: its coordinator sees them
  const seenByDoo = (await audit(T.doo, { entity: 'user', entity_id: u.id, limit: 50 })).items.map((x) => x.action);
  assert.ok(seenByDoo.includes('user.create') && seenByDoo.includes('user.password_change'), `doo sees ${seenByDoo}`);
});

test('an applied import is recorded: a row per created unit and one for the import', async () => {
  const start = await maxId();
  const group = name('импорт');
  const body = [
    'municipality;code;name;group',
    `${M.code};${K.code};"${K.name.replace(/"/g, '""')}";${group}`,
  ].join('\r\n');
  const r = await request(`${API}/import/units`, { method: 'POST', body, headers: { 'Content-Type': 'text/csv' }, token: T.admin });
  const d = ok(r, 200, 'POST /import/units');
  for (const c of d.create) if (c.id) created.push(c.id);
  assert.equal(d.create.length, 1, show(r));
  const rows = (await audit(T.admin, { actor_id: ME.admin.id, limit: 20 })).items.filter((x) => x.id > start);
  assert.deepEqual(rows.map((x) => x.action).sort(), ['import.units', 'unit.create'], JSON.stringify(rows));
  assert.equal(rows.find((x) => x.action === 'unit.create').entity_id, d.create[0].id);
  assert.ok(rows.find((x) => x.action === 'import.units').changes, 'the import row says what it did');
});

// ---------------------------------------------------------------------------------------
// Scope

test('scope: a municipal coordinator sees exactly the rows of its municipality, a kindergarten coordinator those of its kindergarten', async () => {
  // rows inside and outside both scopes
  const inK = await createUnit(T.admin, { parent_id: K.id, name: name('в саду') }, created);
  const inS = await createUnit(T.admin, { parent_id: S.id, name: name('в соседнем саду') }, created);
  const far = await createUnit(T.admin, { parent_id: Far.id, name: name('в другом муниципалитете') }, created);
  const top = await maxId();
  for (const [l, p] of [['municipal', M.path], ['doo', K.path]]) {
    const api = (await auditAll(T[l], { before: top + 1 })).map((x) => x.id);
    const sql = (await query(`SELECT id FROM audit_log WHERE id <= ${top} AND unit_path LIKE '${p}%' ORDER BY id DESC`)).map(([id]) => Number(id));
    const extra = api.filter((id) => !sql.includes(id));
    const missing = sql.filter((id) => !api.includes(id));
    assert.deepEqual(extra, [], `${l} sees rows outside ${p}`);
    assert.deepEqual(missing, [], `${l} misses rows inside ${p}`);
    assert.equal(new Set(api).size, api.length, `${l}: a row listed twice while paging`);
  }
  const sees = async (l, u) => (await audit(T[l], { entity: 'org_unit', entity_id: u.id })).items.length > 0;
  assert.deepEqual([await sees('municipal', inK), await sees('municipal', inS), await sees('municipal', far)], [true, true, false]);
  assert.deepEqual([await sees('doo', inK), await sees('doo', inS), await sees('doo', far)], [true, false, false]);
  assert.deepEqual([await sees('region', far), await sees('admin', far)], [true, true]);
  // the administrator sees every row
  const all = Number((await query(`SELECT COUNT(*) FROM audit_log WHERE id <= ${top}`))[0][0]);
  assert.equal((await auditAll(T.admin, { before: top + 1 })).length, all);
});

test('scope: teachers and experts may not read the log (403); no token 401', async () => {
  assertProblem(await get('/audit', T.teacher), 403);
  assertProblem(await get('/audit', T.expert), 403);
  assertProblem(await get('/audit'), 401);
});

// ---------------------------------------------------------------------------------------
// Filters and paging

test('filters: action, entity, entity_id, actor_id, and their combination', async () => {
  const g = await createUnit(T.doo, { parent_id: K.id, name: name('фильтры') }, created);
  ok(await patch(`/units/${g.id}`, { name: name('фильтры 2') }, T.doo), 200, 'rename');
  const creates = (await audit(T.admin, { action: 'unit.create', limit: 200 })).items;
  assert.ok(creates.length > 0 && creates.every((x) => x.action === 'unit.create'));
  assert.ok(creates.some((x) => x.entity_id === g.id));
  const users = (await audit(T.admin, { entity: 'user', limit: 200 })).items;
  assert.ok(users.length > 0 && users.every((x) => x.entity === 'user'));
  const byDoo = (await audit(T.admin, { actor_id: ME.doo.id, limit: 200 })).items;
  assert.ok(byDoo.length >= 2 && byDoo.every((x) => x.actor?.id === ME.doo.id));
  const one = (await audit(T.admin, { entity: 'org_unit', entity_id: g.id })).items;
  assert.deepEqual(one.map((x) => [x.action, x.entity_id]), [['unit.update', g.id], ['unit.create', g.id]]);
  const both = (await audit(T.admin, { action: 'unit.update', actor_id: ME.doo.id, entity_id: g.id })).items;
  assert.deepEqual(both.map((x) => x.action), ['unit.update']);
  assert.deepEqual((await audit(T.admin, { action: 'unit.move', entity_id: g.id })).items, []);
  assert.deepEqual((await audit(T.admin, { action: 'no.such.action' })).items, []);
});

test('filters: from and to (dates, to inclusive)', async () => {
  const g = await createUnit(T.municipal, { parent_id: K.id, name: name('даты') }, created);
  const has = async (filters) => (await audit(T.admin, { entity: 'org_unit', entity_id: g.id, ...filters })).items.length > 0;
  // a day either side of today, so that the check holds whatever the server's time zone
  assert.equal(await has({ from: today(-1), to: today(1) }), true, 'between yesterday and tomorrow');
  assert.equal(await has({ from: today(-1) }), true, 'from yesterday');
  assert.equal(await has({ to: today(1) }), true, 'to tomorrow');
  assert.equal(await has({ from: today(2) }), false, 'from the day after tomorrow');
  assert.equal(await has({ to: today(-2) }), false, 'to the day before yesterday');
  for (const bad of [{ from: 'yesterday' }, { to: '2026-13-45x' }, { from: '01.02.2026' }]) {
    assertProblem(await get(`/audit?${new URLSearchParams(bad)}`, T.admin), [400, 422]);
  }
});

test('paging: limit (default 50, at most 200) and before', async () => {
  // enough rows for a few pages of 2
  for (let i = 0; i < 3; i++) await createUnit(T.admin, { parent_id: K.id, name: name(`страница ${i}`) }, created);
  const first = await audit(T.admin, { limit: 2 });
  assert.equal(first.items.length, 2);
  assert.equal(first.next_before, first.items[1].id);
  const second = await audit(T.admin, { limit: 2, before: first.next_before });
  assert.ok(second.items.every((x) => x.id < first.next_before));
  const four = await audit(T.admin, { limit: 4 });
  assert.deepEqual(four.items.map((x) => x.id), [...first.items, ...second.items].map((x) => x.id));
  const total = Number((await query('SELECT COUNT(*) FROM audit_log'))[0][0]);
  assert.equal((await audit(T.admin)).items.length, Math.min(total, 50), 'default limit 50');
  assert.equal((await audit(T.admin, { limit: 200 })).items.length, Math.min(total, 200));
  // the last page says so
  const [[oldest]] = await query('SELECT MIN(id) FROM audit_log');
  const last = await audit(T.admin, { before: Number(oldest) + 1 });
  assert.deepEqual([last.items.map((x) => x.id), last.next_before], [[Number(oldest)], null]);
  for (const bad of [{ limit: 0 }, { limit: 201 }, { limit: 'x' }, { before: 'x' }, { actor_id: '-1' }, { entity_id: 'abc' }]) {
    assertProblem(await get(`/audit?${new URLSearchParams(bad)}`, T.admin), [400, 422]);
  }
});

// ---------------------------------------------------------------------------------------
// Append-only, in the database itself

test('the audit_log table refuses UPDATE and DELETE (and REPLACE / upsert of an existing row)', async () => {
  const [[count0]] = await query('SELECT COUNT(*) FROM audit_log');
  const [[id, action]] = await query('SELECT id, action FROM audit_log ORDER BY id DESC LIMIT 1');
  const attempts = [
    'DELETE FROM audit_log',
    `DELETE FROM audit_log WHERE id = ${id}`,
    `UPDATE audit_log SET action = 'tampered' WHERE id = ${id}`,
    "UPDATE audit_log SET changes = NULL",
    `REPLACE INTO audit_log (id, action) VALUES (${id}, 'tampered')`,
    `INSERT INTO audit_log (id, action) VALUES (${id}, 'x') ON DUPLICATE KEY UPDATE action = 'tampered'`,
  ];
  for (const sql of attempts) {
    const r = await mariadb(sql);
    assert.notEqual(r.code, 0, `${sql}: accepted`);
    // refused by the table (a trigger's SIGNAL, or no privilege), not a syntax or connection error
    assert.match(r.stderr, /ERROR (1644|1142|1036) /, `${sql}: ${r.stderr}`);
  }
  const [[count1]] = await query('SELECT COUNT(*) FROM audit_log');
  assert.equal(count1, count0, 'no row removed');
  const [[after]] = await query(`SELECT action FROM audit_log WHERE id = ${id}`);
  assert.equal(after, action, 'the row is unchanged');
});
