// The teacher's day on a touch tablet (768×1024 and 1024×768): the home page lists the
// sheets to fill with their deadlines from the plan-schedule (the late one marked), the
// sheet returned with the reviewer's comment (a tap opens it) and the coming deadlines;
// the kindergarten coordinator's home lists the sheets waiting for review and the stage
// whose teachers are late.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, TABLET_LANDSCAPE, TABLET_PORTRAIT, launch, tablet, signInByTouch, touchProblems, api, token, day, signedInTablet, openCampaign, submitSheet, checkAnswers, openStagedCampaign } from './support.mjs';

let browser;
const RUN = Date.now() % 100000;
const LATE_TITLE = `Самооценка педагогов ${RUN}`;
const GROUP_TITLE = `Самооценка по группам ${RUN}`;
const COMMENT = `Добавьте обоснования к показателям (${RUN})`;
let returnedId;
let waitingId;

async function qsSheet(title) {
  const { campaign, instruments } = await openCampaign(title, { codes: ['QS'], opens: -1, closes: 10 });
  const qs = instruments.QS;
  const teacher = await token('teacher');
  const me = await api('GET', '/me', { token: teacher });
  const group = (await api('GET', `/units/${me.org_unit.id}/children?active=1`, { token: teacher })).items.find((u) => u.level === 'group');
  const def = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  return (await submitSheet(teacher, { campaign, instrument: qs, target: group.id, answers: checkAnswers(def, () => 'met') })).id;
}

before(async () => {
  browser = await launch();
  const stages = [['teacher_self', -6, 5, { title: LATE_TITLE }], ['kindergarten_self', -2, 12, { title: GROUP_TITLE }]];
  await openStagedCampaign(`Планшет ${RUN}`, stages, { teacherDue: -4 });

  returnedId = await qsSheet(`Возврат ${RUN}`);
  await api('POST', `/submissions/${returnedId}/return`, { token: await token('doo'), body: { comment: COMMENT, indicator_comments: { 'QS.1.1': 'Нет фото' } } });
  waitingId = await qsSheet(`На проверке ${RUN}`);
});

after(async () => {
  await browser?.close();
});

