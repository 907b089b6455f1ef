// CSV import and export (docs/api-org.md, "Import and export (CSV)"): encodings and
// delimiters, dry runs and line numbers, all-or-nothing application, re-imports that change
// nothing, values stored as plain text, the formula guard of the export, scope and roles.
// New units go to the demo municipality Лесной муниципальный округ (code 99630000) under
// codes unique to this run, and are deactivated at the end, so that the other suites see
// the demo data they expect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, show, login, assertProblem } from './lib.mjs';
import { loadSpec } from './openapi.mjs';
import { assertConforms } from './client.mjs';
import { csv, parseCsv } from './fixtures-org.mjs';

const API = '/api/v1';
const RUN = String(Date.now()).slice(-7);
const code = (n) => `77${RUN}${String(n).padStart(2, '0')}`;
const LESNOY = '99630000';
const TEREMOK = '9930004103'; // a kindergarten of Лесной
const SOLNYSHKO = '9901012345'; // the kindergarten of the demo users doo and teacher

let spec;
const tokens = {};
const createdUnits = new Set(); // ids to deactivate at the end

before(async () => {
  spec = loadSpec();
  for (const l of ['admin', 'municipal', 'doo', 'teacher', 'expert']) tokens[l] = (await login(l)).token;
});

after(async () => {
  // groups first, so that no active group stays below an inactive kindergarten
  const ids = [...createdUnits].sort((a, b) => b - a);
  for (const id of ids) {
    const r = await request(`${API}/units/${id}`, { method: 'PATCH', json: { active: false }, token: tokens.admin });
    assert.equal(r.status, 200, `deactivating unit ${id}: ${show(r)}`);
  }
});

// ---------------------------------------------------------------------------------------
// Helpers

/** Windows-1251 bytes of a string (ASCII, Cyrillic, Ё/ё, №, «»). */
function cp1251(s) {
  const extra = { 'Ё': 0xa8, 'ё': 0xb8, '№': 0xb9, '«': 0xab, '»': 0xbb };
  const out = [];
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (extra[ch] !== undefined) out.push(extra[ch]);
    else throw new Error(`no Windows-1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

/** One CSV line: cells quoted when they hold the separator, a quote or a line break. */
function importCsv(kind, body, token, { dryRun = false, contentType = 'text/csv' } = {}) {
  return request(`${API}/import/${kind}${dryRun ? '?dry_run=1' : ''}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': contentType },
    token,
    timeout: 60000,
  });
}

/** GET /export/<kind>.csv: request()'s answer, its text with the BOM (fetch's text() drops it). */
async function exportCsv(kind, token, sep) {
  const r = await request(`${API}/export/${kind}.csv${sep ? `?sep=${encodeURIComponent(sep)}` : ''}`, { token });
  return { ...r, text: r.bytes.toString('utf8') };
}

/** The response is documented in openapi.yaml for this operation and matches its schema. */
const conforms = (method, path, r) => assertConforms(spec, method, path, r);

/** An import answer: documented shape, status, no errors; returns the body. */
function assertImported(r, { dryRun, applied }, path = '/import/units') {
  assert.equal(r.status, 200, show(r));
  conforms('post', path, r);
  assert.equal(r.json.dry_run, dryRun);
  assert.equal(r.json.applied, applied);
  assert.deepEqual(r.json.errors, [], JSON.stringify(r.json.errors));
  return r.json;
}

/** The units of an import answer's create list get deactivated after the suite. */
function remember(doc) {
  for (const c of doc.create) if (c.id) createdUnits.add(c.id);
}

async function unit(id) {
  const r = await request(`${API}/units/${id}`, { token: tokens.admin });
  assert.equal(r.status, 200, show(r));
  return r.json;
}

async function exportedCodes(token = tokens.admin) {
  const r = await exportCsv('units', token);
  assert.equal(r.status, 200, show(r));
  return new Set(parseCsv(r.text, ';').slice(1).map((row) => row[1]));
}

const UNITS_HEADER_RU = ['Муниципалитет', 'Код', 'Наименование', 'Краткое наименование', 'Адрес', 'Группа'];

