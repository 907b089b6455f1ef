// Improvement plans (docs/api-plans.md): tasks of a kindergarten's, a municipality's or a
// region's plan — created from weak indicators, edited with optimistic concurrency, overdue
// ones flagged, read by everyone who sees the unit, written by managers only, audited.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { show, login } from './lib.mjs';
import { RUN, DEMO_LOGIN, NO_SUCH_ID, snapshot, under, get, post, patch, ok, parseCsv } from './fixtures-org.mjs';
import { readXlsx, tableOf, download } from './fixtures-xlsx.mjs';
import { loadSpec } from './openapi.mjs';
import { assertConforms } from './client.mjs';

const S = {};
let spec;
let K; // the demo kindergarten coordinator's kindergarten
let M; // its municipality
let other; // a kindergarten of another municipality
let group; // a group of K

function iso(offsetDays) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** The answer is documented in openapi.yaml and matches its schema. */
const conforms = (method, path, r) => assertConforms(spec, method, path, r);

const task = (extra = {}) => ({
  action: `Пополнить центр экспериментирования ${RUN}`,
  responsible: 'Старший воспитатель Петрова А. И.',
  due_on: iso(30),
  ...extra,
});

before(async () => {
  spec = loadSpec();
  for (const role of ['administrator', 'municipal_coordinator', 'doo_coordinator', 'teacher', 'expert']) {
    S[role] = await login(DEMO_LOGIN[role]);
  }
  const snap = await snapshot();
  K = snap.units.get(S.doo_coordinator.user.org_unit.id);
  M = snap.units.get(K.parent_id);
  const units = [...snap.units.values()];
  other = units.find((u) => u.level === 'kindergarten' && u.active && !under(u.path, M.path));
  group = units.find((u) => u.level === 'group' && u.parent_id === K.id);
  assert.ok(other && group, 'demo: another municipality and a group of the kindergarten');
});

test('a kindergarten coordinator turns a weak indicator into a task; it is listed and audited', async () => {
  const t = S.doo_coordinator.token;
  const r = await post(`/units/${K.id}/plan`, task({ indicator: 'A5.2' }), t);
  conforms('post', '/units/{id}/plan', r);
  const made = ok(r, 201, 'create');
  assert.deepEqual(
    [made.unit.id, made.indicator, made.status, made.version, made.overdue, made.result],
    [K.id, 'A5.2', 'planned', 1, false, null],
  );
  assert.equal(made.action, task().action);

  const list = await get(`/units/${K.id}/plan`, t);
  conforms('get', '/units/{id}/plan', list);
  assert.ok(ok(list, 200, 'list').items.some((i) => i.id === made.id));

  const audit = ok(await get(`/audit?entity=plan_task&entity_id=${made.id}`, t), 200, 'audit');
  assert.deepEqual(audit.items.map((a) => a.action), ['plan_task.create']);
});

test('status, result and evidence are edited; a stale version gets 409 with the current task', async () => {
  const t = S.doo_coordinator.token;
  const made = ok(await post(`/units/${K.id}/plan`, task(), t), 201, 'create');
  const path = `/units/${K.id}/plan/${made.id}`;
  const r = await patch(path, { status: 'done', result: 'Закуплены наборы', evidence: 'Акт от 12.03', version: 1 }, t);
  conforms('patch', '/units/{id}/plan/{task_id}', r);
  const done = ok(r, 200, 'patch');
  assert.deepEqual([done.status, done.result, done.evidence, done.version], ['done', 'Закуплены наборы', 'Акт от 12.03', 2]);
  assert.equal(done.action, made.action, 'fields not sent stay as they were');

  const stale = await patch(path, { status: 'cancelled', version: 1 }, t);
  assert.equal(stale.status, 409, show(stale));
  conforms('patch', '/units/{id}/plan/{task_id}', stale);
  assert.equal(stale.json.current.status, 'done');
  assert.equal(ok(await get(`/units/${K.id}/plan`, t), 200, 'list').items.find((i) => i.id === made.id).status, 'done');

  const cleared = ok(await patch(path, { result: null, evidence: '  ' }, t), 200, 'clear');
  assert.deepEqual([cleared.result, cleared.evidence, cleared.version], [null, null, 3]);
  const audit = ok(await get(`/audit?entity=plan_task&entity_id=${made.id}`, t), 200, 'audit');
  assert.ok(audit.items.some((a) => a.action === 'plan_task.update' && a.changes?.status?.[1] === 'done'), JSON.stringify(audit.items));
});

