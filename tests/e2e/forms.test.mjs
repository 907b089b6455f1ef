// Sheets on a touch tablet: a teacher fills the self-assessment sheet, loses the network,
// keeps answering, reloads, finds every answer still there, the draft syncs when the
// server is reachable again, submits (a first attempt shows the missing items); the
// kindergarten coordinator returns it with comments; the teacher sees them.
//
// "No network" is simulated two ways: context.setOffline(true) while answering (the
// browser reports offline, requests fail), and for the reload page.route() aborting every
// /api/ request while the page itself loads (the suite's tablets run without the service
// worker, support.mjs tablet(): an offline reload there cannot load the page at all, and
// nginx serves index.html with no-cache; the offline start is tests/e2e/outbox.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, TABLET_LANDSCAPE, launch, tablet, tapAndType, api, token, signIn, openCampaign } from './support.mjs';
import { cumulativeLevel, ecersLevel } from '../../frontend/src/features/forms/instrument.js';

let browser;
let campaign;
let tsa;

before(async () => {
  browser = await launch();
  // The regional coordinator opens a campaign with every published instrument.
  ({ campaign, instruments: { TSA: tsa } } = await openCampaign(`Проверка анкет ${Date.now()}`, { codes: ['TSA'], all: true }));
});

after(async () => {
  await browser?.close();
});

/** What the tablet's screen shows (a full-page capture would draw the sticky bar mid-page). */
const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

const item = (page, code) => page.locator(`[data-code="${code}"]`);
/** Tap the likert point n (1…5) of an item. */
const likert = (page, code, n) => item(page, code).locator(`input[type=radio][value="${n}"]`).tap();
const saveState = (page) => page.locator('[data-state]').first();

async function waitSaved(page, timeout = 10_000) {
  await page.waitForFunction(() => document.querySelector('[data-state]')?.dataset.state === 'saved', null, { timeout });
}

