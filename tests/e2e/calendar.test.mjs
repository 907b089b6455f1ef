// The plan-schedule on a touch tablet: a campaign made from the template with the teachers'
// self-assessment past its municipal deadline and the kindergarten self-assessment still
// running; the teacher's «План-график» shows the month grid in landscape with the late task
// highlighted and linked to the form, the agenda list in portrait, and gives the personal
// .ics link with a copy button (the link answers with an iCalendar). The regional
// coordinator opens the campaign wizard, previews a drawn sample and creates the campaign.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_LANDSCAPE, launch, touchProblems, api, token, day, signedInTablet, openStagedCampaign } from './support.mjs';

let browser;
let campaign;
const RUN = Date.now() % 100000;
const LATE_TITLE = `Самооценка педагогов ${RUN}`;
const month = (iso) => iso.slice(0, 7);

before(async () => {
  browser = await launch();
  const stages = [['teacher_self', -6, 5, { title: LATE_TITLE }], ['kindergarten_self', -2, 12], ['final_reports', 14, 20]];
  campaign = await openStagedCampaign(`План-график ${RUN}`, stages, { teacherDue: -4 });
});

after(async () => {
  await browser?.close();
});

test('the teacher’s plan-schedule on a landscape tablet: month grid, the late task highlighted and linked, the .ics link', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'teacher', TABLET_LANDSCAPE);
  await page.locator('nav.nav').getByRole('link', { name: 'План-график' }).tap(); // the menu's, not the home page's «План-график →»
  await page.waitForURL(`${BASE}/calendar`);
  await page.getByRole('heading', { name: 'План-график', level: 1 }).waitFor();

  // the month of the late deadline (four days ago)
  await page.goto(`${BASE}/calendar?month=${month(day(-4))}`);
  const grid = page.locator('table.grid');
  await grid.waitFor();
  assert.ok(await grid.isVisible(), 'the month grid in landscape');
  const chip = grid.locator('a.chip.late', { hasText: LATE_TITLE });
  await chip.waitFor();
  assert.equal(await chip.getAttribute('href'), '/forms', 'a task not started links to the forms to start it');
  const cell = grid.locator('td.has-late').filter({ has: page.locator('a.chip.late', { hasText: LATE_TITLE }) });
  assert.equal((await cell.locator('.day').textContent()).trim(), String(Number(day(-4).slice(8, 10))), 'on the municipal deadline');
  const row = page.locator('a.task.late', { hasText: LATE_TITLE });
  assert.match(await row.textContent(), /Просрочено/);
  assert.match(await row.textContent(), /срок муниципалитета/);

  // the personal calendar link
  await page.getByRole('button', { name: /^(Создать ссылку|Новая ссылка)$/ }).tap();
  const url = page.getByLabel('Ссылка на календарь (.ics)');
  await url.waitFor();
  const link = await url.inputValue();
  assert.match(link, new RegExp(`^${BASE.replace(/[.]/g, '\\.')}/api/v1/calendar/[A-Za-z0-9_-]+\\.ics$`));
  await page.getByRole('button', { name: 'Копировать' }).tap();
  await page.getByRole('button', { name: 'Скопировано' }).waitFor();
  const ics = await fetch(link);
  assert.equal(ics.status, 200);
  const text = await ics.text();
  assert.match(text, /^BEGIN:VCALENDAR\r\n/);
  assert.ok(text.replace(/\r\n /g, '').includes(`SUMMARY:Срок: ${LATE_TITLE}`), 'the task is in the feed');

  await cell.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: join(ARTIFACTS, 'calendar-landscape.png') });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling');

  // the task opens the forms, where the sheet is started
  await chip.tap();
  await page.waitForURL(`${BASE}/forms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('portrait: the agenda list instead of the grid', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'teacher');
  await page.goto(`${BASE}/calendar?month=${month(day(-4))}`);
  const row = page.locator('a.task.late', { hasText: LATE_TITLE });
  await row.waitFor();
  assert.equal(await page.locator('table.grid').isVisible(), false, 'no grid in portrait');
  await row.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: join(ARTIFACTS, 'calendar-portrait.png') });
  assert.deepEqual(await touchProblems(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the regional coordinator’s wizard: stages from the template, a drawn sample previewed, the campaign created', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'region', TABLET_LANDSCAPE);
  await page.goto(`${BASE}/calendar`);
  await page.getByRole('link', { name: 'Новая кампания' }).tap();
  await page.waitForURL(`${BASE}/campaigns/new`);
  const stages = page.locator('li.stage');
  await stages.first().waitFor();
  assert.equal(await stages.count(), 7, 'the seven stages of the yearly cycle');
  await page.getByLabel('Название кампании').fill(`Мастер ${RUN}`);
  await page.getByLabel('Выборка').check();
  await page.getByLabel('Доля выборки, %').fill('10');
  await page.getByLabel('Число для жеребьёвки').fill('7');
  await page.getByRole('button', { name: 'Показать выборку' }).tap();
  await page.getByText(/Выбрано \d+ из \d+/).waitFor();
  const preview = await api('POST', '/campaigns/sample', { token: await token('region'), body: { sample_percent: 10, sample_seed: 7 } });
  assert.match(await page.getByText(/Выбрано \d+ из \d+/).textContent(), new RegExp(`Выбрано ${preview.count} из ${preview.total}`));
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-wizard.png'), fullPage: true });
  await page.getByRole('button', { name: 'Создать кампанию' }).tap();
  // nothing is created before the confirmation naming the kindergartens and stages
  const confirm = page.getByRole('dialog', { name: 'Создать кампанию?' });
  await confirm.waitFor();
  assert.match(await confirm.textContent(), new RegExp(`Детских садов: ${preview.count} из ${preview.total}`));
  assert.match(await confirm.textContent(), /Этапов: 7/);
  await confirm.getByRole('button', { name: 'Да, создать' }).tap();
  await page.waitForURL(/\/campaigns\/\d+$/);
  await page.getByRole('heading', { name: `Мастер ${RUN}`, level: 1 }).waitFor();
  const id = Number(page.url().split('/').pop());
  const made = await api('GET', `/campaigns/${id}`, { token: await token('region') });
  assert.equal(made.stages.length, 7);
  assert.deepEqual([made.participation.mode, made.participation.count, made.participation.sample_seed], ['sample', preview.count, 7]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the municipal coordinator on the campaign page: sets the municipal deadline and reopens a stage for one kindergarten', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'municipal');
  await page.goto(`${BASE}/campaigns/${campaign.id}`);
  const stage = page.locator('li.stage', { hasText: LATE_TITLE });
  await stage.waitFor();
  // the internal deadline: inside the stage window
  await stage.getByLabel('Срок муниципалитета').fill(day(-2));
  await stage.getByRole('button', { name: 'Установить срок' }).tap();
  await page.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();
  const st = (await api('GET', `/campaigns/${campaign.id}`, { token: await token('municipal') })).stages.find((s) => s.kind === 'teacher_self');
  assert.deepEqual(st.deadlines.map((d) => d.due_on), [day(-2)]);
  // the reopen dialog
  await stage.getByRole('button', { name: 'Открыть заново для детского сада' }).tap();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const kg = (await api('GET', '/me', { token: await token('doo') })).org_unit;
  await dialog.getByLabel('Детский сад').selectOption(String(kg.id));
  await dialog.getByLabel('Причина').fill('Сбой сети в детском саду');
  await page.screenshot({ path: join(ARTIFACTS, 'campaign-reopen.png') });
  await dialog.getByRole('button', { name: 'Открыть', exact: true }).tap();
  await page.getByRole('status').filter({ hasText: 'Этап открыт для' }).waitFor();
  assert.equal(await dialog.isVisible(), false);
  const audit = await api('GET', `/audit?entity=campaign_stage&entity_id=${st.id}`, { token: await token('region') });
  assert.ok(audit.items.some((a) => a.action === 'stage.reopen' && JSON.stringify(a).includes('Сбой сети в детском саду')), 'the reopening is logged');
  assert.deepEqual(await touchProblems(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the activity log names the reopening in words, in the row and in the action filter', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'region');
  await page.goto(`${BASE}/audit?action=stage.reopen`);
  await page.locator('td.action', { hasText: 'Повторное открытие этапа' }).first().waitFor();
  assert.equal(await page.locator('td.action', { hasText: 'stage.reopen' }).count(), 0, 'a bare action code is shown');
  assert.equal((await page.locator('td.entity').first().textContent()).includes('campaign_stage'), false, 'a bare object code is shown');
  assert.equal((await page.getByLabel('Действие').locator('option:checked').textContent()).trim(), 'Повторное открытие этапа');
  assert.deepEqual(problems, []);
  await context.close();
});