test('overdue: past due and not done; the filter and the counts follow it', async () => {
  const t = S.doo_coordinator.token;
  const late = ok(await post(`/units/${K.id}/plan`, task({ due_on: iso(-1), action: `Просрочено ${RUN}` }), t), 201, 'late');
  const lateDone = ok(
    await post(`/units/${K.id}/plan`, task({ due_on: iso(-5), status: 'done', action: `Сделано вовремя ${RUN}` }), t),
    201,
    'late but done',
  );
  const today = ok(await post(`/units/${K.id}/plan`, task({ due_on: iso(0), action: `Сегодня ${RUN}` }), t), 201, 'today');
  assert.deepEqual([late.overdue, lateDone.overdue, today.overdue], [true, false, false]);

  const all = ok(await get(`/units/${K.id}/plan`, t), 200, 'all');
  const overdue = ok(await get(`/units/${K.id}/plan?overdue=1`, t), 200, 'overdue');
  assert.ok(overdue.items.length >= 1 && overdue.items.every((i) => i.overdue), JSON.stringify(overdue.items));
  assert.ok(overdue.items.some((i) => i.id === late.id));
  assert.equal(all.counts.overdue, all.items.filter((i) => i.overdue).length);
  for (const s of ['planned', 'in_progress', 'done', 'cancelled'])
    assert.equal(all.counts[s], all.items.filter((i) => i.status === s).length, s);
  const dates = all.items.map((i) => i.due_on);
  assert.deepEqual(dates, [...dates].sort(), 'by due date');
  const onlyDone = ok(await get(`/units/${K.id}/plan?status=done`, t), 200, 'done');
  assert.ok(onlyDone.items.length >= 1 && onlyDone.items.every((i) => i.status === 'done'));
  assert.equal((await get(`/units/${K.id}/plan?status=someday`, t)).status, 400);
});