/** Buttons, fields and links smaller than a 44 px touch target, and sideways scrolling. */
async function touchProblems(page) {
  return page.evaluate(() => {
    const found = [...document.querySelectorAll('button, input, a, textarea')]
      .filter((el) => el.getClientRects().length > 0 && !el.classList.contains('skip'))
      .map((el) => ({ el: el.id || el.name || el.getAttribute('aria-label') || el.textContent.trim(), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`);
    if (document.documentElement.scrollWidth > innerWidth) found.push('page scrolls sideways');
    return found;
  });
}

test('teacher fills a sheet offline, it syncs, is returned with comments', { timeout: 240_000 }, async () => {
  const teacher = await tablet(browser, TABLET_PORTRAIT);
  const { context, page } = teacher;
  context.setDefaultTimeout(15_000);
  await signIn(page, 'teacher');

  // «Мои анкеты»: the campaign and the sheets the teacher fills; start the self-assessment.
  await page.locator('nav.nav').getByRole('link', { name: 'Мои анкеты' }).tap(); // the menu's, not the home page's «Мои анкеты →»
  await page.waitForURL(`${BASE}/forms`);
  const block = page.locator(`section:has(h2:text-is("${campaign.title}"))`);
  await block.waitFor();
  const tsaBlock = block.locator('[data-code="TSA"]');
  await tsaBlock.getByRole('button', { name: 'Начать' }).tap();
  await page.waitForURL(/\/forms\/\d+(\?.*)?$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByRole('heading', { level: 1, name: 'Лист профессиональной самооценки педагога' }).waitFor();
  assert.equal((await page.getByTestId('sheet-status').textContent()).trim(), 'Черновик');

  // A few answers with the network up: saved on the server.
  await likert(page, 'TSA.1.1.1', 4);
  await likert(page, 'TSA.1.1.2', 5);
  await waitSaved(page);
  assert.equal((await saveState(page).textContent()).trim().startsWith('Сохранено'), true);
  const teacherToken = await token('teacher');
  let server = await api('GET', `/submissions/${id}`, { token: teacherToken });
  assert.deepEqual([server.answers['TSA.1.1.1'], server.answers['TSA.1.1.2']], [4, 5]);
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'forms-portrait');
  assert.deepEqual(await touchProblems(page), [], 'touch targets on the form (portrait)');
  await page.setViewportSize(TABLET_LANDSCAPE);
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'forms-landscape');
  assert.deepEqual(await touchProblems(page), [], 'touch targets on the form (landscape)');
  await page.setViewportSize(TABLET_PORTRAIT);

  // The network goes: keep answering; the state says the changes are not sent.
  await context.setOffline(true);
  await likert(page, 'TSA.1.1.3', 3);
  await likert(page, 'TSA.1.1.4', 2);
  await tapAndType(page, item(page, 'TSA.1.1.example').locator('input'), 'Планируем вместе с детьми');
  await page.waitForFunction(() => document.querySelector('[data-state]')?.dataset.state === 'offline', null, { timeout: 10_000 });
  assert.match(await saveState(page).textContent(), /Не отправлено — нет сети/);
  await shot(page, 'forms-offline-portrait');

  // Reload while the API is still unreachable (the page itself must load: see the top).
  await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await context.setOffline(false);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Лист профессиональной самооценки педагога' }).waitFor();
  await page.getByText('Показана копия анкеты с этого устройства').waitFor();
  for (const [code, n] of [['TSA.1.1.1', 4], ['TSA.1.1.2', 5], ['TSA.1.1.3', 3], ['TSA.1.1.4', 2]]) {
    assert.equal(await item(page, code).locator(`input[value="${n}"]`).isChecked(), true, `${code} is still ${n}`);
  }
  assert.equal(await item(page, 'TSA.1.1.example').locator('input').inputValue(), 'Планируем вместе с детьми');
  // One more answer while the server cannot be reached.
  await likert(page, 'TSA.1.2.1', 5);
  await page.waitForFunction(() => document.querySelector('[data-state]')?.dataset.state === 'offline', null, { timeout: 10_000 });
  server = await api('GET', `/submissions/${id}`, { token: teacherToken });
  assert.equal(server.answers['TSA.1.1.3'], undefined, 'nothing typed offline has reached the server yet');

  // The server is reachable again: the queue is sent by the periodic retry, no tap needed.
  await page.unroute('**/api/**');
  await waitSaved(page, 30_000);
  server = await api('GET', `/submissions/${id}`, { token: teacherToken });
  assert.equal(server.answers['TSA.1.1.3'], 3);
  assert.equal(server.answers['TSA.1.1.4'], 2);
  assert.equal(server.answers['TSA.1.1.example'], 'Планируем вместе с детьми');
  assert.equal(server.answers['TSA.1.2.1'], 5);
  await page.getByText('Показана копия анкеты с этого устройства').waitFor({ state: 'detached' });

  // Submitting too early: the server lists what is missing, the form jumps to the first.
  await page.goto(`${BASE}/forms/${id}?area=summary`);
  await page.getByRole('button', { name: 'Отправить на проверку' }).tap();
  await page.getByText(/Анкета не отправлена: \d+ пункт/).waitFor();
  await page.waitForURL(/area=TSA\.1$/);
  const firstBad = item(page, 'TSA.1.2.2');
  await firstBad.getByText('нужен ответ: пункт обязательный').waitFor();
  assert.match(await firstBad.getAttribute('class'), /invalid/);
  assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-code]')?.dataset.code), 'TSA.1.2.2');

  // Fill the rest, area by area, then the portrait and landscape screenshots.
  const def = (await api('GET', `/instruments/${tsa.id}`, { token: teacherToken })).definition;
  for (const [s, section] of def.sections.entries()) {
    if (s > 0) {
      await page.getByRole('link', { name: 'Дальше →' }).tap();
      await page.waitForURL(new RegExp(`area=${section.code.replace('.', '\\.')}$`));
    }
    for (const ind of section.indicators) {
      for (const it of ind.items) {
        if (it.type === 'likert5' && !(await item(page, it.code).locator('input:checked').count())) await likert(page, it.code, 4);
        if (it.type === 'longtext') await tapAndType(page, item(page, it.code).locator('textarea'), 'Работа с родителями');
        if (it.type === 'multi') await item(page, it.code).locator('input[type=checkbox]').first().tap();
      }
    }
  }
  await waitSaved(page);
  await page.getByRole('link', { name: 'К отправке →' }).tap();
  await page.getByText('Все обязательные пункты заполнены.').waitFor();
  await page.getByRole('button', { name: 'Отправить на проверку' }).tap();
  await page.getByText('Анкета отправлена на проверку').waitFor();
  assert.equal((await page.getByTestId('sheet-status').textContent()).trim(), 'Отправлена');
  assert.equal((await page.getByTestId('overall-score').textContent()).trim(), '4,0');
  server = await api('GET', `/submissions/${id}`, { token: teacherToken });
  assert.equal(server.status, 'submitted');

  // The kindergarten coordinator returns it with an overall and an indicator comment.
  const doo = await tablet(browser, TABLET_LANDSCAPE);
  doo.context.setDefaultTimeout(15_000);
  try {
    await signIn(doo.page, 'doo');
    await doo.page.locator('nav.nav').getByRole('link', { name: 'На проверку' }).tap();
    await doo.page.waitForURL(`${BASE}/review`);
    await doo.page.locator(`a[href="/forms/${id}"]`).tap();
    await doo.page.getByRole('heading', { name: 'Решение проверяющего' }).waitFor();
    await doo.page.getByRole('link', { name: /Планирование и организация/ }).first().tap();
    await tapAndType(
      doo.page,
      doo.page.locator('#ind-TSA\\.1\\.1').getByLabel('Комментарий проверяющего к показателю'),
      'Приведите пример недельного плана',
    );
    await doo.page.getByRole('link', { name: 'Итоги', exact: true }).first().tap();
    await doo.page.getByRole('button', { name: 'Вернуть на доработку' }).tap();
    await doo.page.getByText('Напишите, что нужно исправить').waitFor();
    await tapAndType(doo.page, doo.page.getByLabel('Общий комментарий'), 'Дополните примеры из практики');
    await shot(doo.page, 'forms-review-landscape');
    await doo.page.getByRole('button', { name: 'Вернуть на доработку' }).tap();
    await doo.page.getByText('Анкета возвращена на доработку.').waitFor();
    assert.equal((await doo.page.getByTestId('sheet-status').textContent()).trim(), 'Возвращена');
    assert.deepEqual(doo.problems, []);
  } finally {
    await doo.context.close();
  }

  // The teacher sees the comments: the overall one on top, the indicator's beside it.
  await page.goto(`${BASE}/forms/${id}?area=TSA.1`);
  const returned = page.getByTestId('returned-comment');
  await returned.waitFor();
  assert.match(await returned.textContent(), /Дополните примеры из практики/);
  assert.match(await page.locator('#ind-TSA\\.1\\.1').textContent(), /Приведите пример недельного плана/);
  assert.equal((await page.getByTestId('sheet-status').textContent()).trim(), 'Возвращена');
  // Editable again.
  await likert(page, 'TSA.1.1.1', 5);
  await waitSaved(page);
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'forms-returned-portrait');
  assert.deepEqual(teacher.problems, []);
  await context.close();
});

test('the live levels of the form are the levels the server stores', async () => {
  // The kindergarten coordinator fills the quality scale (cumulative) and the group
  // observation scale (ecers) with random answers through the API and submits both; the
  // form's rules (frontend/src/features/forms/instrument.js) must give every stored level.
  const doo = await token('doo');
  const me = await api('GET', '/me', { token: doo });
  const groups = (await api('GET', `/units/${me.org_unit.id}/children`, { token: doo })).items;
  const all = (await api('GET', '/instruments', { token: doo })).items;
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const [code, target, rule, answer, level] of [
    ['QS', me.org_unit.id, 'cumulative', (it) => (it.type === 'check' ? ['met', 'met', 'met', 'not_met', 'na'][Math.floor(random() * 5)] : null), cumulativeLevel],
    ['ES', groups[0].id, 'ecers', (it) => (it.type !== 'ecers' ? null : it.column === 1 ? (random() < 0.1 ? 'yes' : 'no') : ['yes', 'yes', 'yes', 'no', 'na'][Math.floor(random() * 5)]), ecersLevel],
  ]) {
    const ins = await api('GET', `/instruments/${all.find((i) => i.code === code).id}`, { token: doo });
    assert.equal(ins.definition.scoring, rule);
    const sheet = await api('POST', '/submissions', {
      token: doo,
      body: { campaign_id: campaign.id, instrument_id: ins.id, target_unit_id: target },
    });
    const answers = {};
    for (const section of ins.definition.sections) {
      for (const ind of section.indicators) {
        for (const it of ind.items) {
          let v = answer(it);
          if (v === 'na' && !it.na_allowed) v = 'not_met';
          if (v === 'not_met' && it.type === 'ecers') v = 'no';
          if (v) answers[it.code] = v;
        }
      }
    }
    const saved = await api('PATCH', `/submissions/${sheet.id}`, { token: doo, body: { base_version: sheet.version, answers } });
    const done = await api('POST', `/submissions/${sheet.id}/submit`, { token: doo, body: { base_version: saved.version } });
    const stored = new Map(done.scores.indicators.map((n) => [n.code, n.level]));
    const levels = new Set();
    for (const section of ins.definition.sections) {
      for (const ind of section.indicators) {
        const mine = level(ind, answers).level;
        assert.equal(mine, stored.get(ind.code), `${ind.code}: the form says ${mine}, the server ${stored.get(ind.code)}`);
        levels.add(mine);
      }
    }
    assert.ok(levels.size >= 2, `${code}: the random answers reach several levels (${[...levels]})`);
  }
});

test('a save that fails keeps the answer over a reload; a version conflict is the user’s choice', { timeout: 120_000 }, async () => {
  const teacherToken = await token('teacher');
  const dc = (await api('GET', '/instruments', { token: teacherToken })).items.find((i) => i.code === 'DC');
  const sheet = await api('POST', '/submissions', { token: teacherToken, body: { campaign_id: campaign.id, instrument_id: dc.id } });
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT);
  context.setDefaultTimeout(15_000);
  try {
    await signIn(page, 'teacher');
    await page.goto(`${BASE}/forms/${sheet.id}?area=DC.1`);
    const pick = (code, option) => item(page, code).locator(`input[value="${option}"]`).tap();

    // The server answers the save with an error: the answer survives a reload and is sent later.
    await page.route('**/api/v1/submissions/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503,"title":"Unavailable"}' })
        : route.continue(),
    );
    await pick('DC.1.1.1', 'self');
    await page.waitForFunction(() => document.querySelector('[data-state]')?.dataset.state === 'error', null, { timeout: 10_000 });
    await page.reload();
    await item(page, 'DC.1.1.1').waitFor();
    assert.equal(await item(page, 'DC.1.1.1').locator('input[value="self"]').isChecked(), true);
    await page.unroute('**/api/v1/submissions/*');
    await page.getByRole('button', { name: 'Повторить' }).tap();
    await waitSaved(page);
    let server = await api('GET', `/submissions/${sheet.id}`, { token: teacherToken });
    assert.equal(server.answers['DC.1.1.1'], 'self');

    // Another device saves meanwhile; this one's next save is refused with 409.
    await api('PATCH', `/submissions/${sheet.id}`, {
      token: teacherToken,
      body: { base_version: server.version, answers: { 'DC.1.1.2': 'teach', 'DC.1.1.3': 'none' } },
    });
    await pick('DC.1.1.3', 'help');
    const dialog = page.getByRole('alertdialog', { name: 'Анкету изменили в другом месте' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /ваш ответ/);
    await shot(page, 'forms-conflict-portrait');
    await dialog.getByRole('button', { name: 'Оставить мои ответы' }).tap();
    await waitSaved(page);
    server = await api('GET', `/submissions/${sheet.id}`, { token: teacherToken });
    assert.deepEqual(
      [server.answers['DC.1.1.1'], server.answers['DC.1.1.2'], server.answers['DC.1.1.3']],
      ['self', 'teach', 'help'],
      'my answer on top of the other device’s version',
    );
    assert.equal(await item(page, 'DC.1.1.2').locator('input[value="teach"]').isChecked(), true);

    // Again, and this time the saved version wins.
    await api('PATCH', `/submissions/${sheet.id}`, {
      token: teacherToken,
      body: { base_version: server.version, answers: { 'DC.1.1.3': 'none' } },
    });
    await pick('DC.1.1.3', 'teach');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Взять сохранённую версию' }).tap();
    await waitSaved(page);
    await page.waitForFunction(() => document.querySelector('[data-code="DC.1.1.3"] input[value="none"]')?.checked);
    server = await api('GET', `/submissions/${sheet.id}`, { token: teacherToken });
    assert.equal(server.answers['DC.1.1.3'], 'none');

    // The quality scale for a group: check items by level, the indicator's level live.
    const qs = (await api('GET', '/instruments', { token: teacherToken })).items.find((i) => i.code === 'QS');
    const me = await api('GET', '/me', { token: teacherToken });
    const group = (await api('GET', `/units/${me.org_unit.id}/children`, { token: teacherToken })).items[0];
    const scale = await api('POST', '/submissions', {
      token: teacherToken,
      body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: group.id },
    });
    const def = (await api('GET', `/instruments/${qs.id}`, { token: teacherToken })).definition;
    const ind = def.sections[0].indicators[0];
    await page.goto(`${BASE}/forms/${scale.id}?area=${def.sections[0].code}`);
    const badge = page.locator(`[id="ind-${ind.code}"] .level-value`);
    assert.equal((await badge.textContent()).trim(), '—', 'no level before the first answer');
    const answers = {};
    const mark = async (it, v) => {
      await item(page, it.code).locator(`input[value="${v}"]`).tap();
      answers[it.code] = v;
    };
    for (const it of ind.items.filter((x) => x.type === 'check' && x.level <= 3)) await mark(it, 'met');
    assert.equal((await badge.textContent()).replace(/\s/g, ''), '3/5');
    const level4 = ind.items.filter((x) => x.type === 'check' && x.level === 4);
    await mark(level4[0], 'not_met');
    for (const it of ind.items.filter((x) => x.type === 'check' && x.level === 5)) await mark(it, 'met');
    assert.equal((await badge.textContent()).replace(/\s/g, ''), `${cumulativeLevel(ind, answers).level}/5`);
    assert.equal(cumulativeLevel(ind, answers).level, 3, 'met level-5 items do not help past a failed level 4');
    await waitSaved(page);
    const toIndicator = () => page.evaluate((code) => document.getElementById(`ind-${code}`).scrollIntoView({ block: 'start' }), ind.code);
    await toIndicator();
    await shot(page, 'forms-scale-portrait');
    await page.setViewportSize(TABLET_LANDSCAPE);
    await toIndicator();
    await shot(page, 'forms-scale-landscape');
    await page.setViewportSize(TABLET_PORTRAIT);
    server = await api('GET', `/submissions/${scale.id}`, { token: teacherToken });
    assert.equal(Object.keys(server.answers).length, Object.keys(answers).length);

    // The areas drawer (portrait): every area with its progress.
    await page.getByRole('button', { name: /Области/ }).tap();
    const drawer = page.getByRole('dialog', { name: 'Области' });
    await drawer.waitFor();
    await shot(page, 'forms-areas-portrait');
    await drawer.getByRole('link', { name: /Управление и развитие/ }).tap();
    await page.waitForURL(/area=QS\.9$/);
    await drawer.waitFor({ state: 'detached' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
