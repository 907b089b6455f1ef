// The organisation capability in a real browser on a touch tablet: a municipal coordinator
// creates a teacher, the teacher signs in with the temporary password, must change it and
// then sees their kindergarten; breadcrumbs of the org tree; the import wizard's preview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, TABLET_PORTRAIT, TABLET_LANDSCAPE, tablet, shot, whoIs, tapAndType, signInByTouch, signOutByTouch, touchProblems, accountButton, useBrowser } from './support.mjs';

const held = useBrowser();

const RUN = Date.now().toString(36);
const crumbs = (page) => page.getByRole('navigation', { name: 'Путь по структуре' });
const nav = (page) => page.getByRole('navigation', { name: 'Разделы' });

test('a municipal coordinator creates a teacher, who must change the temporary password first', async () => {
  const login = `e2e.teacher.${RUN}`;
  const fullName = `Тестова Анна ${RUN}`;
  const newPassword = `Svoj-parol-${RUN}`;
  const { context, page, problems } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/`);
    assert.equal((await signInByTouch(page, 'municipal', 'demo')).status(), 200);

    // Users → Add a user.
    await nav(page).getByRole('link', { name: 'Пользователи', exact: true }).tap();
    await page.waitForURL(`${BASE}/users`);
    await page.getByRole('heading', { level: 1, name: 'Пользователи' }).waitFor();
    await page.getByRole('link', { name: 'Добавить пользователя' }).first().tap();
    await page.waitForURL(`${BASE}/users/new`);

    await tapAndType(page, page.getByLabel('Логин'), login);
    await tapAndType(page, page.getByLabel('ФИО'), fullName);
    const role = page.getByLabel('Роль');
    assert.equal(await role.inputValue(), 'teacher', 'a teacher is the default role');
    // A municipal coordinator may create only kindergarten coordinators, teachers, experts.
    const offered = await role.locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(offered.sort(), ['doo_coordinator', 'expert', 'teacher']);

    // The kindergarten: search in the picker and tap the result.
    await tapAndType(page, page.getByLabel('Организация'), 'Солнышко');
    const option = page.locator('#uf-org_unit_id-results button.option', { hasText: 'Солнышко' }).first();
    await option.waitFor();
    await option.tap();
    const kindergarten = (await page.locator('.chosen [data-unit-id]').innerText()).trim();
    assert.match(kindergarten, /Солнышко/);
    await shot(page, 'user-new-portrait');
    assert.deepEqual(await touchProblems(page), [], 'create form, portrait');

    const created = page.waitForResponse((r) => r.url() === `${BASE}/api/v1/users` && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Создать пользователя' }).tap();
    assert.equal((await created).status(), 201);
    await page.getByRole('heading', { level: 1, name: 'Пользователь создан' }).waitFor();
    const password = await page.locator('input[data-temporary-password]').inputValue();
    assert.ok(password.length >= 8, 'a temporary password is shown');
    assert.ok((await page.locator('main').innerText()).includes('Передайте логин и временный пароль'));
    await shot(page, 'user-created');
    assert.deepEqual(await touchProblems(page), [], 'created page');

    await signOutByTouch(page);

    // The new teacher signs in and gets only the password change page.
    assert.equal((await signInByTouch(page, login, password)).status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Смена пароля' }).waitFor();
    await page.waitForURL(`${BASE}/password`);
    assert.equal(await nav(page).count(), 0, 'no sections while the password is temporary');
    for (const to of ['/units', '/']) {
      // Any other address leads back to it (the last one is where the app goes afterwards).
      await page.goto(`${BASE}${to}`);
      await page.getByRole('heading', { level: 1, name: 'Смена пароля' }).waitFor();
      await page.waitForURL(`${BASE}/password`);
    }
    await shot(page, 'password-forced');
    assert.deepEqual(await touchProblems(page), [], 'password page');

    // A repeat that does not match is caught before sending.
    await tapAndType(page, page.getByLabel('Текущий пароль'), password);
    await tapAndType(page, page.getByLabel('Новый пароль', { exact: true }), newPassword);
    await tapAndType(page, page.getByLabel('Новый пароль ещё раз'), `${newPassword}x`);
    await page.getByRole('button', { name: 'Сменить пароль' }).tap();
    await page.getByText('Пароли не совпадают').waitFor();
    await page.getByLabel('Новый пароль ещё раз').fill('');
    await tapAndType(page, page.getByLabel('Новый пароль ещё раз'), newPassword);

    const changed = page.waitForResponse((r) => r.url() === `${BASE}/api/v1/me/password`);
    await page.getByRole('button', { name: 'Сменить пароль' }).tap();
    assert.equal((await changed).status(), 204);

    // Home: the teacher's name and kindergarten.
    await page.getByRole('heading', { level: 1, name: fullName }).waitFor();
    await page.waitForURL(`${BASE}/`);
    assert.equal((await page.locator('main .org').innerText()).trim(), kindergarten);
    await nav(page).waitFor();
    await shot(page, 'teacher-home');

    // The change is on the server: a reload stays on the home page.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: fullName }).waitFor();
    assert.equal(page.url(), `${BASE}/`);

    // And the new password works.
    const me = await whoIs(login, newPassword);
    assert.equal(me.must_change_password, false);
    assert.equal(me.org_unit.name, kindergarten);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the org tree shows breadcrumbs when drilling down, and the address keeps the place', async () => {
  const { context, page, problems } = await tablet(held.browser, TABLET_LANDSCAPE);
  try {
    await page.goto(`${BASE}/units`);
    assert.equal((await signInByTouch(page, 'region', 'demo')).status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Организации' }).waitFor();
    await page.waitForURL(`${BASE}/units`);

    // Drill down: region → municipality → kindergarten → group, tapping the first row
    // that has something below it (other suites add empty kindergartens).
    const path = [];
    for (let depth = 0; depth < 4; depth++) {
      // below the root, the units' own list: a unit's page also lists its users, and that
      // list may render first
      const list = depth === 0 ? 'main ul.rows' : 'main section[aria-labelledby="children-title"] ul.rows';
      const row = page.locator(`${list} a.row${depth < 3 ? ':not([data-below="0"])' : ''}`).first();
      await row.waitFor();
      const name = (await row.locator('.row-title').innerText()).trim();
      await row.tap();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      assert.match(page.url(), /\/units\/\d+$/);
      path.push(name);
      const trail = crumbs(page);
      const links = (await trail.getByRole('link').allInnerTexts()).map((s) => s.trim());
      assert.deepEqual(links, ['Организации', ...path.slice(0, -1)], `links at depth ${depth + 1}`);
      assert.equal((await trail.locator('[aria-current="page"]').innerText()).trim(), name);
      if (depth === 2) {
        await shot(page, 'unit-kindergarten-landscape');
        assert.deepEqual(await touchProblems(page), [], 'unit page, landscape');
        await page.setViewportSize(TABLET_PORTRAIT);
        await shot(page, 'unit-kindergarten-portrait');
        assert.deepEqual(await touchProblems(page), [], 'unit page, portrait');
      }
    }
    assert.equal(await page.locator('main ul.rows a.row[href^="/units/"]').count(), 0, 'a group has no children');

    // A reload keeps the page; back goes up one level; a breadcrumb jumps up two.
    const here = page.url();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: path[3], exact: true }).waitFor();
    assert.equal(page.url(), here);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: path[2], exact: true }).waitFor();
    await crumbs(page).getByRole('link', { name: path[0], exact: true }).tap();
    await page.getByRole('heading', { level: 1, name: path[0], exact: true }).waitFor();

    // Search within the scope.
    await crumbs(page).getByRole('link', { name: 'Организации', exact: true }).tap();
    await tapAndType(page, page.getByLabel('Поиск организации'), path[2].slice(-12));
    await page.waitForURL(/\/units\?q=/);
    await page.locator('main ul.rows a.row', { hasText: path[2] }).first().waitFor();
    await shot(page, 'units-search');

    // A unit that does not exist (or is out of scope): a friendly page.
    await page.goto(`${BASE}/units/987654321`);
    await page.getByRole('heading', { level: 1, name: 'Организация не найдена' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the import wizard previews a file with a bad row, then applies a clean one', async () => {
  const me = await whoIs('municipal');
  const code = `99${Date.now()}`.slice(0, 12);
  const header = 'муниципалитет;код;наименование;группа';
  const good = `${me.org_unit.name};${code};Тестовый детский сад ${RUN};Группа «Ромашка»`;
  const bad = 'Нет такого муниципалитета;123;Сад;Группа';
  const csv = (lines) => ({ name: 'sady.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') });

  const { context, page, problems } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/import`);
    assert.equal((await signInByTouch(page, 'municipal', 'demo')).status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Импорт из CSV' }).waitFor();
    assert.ok(await page.getByLabel(/Организации/).isChecked(), 'organisations are the default');
    assert.equal(await page.locator('#import-file').getAttribute('accept'), '.csv,text/csv');
    assert.deepEqual(await touchProblems(page), [], 'import page');

    // Dry run: the request carries the file as text/csv with dry_run=1.
    const checked = page.waitForRequest((r) => r.url().startsWith(`${BASE}/api/v1/import/units`));
    await page.locator('#import-file').setInputFiles(csv([header, good, bad]));
    const request = await checked;
    assert.equal(new URL(request.url()).searchParams.get('dry_run'), '1');
    assert.equal(request.headers()['content-type'], 'text/csv');
    await page.getByRole('heading', { name: 'Что изменится' }).waitFor();
    assert.equal(await page.locator('[data-count="create"]').innerText(), '2');
    assert.equal(await page.locator('[data-count="errors"]').innerText(), '1');
    const errors = page.locator('ul.errors li');
    assert.equal(await errors.count(), 1);
    const line = (await errors.first().innerText()).replace(/\s+/g, ' ');
    assert.match(line, /^Строка 3 /);
    assert.match(line, /Нет такого муниципалитета/);
    assert.ok((await page.locator('main').innerText()).includes(`Тестовый детский сад ${RUN}`));
    assert.ok(await page.getByRole('button', { name: 'Применить' }).isDisabled(), 'no apply while there are errors');
    await shot(page, 'import-preview-errors');
    assert.deepEqual(await touchProblems(page), [], 'preview');

    // A clean file: apply sends the same bytes without dry_run.
    await page.getByRole('button', { name: 'Выбрать другой файл' }).tap();
    await page.locator('#import-file').setInputFiles(csv([header, good]));
    await page.getByRole('heading', { name: 'Что изменится' }).waitFor();
    assert.equal(await page.locator('[data-count="errors"]').innerText(), '0');
    const applied = page.waitForRequest((r) => r.url() === `${BASE}/api/v1/import/units` && r.method() === 'POST');
    await page.getByRole('button', { name: 'Применить' }).tap();
    assert.equal((await applied).postData(), Buffer.from([header, good].join('\r\n') + '\r\n').toString());
    await page.getByRole('heading', { name: 'Импорт выполнен' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Создано: 2/);
    await page.setViewportSize(TABLET_LANDSCAPE);
    await shot(page, 'import-applied-landscape');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a users import lists the temporary passwords and downloads them as CSV', async () => {
  const login = `e2e.imp.${RUN}`;
  const file = ['логин;ФИО;роль;код организации', `${login};Импортова Вера ${RUN};teacher;9901012345`].join('\r\n');
  const { context, page, problems } = await tablet(held.browser, { width: 360, height: 740 });
  try {
    await page.goto(`${BASE}/import`);
    assert.equal((await signInByTouch(page, 'municipal', 'demo')).status(), 200);
    await page.getByRole('heading', { level: 1, name: 'Импорт из CSV' }).waitFor();
    await page.getByText('Пользователи', { exact: true }).last().tap();
    assert.ok(await page.getByLabel(/Столбцы: логин/).isChecked());
    await page.locator('#import-file').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('heading', { name: 'Что изменится' }).waitFor();
    assert.equal(await page.locator('[data-count="create"]').innerText(), '1');
    await page.getByRole('button', { name: 'Применить' }).tap();
    await page.getByRole('heading', { name: 'Импорт выполнен' }).waitFor();
    const row = page.locator('table.passwords tbody tr');
    assert.equal(await row.count(), 1);
    assert.equal((await row.locator('td').first().innerText()).trim(), login);
    const password = (await row.locator('td.pw').innerText()).trim();
    assert.ok(password.length >= 8);
    await shot(page, 'import-users-phone');
    assert.deepEqual(await touchProblems(page), [], 'users import result on a phone');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Скачать CSV' }).tap();
    const saved = await download;
    assert.match(saved.suggestedFilename(), /\.csv$/);
    const text = (await import('node:fs')).readFileSync(await saved.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'UTF-8 with BOM for Excel');
    assert.ok(text.includes(`${login};`) && text.includes(password), 'login and password in the file');
    assert.deepEqual(problems, []);
    await accountButton(page).waitFor();
  } finally {
    await context.close();
  }
});

test('an API answer "password change required" leads to the password page', async () => {
  const { context, page, problems } = await tablet(held.browser);
  try {
    await page.goto(`${BASE}/`);
    assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
    await accountButton(page).waitFor();
    // As if a coordinator had just reset this user's password.
    await page.route('**/api/v1/units', (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: '/problems/password-change-required',
          title: 'Password change required',
          status: 403,
          detail: 'Сначала смените временный пароль.',
        }),
      }),
    );
    await nav(page).getByRole('link', { name: 'Организации', exact: true }).tap();
    await page.getByRole('heading', { level: 1, name: 'Смена пароля' }).waitFor();
    await page.waitForURL(`${BASE}/password`);
    assert.equal(await nav(page).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