for (const [name, viewport] of [
  ['portrait', TABLET_PORTRAIT],
  ['landscape', TABLET_LANDSCAPE],
]) {
  test(`the teacher’s home on a ${name} tablet: to fill with deadlines, returned with the comment`, { timeout: 120_000 }, async () => {
    const { context, page, problems } = await signedInTablet(browser, 'teacher', viewport);

    const fill = page.getByTestId('home-fill');
    const late = fill.locator('a.task.late', { hasText: LATE_TITLE });
    await late.waitFor();
    assert.match(await late.textContent(), /Просрочено/, 'the late task says so');
    assert.match(await late.textContent(), new RegExp(`срок был ${new Date(`${day(-4)}T00:00:00`).toLocaleDateString('ru-RU').replace(/\./g, '\\.')}`), 'with the municipal deadline');

    const dates = page.getByTestId('home-dates');
    const cal = await api('GET', '/me/calendar', { token: await token('teacher') });
    const soonest = cal.tasks.filter((x) => x.closes_on >= day(0)).sort((a, b) => a.closes_on.localeCompare(b.closes_on))[0];
    const when = new Date(`${soonest.closes_on}T00:00:00`).toLocaleDateString('ru-RU').replace(/\./g, '\\.');
    assert.match(await dates.textContent(), new RegExp(`${when}\\s*${soonest.stage.title}`), 'the soonest deadline of the plan-schedule');
    assert.match(await fill.locator('a.task', { hasText: GROUP_TITLE }).first().textContent(), /осталось 12 дней/, 'the days left');

    const back = page.getByTestId('home-returned').locator(`a[href="/forms/${returnedId}"]`);
    await back.waitFor();
    assert.match(await back.textContent(), new RegExp(COMMENT.replace(/[()]/g, '\\$&')), 'the reviewer’s comment');
    assert.match(await back.textContent(), /1 замечание по показателям/);
    assert.deepEqual(await touchProblems(page), [], 'touch targets and no horizontal scroll');
    await back.tap();
    await page.waitForURL(`${BASE}/forms/${returnedId}**`);
    await page.getByTestId('returned-comment').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the kindergarten coordinator’s home on a portrait tablet: to review and late teachers', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'doo');
  const review = page.getByTestId('home-review');
  await review.waitFor();
  assert.ok(await review.locator(`a[href="/forms/${waitingId}"]`).count(), 'the submitted sheet waits for review');
  const late = page.getByTestId('home-late').locator('a.task', { hasText: LATE_TITLE });
  await late.waitFor();
  assert.match(await late.textContent(), /сдано \d+ из \d+/, 'how many teachers handed in');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the submit summary on a landscape tablet counts the photos and justifications the quality scale asks for', { timeout: 120_000 }, async () => {
  const region = await token('region');
  const qs = (await api('GET', '/instruments', { token: region })).items.find((i) => i.code === 'QS');
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Итоги ${RUN}`, year: new Date().getFullYear(), opens_on: day(-1), closes_on: day(10), instrument_ids: [qs.id] },
  });
  const teacher = await token('teacher');
  const me = await api('GET', '/me', { token: teacher });
  const group = (await api('GET', `/units/${me.org_unit.id}/children?active=1`, { token: teacher })).items.find((u) => u.level === 'group');
  const sheet = await api('POST', '/submissions', { token: teacher, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: group.id } });
  const def = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const answers = {};
  let indicators = 0;
  for (const s of def.sections)
    for (const ind of s.indicators) {
      indicators++;
      for (const it of ind.items) if (it.type === 'check') answers[it.code] = 'met';
    }
  const first = def.sections[0].indicators[0].code;
  answers[`${first}.comment`] = 'Центры активности есть во всех группах';
  await api('PATCH', `/submissions/${sheet.id}`, { token: teacher, body: { base_version: sheet.version, answers } });

  const { context, page, problems } = await signedInTablet(browser, 'teacher', TABLET_LANDSCAPE);
  await page.goto(`${BASE}/forms/${sheet.id}?area=summary`);
  const asks = page.getByTestId('summary-asks');
  await asks.waitFor();
  const text = await asks.textContent();
  assert.match(text, new RegExp(`без фото или видео — ${indicators} из ${indicators} показателей`));
  assert.match(text, new RegExp(`без обоснования — ${indicators - 1} из ${indicators} показателей`));
  assert.equal(await page.getByText('Все обязательные пункты заполнены').count(), 0, 'no claim that all is there');
  await asks.getByText('Какие показатели').tap();
  const link = asks.locator('.asks-list a').first();
  assert.match(await link.textContent(), new RegExp(first.replace(/\./g, '\\.')));
  await link.tap();
  await page.waitForURL(new RegExp(`area=${encodeURIComponent(def.sections[0].code).replace(/\./g, '\\.')}`));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the reviewer sees what changed since the return and confirms «Утвердить» (portrait tablet)', { timeout: 120_000 }, async () => {
  // the teacher changes a justification of the returned sheet and sends it again
  const teacher = await token('teacher');
  const sheet = await api('GET', `/submissions/${returnedId}`, { token: teacher });
  const saved = await api('PATCH', `/submissions/${returnedId}`, {
    token: teacher,
    body: { base_version: sheet.version, answers: { 'QS.1.1.comment': 'Добавили фото центров и обоснование' } },
  });
  await api('POST', `/submissions/${returnedId}/submit`, { token: teacher, body: { base_version: saved.version } });

  const { context, page, problems } = await signedInTablet(browser, 'doo');
  await page.goto(`${BASE}/forms/${returnedId}?area=summary`);
  const since = page.getByTestId('since-return');
  await since.waitFor();
  assert.match(await since.textContent(), /Изменения в 1 показателе/);
  assert.match(await since.textContent(), /нет ответа\s*→\s*Добавили фото центров и обоснование/);

  // «Утвердить» asks first; «Отмена» leaves the sheet as it was
  await page.getByRole('button', { name: 'Утвердить', exact: true }).tap();
  const dialog = page.getByRole('dialog', { name: 'Утвердить анкету?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Отмена' }).tap();
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await page.getByTestId('sheet-status').textContent()).trim(), 'Отправлена');
  assert.equal((await api('GET', `/submissions/${returnedId}`, { token: teacher })).status, 'submitted', 'nothing happened');

  await page.getByRole('button', { name: 'Утвердить', exact: true }).tap();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Утвердить', exact: true }).tap();
  await page.getByText('Анкета утверждена.').waitFor();
  assert.equal((await page.getByTestId('sheet-status').textContent()).trim(), 'Утверждена');
  assert.deepEqual(problems, []);
  await context.close();
});

test('sizes and speeds in Russian: «3,0 МБ» while a photo uploads on a portrait tablet, one Intl module', { timeout: 120_000 }, async () => {
  const { formatBytes, formatSpeed, formatNumber } = await import('../../frontend/src/shared/format.js');
  assert.equal(formatBytes(3 * 1024 * 1024, 'ru').replace(/\u00a0/g, ' '), '3,0 МБ');
  assert.equal(formatSpeed(48 * 1024, 'ru').replace(/\u00a0/g, ' '), '48 КБ/с');
  assert.equal(formatBytes(3 * 1024 * 1024, 'en'), '3.0 MB');
  assert.equal(formatNumber(1234.5, 'ru', { maximumFractionDigits: 1 }).replace(/\u00a0/g, ' '), '1 234,5');

  const teacher = await token('teacher');
  const sheet = await api('GET', `/submissions/${waitingId}`, { token: teacher });
  // a draft sheet of the teacher's to pick a photo into
  const region = await token('region');
  const qs = (await api('GET', '/instruments', { token: region })).items.find((i) => i.code === 'QS');
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Размер ${RUN}`, year: new Date().getFullYear(), opens_on: day(-1), closes_on: day(10), instrument_ids: [qs.id] },
  });
  const draft = await api('POST', '/submissions', { token: teacher, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: sheet.target.unit.id } });
  const def = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const section = def.sections[0];
  const slot = section.indicators[0].items.find((i) => i.type === 'evidence');

  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT);
  context.setDefaultTimeout(15_000);
  // the upload's bytes never get through: it stays in progress with its size shown
  await page.route('**/api/v1/uploads/*', (route) => (route.request().method() === 'PATCH' ? undefined : route.continue()));
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/forms/${draft.id}?area=${encodeURIComponent(section.code)}`);
  const item = page.locator(`[data-code="${slot.code}"]`);
  await item.getByText('Добавить фото/видео').waitFor();
  const photo = Buffer.alloc(3 * 1024 * 1024, 7);
  await item.locator('input[type=file][multiple]').setInputFiles({ name: 'камера.jpg', mimeType: 'image/jpeg', buffer: photo });
  const size = item.locator('.up-name small');
  await size.waitFor();
  const shown = (await size.textContent()).replace(/\u00a0/g, ' ').trim();
  assert.match(shown, /^\d+(,\d)? (МБ|КБ)$/, `a Russian size: ${shown}`);
  assert.ok(!/MB|KB|\d\.\d/.test(shown), 'no English unit or decimal point');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the campaign wizard on a portrait tablet: no title given, the next cycle proposed, a confirmation with kindergartens, stages and past dates', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'region');
  const before = (await api('GET', '/campaigns', { token: await token('region') })).items.length;
  await page.goto(`${BASE}/campaigns/new`);
  const stages = page.locator('li.stage');
  await stages.first().waitFor();
  assert.equal(await page.getByLabel('Название кампании').inputValue(), '', 'no prefilled title');
  const year = Number(await page.getByLabel('Год').inputValue());
  const tpl = await api('GET', `/campaigns/template?year=${new Date().getFullYear()}`, { token: await token('region') });
  const begun = tpl.stages.some((s) => s.opens_on < day(0));
  assert.equal(year, new Date().getFullYear() + (begun ? 1 : 0), 'the next cycle when this one has begun');

  // one tap does not create anything: the title is asked for
  await page.getByRole('button', { name: 'Создать кампанию' }).tap();
  await page.getByText('Введите название кампании.').waitFor();

  await page.getByLabel('Название кампании').fill(`Подтверждение ${RUN}`);
  // a stage moved into the past is flagged
  await stages.first().getByLabel('Начало').fill(day(-3));
  await stages.first().getByText('Дата уже прошла').waitFor();
  await page.getByRole('button', { name: 'Создать кампанию' }).tap();
  const confirm = page.getByRole('dialog', { name: 'Создать кампанию?' });
  await confirm.waitFor();
  const all = await api('POST', '/campaigns/sample', { token: await token('region'), body: { sample_percent: 100, sample_seed: 0 } });
  const text = await confirm.getByTestId('campaign-confirm').textContent();
  assert.match(text, new RegExp(`Детских садов: ${all.total}`), 'how many kindergartens');
  assert.match(text, /Этапов: 7/, 'how many stages');
  assert.match(text, /дата уже прошла/, 'the past date flagged');
  assert.equal(await confirm.locator('li.past').count(), 1);
  await confirm.getByRole('button', { name: 'Отмена' }).tap();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await api('GET', '/campaigns', { token: await token('region') })).items.length, before, 'nothing created');
  assert.deepEqual(problems, []);
  await context.close();
});

test('dashboards on a portrait tablet: area names readable without hover, a scroll cue, the instrument filter inside the screen', { timeout: 120_000 }, async () => {
  const region = await token('region');
  const instruments = (await api('GET', '/instruments', { token: region })).items;
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Дашборд ${RUN}`, year: new Date().getFullYear(), opens_on: day(-1), closes_on: day(10), instrument_ids: instruments.map((i) => i.id) },
  });
  const me = await api('GET', '/me', { token: region });
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT);
  context.setDefaultTimeout(20_000);
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'region', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/dashboards/${me.org_unit.id}?campaign=${campaign.id}`);
  await page.getByTestId('children-table').waitFor();
  const legend = page.getByTestId('area-legend');
  await legend.waitFor();
  const areas = await legend.locator('li').allTextContents();
  assert.ok(areas.length >= 5, `the areas listed: ${areas.length}`);
  assert.ok(areas.every((x) => /^\d+\s+\S.{3,}/.test(x.trim())), `number and name: ${areas.join(' | ')}`);
  assert.ok(await legend.isVisible());
  const wide = await page.getByTestId('children-scroll').evaluate((el) => el.scrollWidth > el.clientWidth);
  assert.ok(wide, 'in portrait the table is wider than the screen');
  assert.ok(await page.getByTestId('children-scroll-cue').isVisible(), 'so a scroll cue shows');
  const box = await page.locator('#dash-instrument').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 768, `the instrument filter inside the screen: ${JSON.stringify(box)}`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > innerWidth), false, 'no sideways page scroll');
  assert.deepEqual(problems, []);
  await context.close();
});

test('«Забыли пароль?» on a landscape tablet: whom to ask, a link by e-mail, a new password from it', { timeout: 120_000 }, async () => {
  const { query } = await import('../api/fixtures-org.mjs');
  const doo = await token('doo');
  const me = await api('GET', '/me', { token: doo });
  const login = `forgot${RUN}`;
  const address = `${login}@ds12.example`;
  await api('POST', '/users', { token: doo, body: { login, full_name: 'Забывчивая Педагог', role: 'teacher', org_unit_id: me.org_unit.id, email: address, password: 'Старый-пароль-2024' } });

  const { context, page, problems } = await tablet(browser, TABLET_LANDSCAPE);
  context.setDefaultTimeout(15_000);
  await page.goto(`${BASE}/login`);
  await page.getByText('Забыли пароль?').tap();
  await page.getByText(/координатор вашего детского сада/).waitFor();
  const form = page.getByTestId('forgot-mail');
  await form.waitFor();
  await form.getByLabel('Логин').fill(login);
  await form.getByRole('button', { name: 'Отправить ссылку' }).tap();
  await form.getByText(/Если такой логин есть/).waitFor();

  const rows = await query(`SELECT body FROM mail_outbox WHERE to_address = '${address}' ORDER BY id DESC LIMIT 1`);
  const link = /(http\S+\/reset-password\?token=[0-9a-f]{64})/.exec(rows[0][0])[1];
  assert.ok(link.startsWith(BASE), `a link to this server: ${link}`);
  await page.goto(link);
  await page.getByRole('heading', { name: 'Сброс пароля' }).waitFor();
  await page.getByLabel('Новый пароль').fill('Новый-пароль-2025');
  await page.getByLabel('Ещё раз').fill('Новый-пароль-2025');
  await page.getByRole('button', { name: 'Сохранить пароль' }).tap();
  await page.getByText(`Пароль для «${login}» изменён`).waitFor();
  await page.getByRole('link', { name: 'Ко входу' }).tap();
  await page.waitForURL(`${BASE}/login`);
  assert.equal((await signInByTouch(page, login, 'Новый-пароль-2025')).status(), 200, 'the new password signs in');
  assert.deepEqual(problems, []);
  await context.close();
});