// ---------------------------------------------------------------------------------------
// Units

test('import units: UTF-8 with BOM and ";": the dry run plans, the import applies, again changes nothing', async () => {
  const rows = [
    UNITS_HEADER_RU,
    [LESNOY, code(1), 'МБДОУ «Детский сад № 101 "Ёжик"»', 'Детский сад № 101', 'пгт Лесной, ул. Новая, д. 1', 'Младшая группа «Ёжики»'],
    [LESNOY, code(1), 'МБДОУ «Детский сад № 101 "Ёжик"»', 'Детский сад № 101', 'пгт Лесной, ул. Новая, д. 1', 'Старшая группа «Белки»'],
    [],
    ['Лесной муниципальный округ', code(2), 'МКДОУ «Детский сад "Грибок"»', '', '', ''],
  ];
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(rows))]);

  const plan = assertImported(await importCsv('units', body, tokens.admin, { dryRun: true }), { dryRun: true, applied: false });
  assert.deepEqual(
    plan.create.map((c) => [c.line, c.level, c.code, c.name]),
    [
      [2, 'kindergarten', code(1), 'МБДОУ «Детский сад № 101 "Ёжик"»'],
      [2, 'group', code(1), 'Младшая группа «Ёжики»'],
      [3, 'group', code(1), 'Старшая группа «Белки»'],
      [5, 'kindergarten', code(2), 'МКДОУ «Детский сад "Грибок"»'],
    ],
  );
  assert.deepEqual(plan.update, []);
  assert.ok(!(await exportedCodes()).has(code(1)), 'a dry run changes nothing');

  const done = assertImported(await importCsv('units', body, tokens.admin), { dryRun: false, applied: true });
  remember(done);
  assert.equal(done.create.length, 4);
  const k1 = done.create[0];
  assert.ok(Number.isInteger(k1.id));
  const u = await unit(k1.id);
  assert.equal(u.level, 'kindergarten');
  assert.equal(u.name, 'МБДОУ «Детский сад № 101 "Ёжик"»');
  assert.equal(u.short_name, 'Детский сад № 101');
  assert.equal(u.code, code(1));
  assert.equal(u.counts.group, 2);
  const k2 = await unit(done.create[3].id);
  assert.ok(!k2.short_name && !k2.address, 'empty cells are no value');

  const again = assertImported(await importCsv('units', body, tokens.admin), { dryRun: false, applied: true });
  assert.deepEqual([again.create, again.update, again.unchanged], [[], [], 4]);
});

test('import units: Windows-1251 with ",", columns in another order and in English', async () => {
  const text = csv(
    [
      ['group', 'name', 'code', 'address', 'municipality'],
      ['Средняя группа «Зайчата»', 'МБДОУ «Детский сад № 103»', code(3), 'ул. Лесная, д. 3', LESNOY],
      ['', 'МБДОУ «Детский сад № 103»', code(3), 'ул. Лесная, д. 3', LESNOY],
    ],
    ',',
  );
  const done = assertImported(await importCsv('units', cp1251(text), tokens.admin), { dryRun: false, applied: true });
  remember(done);
  assert.deepEqual(done.create.map((c) => c.name), ['МБДОУ «Детский сад № 103»', 'Средняя группа «Зайчата»']);
  const k = await unit(done.create[0].id);
  assert.equal(k.address, 'ул. Лесная, д. 3');

  // an address change is an update naming the field; the absent short_name column keeps its value
  const changed = text.replace(/ул\. Лесная, д\. 3/g, 'ул. Лесная, д. 5');
  const upd = assertImported(await importCsv('units', cp1251(changed), tokens.admin), { dryRun: false, applied: true });
  assert.equal(upd.create.length, 0);
  assert.equal(upd.update.length, 1);
  assert.equal(upd.update[0].id, k.id);
  assert.equal(upd.update[0].line, 2);
  assert.deepEqual(upd.update[0].changes, { address: ['ул. Лесная, д. 3', 'ул. Лесная, д. 5'] });
  assert.equal(upd.unchanged, 1);
  assert.equal((await unit(k.id)).address, 'ул. Лесная, д. 5');
});