test('bad fields get 422 naming each of them; nothing is stored', async () => {
  const t = S.doo_coordinator.token;
  const before = ok(await get(`/units/${K.id}/plan`, t), 200, 'before').items.length;
  const cases = [
    [{}, ['action', 'responsible', 'due_on']],
    [task({ action: '   ' }), ['action']],
    [task({ action: 'я'.repeat(2001) }), ['action']],
    [task({ action: 5 }), ['action']],
    [task({ due_on: '2026-02-30x' }), ['due_on']],
    [task({ due_on: '2026-02-30' }), ['due_on']], // not a day of the calendar: 422, not a database error
    [task({ due_on: '31.12.2026' }), ['due_on']],
    [task({ status: 'someday' }), ['status']],
    [task({ indicator: '../A1' }), ['indicator']],
    [task({ campaign_id: NO_SUCH_ID }), ['campaign_id']],
    [task({ campaign_id: 'one' }), ['campaign_id']],
    [task({ responsible: 'x'.repeat(301) }), ['responsible']],
  ];
  for (const [body, fields] of cases) {
    const r = await post(`/units/${K.id}/plan`, body, t);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${show(r)}`);
    conforms('post', '/units/{id}/plan', r);
    assert.deepEqual(r.json.errors.map((e) => e.field).sort(), [...fields].sort(), show(r));
  }
  const array = await post(`/units/${K.id}/plan`, [task()], t);
  assert.equal(array.status, 422, show(array));
  assert.equal(ok(await get(`/units/${K.id}/plan`, t), 200, 'after').items.length, before);
  const made = ok(await post(`/units/${K.id}/plan`, task(), t), 201, 'create');
  const empty = await patch(`/units/${K.id}/plan/${made.id}`, {}, t);
  assert.equal(empty.status, 422, show(empty));
});

test('a group has no plan of its own', async () => {
  const r = await post(`/units/${group.id}/plan`, task(), S.doo_coordinator.token);
  assert.equal(r.status, 422, show(r));
  assert.match(r.json.type, /plan-level$/);
});

test('access: the teacher reads but does not write; another kindergarten is out of reach; a task moves with its unit only', async () => {
  const made = ok(await post(`/units/${K.id}/plan`, task(), S.doo_coordinator.token), 201, 'create');
  const read = ok(await get(`/units/${K.id}/plan`, S.teacher.token), 200, 'teacher reads');
  assert.ok(read.items.some((i) => i.id === made.id));
  assert.equal((await post(`/units/${K.id}/plan`, task(), S.teacher.token)).status, 403);
  assert.equal((await patch(`/units/${K.id}/plan/${made.id}`, { status: 'done' }, S.teacher.token)).status, 403);
  assert.equal((await get(`/units/${other.id}/plan`, S.doo_coordinator.token)).status, 404);
  assert.equal((await post(`/units/${other.id}/plan`, task(), S.municipal_coordinator.token)).status, 404);
  // the task addressed through another unit is not found, even by the administrator
  const elsewhere = await patch(`/units/${other.id}/plan/${made.id}`, { status: 'done' }, S.administrator.token);
  assert.equal(elsewhere.status, 404, show(elsewhere));
  assert.equal(ok(await get(`/units/${K.id}/plan`, S.doo_coordinator.token), 200, 'list').items.find((i) => i.id === made.id).status, 'planned');
});

test("the municipality's plan is its own; subtree=1 shows its kindergartens' tasks too", async () => {
  const t = S.municipal_coordinator.token;
  const own = ok(await post(`/units/${M.id}/plan`, task({ action: `Семинар для старших воспитателей ${RUN}` }), t), 201, 'own');
  const kg = ok(await post(`/units/${K.id}/plan`, task({ action: `Задача сада ${RUN}` }), S.doo_coordinator.token), 201, 'kg');
  const plain = ok(await get(`/units/${M.id}/plan`, t), 200, 'plain');
  assert.ok(plain.items.some((i) => i.id === own.id));
  assert.ok(plain.items.every((i) => i.unit.id === M.id), 'only its own tasks');
  const deep = ok(await get(`/units/${M.id}/plan?subtree=1`, t), 200, 'subtree');
  assert.ok(deep.items.some((i) => i.id === kg.id && i.unit.id === K.id));
  assert.ok(!deep.items.some((i) => i.unit.id === other.id), 'nothing from another municipality');
});

test('the plan exports: XLSX (bold header, the tasks as rows, the number column as numbers) and CSV with both separators', async () => {
  const t = S.doo_coordinator.token;
  const action = `Экспорт; "плана" =1+1 ${RUN}`;
  const made = ok(await post(`/units/${K.id}/plan`, task({ action, indicator: 'QS.5.2', due_on: '2031-03-15' }), t), 201, 'create');
  const list = ok(await get(`/units/${K.id}/plan`, t), 200, 'list').items;

  const x = await download(`/units/${K.id}/plan.xlsx`, S.teacher.token);
  assert.equal(x.status, 200, x.text.slice(0, 200));
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.match(x.headers.get('content-disposition'), /filename\*=UTF-8''/);
  const book = readXlsx(x.buf);
  const tab = tableOf(book.sheets[0], book.bold);
  assert.deepEqual(tab.header.map((c) => c.value).slice(0, 6), ['№', 'Организация', 'Показатель', 'Мероприятие', 'Ответственный', 'Срок']);
  assert.equal(tab.rows.length, list.length, 'a row per task');
  tab.rows.forEach((row, i) => assert.deepEqual([row[0].t, row[0].value], ['n', i + 1], 'the number column holds numbers'));
  const mine = tab.rows.find((row) => row[3]?.value === action);
  assert.ok(mine, 'the new task is in the workbook');
  assert.deepEqual([mine[2].value, mine[5].value, mine[6].value], ['QS.5.2', '15.03.2031', 'Запланировано']);
  assert.ok(book.sheets[0].cols.length >= 1, 'column widths are set');

  for (const [sep, q] of [[';', ''], [',', '?sep=,']]) {
    const c = await download(`/units/${K.id}/plan.csv${q}`, t);
    assert.equal(c.status, 200);
    assert.ok(c.buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
    const rows = parseCsv(c.text.slice(1), sep);
    assert.equal(rows[0][3], 'Мероприятие');
    const line = rows.find((r) => r.includes(action) || r.includes(`'${action}`));
    assert.ok(line, `the task in the CSV with ${sep}`);
  }
  assert.equal((await download(`/units/${K.id}/plan.csv?sep=x`, t)).status, 400);
  assert.equal((await download(`/units/${other.id}/plan.xlsx`, t)).status, 404);
  assert.ok(made.id);
});