test('import units: bad rows are all reported with their lines; applying answers 422 and changes nothing', async () => {
  const body =
    'municipality;code;name;short_name;address;group\r\n' +
    `Нет такого;${code(10)};Сад;;;\r\n` + // 2: unknown municipality
    `${LESNOY};${code(11)};;;;\r\n` + // 3: no name
    `${LESNOY};${code(12)};"Сад\r\nв две строки";;;\r\n` + // 4-5: a line break in a name
    `${LESNOY};${code(13)};Сад;;;Группа;лишнее\r\n` + // 6: more cells than columns
    `${LESNOY};${code(14)};Сад № 14;;;А\r\n` + // 7: fine
    `${LESNOY};${code(14)};Сад № 14 (другое имя);;;Б\r\n` + // 8: contradicts line 7
    `${LESNOY};${TEREMOK};Теремок;;;\r\n` + // 9: the name differs: an update, no error
    `${LESNOY};${code(15)};Сад № 15;;;Группа\r\n` + // 10: fine
    `${LESNOY};${code(15)};Сад № 15;;;группа\r\n`; // 11: the same group again
  const plan = await importCsv('units', body, tokens.admin, { dryRun: true });
  assert.equal(plan.status, 200, show(plan));
  conforms('post', '/import/units', plan);
  assert.deepEqual(plan.json.errors.map((e) => e.line), [2, 3, 4, 6, 8, 11], JSON.stringify(plan.json.errors));
  for (const e of plan.json.errors) assert.ok(/[а-яё]/i.test(e.message), `message in Russian: ${e.message}`);
  assert.match(plan.json.errors[0].message, /Нет такого/);
  assert.match(plan.json.errors[1].message, /наименование/);
  assert.ok(plan.json.create.some((c) => c.code === code(15)), 'the good rows are planned too');
  assert.equal(plan.json.update.length, 1);

  const r = await importCsv('units', body, tokens.admin);
  assert.equal(r.status, 422, show(r));
  conforms('post', '/import/units', r);
  assert.equal(r.json.applied, false);
  assert.deepEqual(r.json.errors, plan.json.errors);
  const codes = await exportedCodes();
  for (const n of [10, 11, 12, 13, 14, 15]) assert.ok(!codes.has(code(n)), `nothing created (${code(n)})`);
  const teremok = parseCsv((await exportCsv('units', tokens.admin)).text, ';').find((row) => row[1] === TEREMOK);
  assert.notEqual(teremok[2], 'Теремок', 'nothing updated');
});

test('import units: broken files are refused with the line and a message', async () => {
  const cases = [
    ['municipality;code;name\n99630000;1;"open\n99630000;2;x\n', 2, /кавычк/i],
    ['municipality;code;name\n99630000;1;"a"b\n', 2, /кавычк/i],
    ['municipality;code;name;colour\n', 1, /colour/],
    ['municipality;name\n99630000;x\n', 1, /код/],
    ['municipality;code;name\n', 1, /нет строк/i],
    [Buffer.from('municipality;code;name\n99630000;1;a\0b\n'), 2, /нулевые байты/],
    [Buffer.concat([Buffer.from('municipality;code;name\n99630000;1;'), Buffer.from([0x98]), Buffer.from('\n')]), 2, /Windows-1251/],
  ];
  for (const [body, lineNo, re] of cases) {
    const r = await importCsv('units', body, tokens.admin, { dryRun: true });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.errors.length, 1, show(r));
    assert.equal(r.json.errors[0].line, lineNo, show(r));
    assert.match(r.json.errors[0].message, re);
    const applied = await importCsv('units', body, tokens.admin);
    assert.equal(applied.status, 422, show(applied));
  }
});

test('import units: at most 20000 data rows', async () => {
  const rows = ['municipality;code;name'];
  for (let i = 0; i < 20001; i++) rows.push(`${LESNOY};${code(20)}${i};Сад ${i}`);
  const r = await importCsv('units', rows.join('\n'), tokens.admin, { dryRun: true });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.json.errors.map((e) => e.line), [20002]);
  assert.match(r.json.errors[0].message, /20000/);
});

test('import: files up to 5 MiB pass nginx (the /api/v1/import/ limit is 6 MiB); larger ones get 413', async () => {
  const address = `ул. ${'Длинная'.repeat(20)}, д. 1`;
  const rows = ['municipality;code;name;address;group'];
  for (let i = 0; i < 12000; i++) rows.push(`${LESNOY};${code(60)};Сад № 160;${address};Группа ${i}`);
  const body = Buffer.from(rows.join('\n'));
  assert.ok(body.length > 3 * 1024 * 1024 && body.length < 5 * 1024 * 1024, `${body.length} bytes`);
  const r = await importCsv('units', body, tokens.admin, { dryRun: true });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual([r.json.errors.length, r.json.create.length], [0, 12001]);
  assertProblem(await importCsv('units', Buffer.alloc(5 * 1024 * 1024 + 1, 0x61), tokens.admin), 413);
  assertProblem(await importCsv('units', Buffer.alloc(7 * 1024 * 1024, 0x61), tokens.admin), 413);
});

test('import units: injection-looking values are stored as plain text; the export guards formula cells', async () => {
  const evil = {
    name: "=cmd|' /C calc'!A0",
    short_name: "'; DROP TABLE users; --",
    address: '<script>alert(1)</script>',
    group: '+SUM(A1:A9)',
    group2: '@import',
  };
  const body = csv([
    ['municipality', 'code', 'name', 'short_name', 'address', 'group'],
    [LESNOY, code(30), evil.name, evil.short_name, evil.address, evil.group],
    [LESNOY, code(30), evil.name, evil.short_name, evil.address, evil.group2],
  ]);
  const done = assertImported(await importCsv('units', body, tokens.admin), { dryRun: false, applied: true });
  remember(done);
  assert.equal(done.create[0].name, evil.name);
  const k = await unit(done.create[0].id);
  assert.equal(k.name, evil.name);
  assert.equal(k.short_name, evil.short_name);
  assert.equal(k.address, evil.address);
  assert.equal((await unit(done.create[1].id)).name, evil.group);
  assert.equal((await unit(done.create[2].id)).name, evil.group2);

  for (const sep of [';', ',']) {
    const r = await exportCsv('units', tokens.admin, sep);
    assert.equal(r.status, 200, show(r));
    const rows = parseCsv(r.text, sep);
    for (const row of rows) {
      for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `formula cell exported: ${JSON.stringify(cell)}`);
    }
    const mine = rows.filter((row) => row[1] === code(30));
    assert.equal(mine.length, 2);
    for (const row of mine) assert.deepEqual(row.slice(2, 5), [`'${evil.name}`, evil.short_name, evil.address]);
    assert.deepEqual(mine.map((row) => row[5]).sort(), [`'${evil.group}`, `'${evil.group2}`].sort());
  }
});

test('export units and users: UTF-8 with BOM, attachment, and they import back unchanged (";" and ",")', async () => {
  for (const who of ['admin', 'municipal', 'doo']) {
    for (const sep of [';', ',']) {
      for (const kind of ['units', 'users']) {
        const r = await exportCsv(kind, tokens[who], sep);
        assert.equal(r.status, 200, show(r));
        conforms('get', `/export/${kind}.csv`, r);
        assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8$/i);
        const cd = r.headers.get('content-disposition');
        assert.match(cd, new RegExp(`^attachment; filename="vsok-${kind}-\\d{4}-\\d{2}-\\d{2}\\.csv"; filename\\*=UTF-8''%D0`));
        assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
        const bytes = r.bytes;
        const rows = parseCsv(r.text, sep);
        assert.ok(rows.length >= 2, `${who} ${kind}: ${rows.length} rows`);
        assert.equal(rows[0].length, 6);
        const back = await importCsv(kind, bytes, tokens[who]);
        assert.equal(back.status, 200, `${who} ${kind} ${sep}: ${show(back)}`);
        assert.deepEqual([back.json.create, back.json.update, back.json.errors], [[], [], []], `${who} ${kind} ${sep}`);
        assert.ok(back.json.unchanged > 0);
      }
    }
  }
  // the municipal coordinator's export holds only their municipality
  const mine = parseCsv((await exportCsv('units', tokens.municipal)).text, ';').slice(1);
  assert.ok(mine.length > 0 && mine.every((row) => row[0] === '99701000'), 'only Энск');
  const users = parseCsv((await exportCsv('users', tokens.municipal)).text, ';').slice(1);
  assert.ok(users.some((row) => row[0] === 'teacher' && row[2] === 'педагог'));
  assert.ok(!users.some((row) => row[0] === 'admin'));
});

test('export: ?sep other than ; or , is a 400 problem', async () => {
  const r = await exportCsv('units', tokens.admin, '|');
  assertProblem(r, 400);
  conforms('get', '/export/units.csv', r);
});

// ---------------------------------------------------------------------------------------
// Users

test('import users: new users get temporary passwords; a change is an update; again changes nothing', async () => {
  const kg = assertImported(
    await importCsv('units', csv([['municipality', 'code', 'name'], [LESNOY, code(40), 'МБДОУ «Детский сад № 140»']]), tokens.admin),
    { dryRun: false, applied: true },
  );
  remember(kg);
  const logins = [`imp${RUN}a`, `imp${RUN}b`];
  const rows = [
    ['логин', 'ФИО', 'роль', 'код организации', 'email', 'телефон'],
    [logins[0], 'Ёлкина Анна Петровна', 'воспитатель', code(40), 'a@example.org', '+7 900 000-00-01'],
    [logins[1], 'Пнёв Иван', 'doo_coordinator', code(40), '', ''],
  ];
  const body = cp1251(csv(rows, ','));
  const plan = assertImported(await importCsv('users', body, tokens.admin, { dryRun: true }), { dryRun: true, applied: false }, '/import/users');
  assert.deepEqual(plan.create.map((c) => [c.line, c.login, c.role]), [[2, logins[0], 'teacher'], [3, logins[1], 'doo_coordinator']]);
  assert.ok(plan.create.every((c) => c.temporary_password === undefined), 'no passwords in a dry run');

  const done = assertImported(await importCsv('users', body, tokens.admin), { dryRun: false, applied: true }, '/import/users');
  assert.equal(done.create.length, 2);
  for (const c of done.create) {
    assert.match(c.temporary_password, /^[A-HJ-NP-Za-km-z2-9]{12}$/);
    assert.ok(Number.isInteger(c.id));
  }
  const s = await login(logins[0], done.create[0].temporary_password);
  assert.equal(s.user.must_change_password, true);
  assert.equal(s.user.full_name, 'Ёлкина Анна Петровна');
  assert.equal(s.user.org_unit.id, kg.create[0].id);
  const me = await request(`${API}/me`, { token: s.token });
  assert.equal(me.json.must_change_password, true);

  const again = assertImported(await importCsv('users', body, tokens.admin), { dryRun: false, applied: true }, '/import/users');
  assert.deepEqual([again.create, again.update, again.unchanged], [[], [], 2]);

  rows[2][5] = '8 (900) 000-00-02';
  const upd = assertImported(await importCsv('users', csv(rows), tokens.admin), { dryRun: false, applied: true }, '/import/users');
  assert.deepEqual(upd.update.map((u) => [u.login, u.changes]), [[logins[1], { phone: [null, '8 (900) 000-00-02'] }]]);
  assert.equal(upd.unchanged, 1);
  const exported = parseCsv((await exportCsv('users', tokens.admin)).text, ';');
  assert.deepEqual(exported.find((row) => row[0] === logins[0]), [logins[0], 'Ёлкина Анна Петровна', 'педагог', code(40), 'a@example.org', "'+7 900 000-00-01"]);
});

test('import users: bad rows are reported and nothing is created', async () => {
  const body = csv([
    ['login', 'full_name', 'role', 'unit_code'],
    [`imp${RUN}x`, 'X', 'пилот', TEREMOK], // 2: unknown role
    [`imp${RUN}y`, 'Y', 'teacher', LESNOY], // 3: a teacher belongs to a kindergarten
    ['admin', 'Z', 'teacher', TEREMOK], // 4: the caller's own account
    [`imp${RUN}z`, '', 'teacher', TEREMOK], // 5: no full name
    [`imp${RUN}w`, 'W', 'teacher', 'нет такой'], // 6: unknown unit
    [`imp${RUN}w`, 'W', 'teacher', TEREMOK], // 7: fine
    [`imp${RUN}w`, 'W', 'teacher', TEREMOK], // 8: the same login again
  ]);
  const r = await importCsv('users', body, tokens.admin);
  assert.equal(r.status, 422, show(r));
  conforms('post', '/import/users', r);
  assert.deepEqual(r.json.errors.map((e) => e.line), [2, 3, 4, 5, 6, 8], JSON.stringify(r.json.errors));
  assert.ok(!parseCsv((await exportCsv('users', tokens.admin)).text, ';').some((row) => row[0].startsWith(`imp${RUN}w`)));
});

// ---------------------------------------------------------------------------------------
// Scope and roles

test('import: a municipal coordinator cannot import into another municipality', async () => {
  const units = csv([
    ['municipality', 'code', 'name', 'group'],
    [LESNOY, code(50), 'Чужой сад', ''], // another municipality
    ['99701000', TEREMOK, 'Теремок', ''], // a code of another municipality's kindergarten
    ['99701000', code(51), 'Свой сад', ''], // fine
  ]);
  const r = await importCsv('units', units, tokens.municipal);
  assert.equal(r.status, 422, show(r));
  assert.deepEqual(r.json.errors.map((e) => e.line), [2, 3]);
  assert.ok(!(await exportedCodes()).has(code(51)), 'nothing created');

  const users = csv([
    ['login', 'full_name', 'role', 'unit_code'],
    [`imp${RUN}m`, 'M', 'teacher', TEREMOK],
    [`imp${RUN}n`, 'N', 'region_coordinator', '99701000'],
  ]);
  const u = await importCsv('users', users, tokens.municipal, { dryRun: true });
  assert.equal(u.status, 200, show(u));
  assert.deepEqual(u.json.errors.map((e) => e.line), [2, 3]);
  assert.deepEqual(u.json.create, []);
});

test('import: a kindergarten coordinator may add groups to their own kindergarten only', async () => {
  const body = csv([
    ['municipality', 'code', 'name', 'group'],
    ['99701000', SOLNYSHKO, 'МБДОУ «Детский сад № 12 "Солнышко"»', `Группа ${RUN}`],
    ['99701000', '9901012058', 'МАДОУ «Детский сад № 5 "Берёзка"»', `Группа ${RUN}`],
  ]);
  const r = await importCsv('units', body, tokens.doo, { dryRun: true });
  assert.equal(r.status, 200, show(r));
  assert.deepEqual(r.json.create.map((c) => [c.line, c.level]), [[2, 'group']]);
  assert.deepEqual(r.json.errors.map((e) => e.line), [3]);
});

test('import and export: teachers and experts get 403, no token 401, other bodies 415, bad dry_run 400', async () => {
  const body = 'municipality;code;name\n';
  for (const who of ['teacher', 'expert']) {
    assertProblem(await importCsv('units', body, tokens[who]), 403);
    assertProblem(await importCsv('users', body, tokens[who]), 403);
    assertProblem(await exportCsv('units', tokens[who]), 403);
    conforms('get', '/export/users.csv', await exportCsv('users', tokens[who]));
  }
  assertProblem(await importCsv('units', body, undefined), 401);
  const json = await importCsv('units', '{}', tokens.admin, { contentType: 'application/json' });
  assertProblem(json, 415);
  conforms('post', '/import/units', json);
  const bad = await request(`${API}/import/users?dry_run=maybe`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'text/csv' },
    token: tokens.admin,
  });
  assertProblem(bad, 400);
  conforms('post', '/import/users', bad);
});
