// Improvement plan on a touch tablet: the kindergarten coordinator's self-assessment comes
// out weak (every indicator at level 1); in the quality profile the weak indicators are
// offered «В план»; one tap opens the plan with the task prefilled from that indicator, the
// coordinator names the responsible person and adds it, then marks it done with a result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_LANDSCAPE, launch, touchProblems, api, token, signedInTablet, openCampaign, submitSheet, checkAnswers } from './support.mjs';

let browser;
let campaign;
let kindergarten;
let firstIndicator;
const WHO = `Старший воспитатель Петрова А. И. (${Date.now() % 100000})`;

before(async () => {
  browser = await launch();
  let qs;
  ({ campaign, instruments: { QS: qs } } = await openCampaign(`План повышения ${Date.now()}`, { codes: ['QS'] }));
  const doo = await token('doo');
  kindergarten = (await api('GET', '/me', { token: doo })).org_unit;
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: doo })).definition;
  firstIndicator = definition.sections[0].indicators[0];
  await submitSheet(doo, { campaign, instrument: qs, target: kindergarten.id, answers: checkAnswers(definition, () => 'not_met') });
});

after(async () => {
  await browser?.close();
});

test('a weak indicator of the profile becomes a task of the plan, then is done', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'doo', TABLET_LANDSCAPE);

  await page.goto(`${BASE}/units/${kindergarten.id}/profile?campaign=${campaign.id}`);
  const weak = page.getByTestId('weak');
  await weak.waitFor();
  const offered = weak.locator('a[data-indicator]');
  assert.ok((await offered.count()) >= 27, 'every indicator at level 1 is offered');
  await weak.locator(`a[data-indicator="${firstIndicator.code}"]`).tap();
  await page.waitForURL(/\/plan\?/);

  // The form is open and prefilled from the indicator.
  const action = page.getByLabel('Мероприятие');
  assert.match(await action.inputValue(), new RegExp(`Улучшить показатель ${firstIndicator.code.replace('.', '\\.')}`));
  await page.getByText(`Показатель ${firstIndicator.code}`).first().waitFor();
  await page.getByLabel('Ответственный').fill(WHO);
  await page.getByRole('button', { name: 'Добавить в план' }).tap();
  const task = page.locator('li.task').filter({ hasText: WHO }).first();
  await task.waitFor();
  assert.match(await task.textContent(), /Запланировано/);
  assert.doesNotMatch(page.url(), /indicator=/, 'the prefill left the address');

  // The API has it, with the indicator and the campaign it came from.
  const plan = await api('GET', `/units/${kindergarten.id}/plan`, { token: await token('doo') });
  const stored = plan.items.find((i) => i.responsible === WHO && i.campaign_id === campaign.id);
  assert.ok(stored, JSON.stringify(plan.items));
  assert.equal(stored.indicator, firstIndicator.code);

  // Done, with a result.
  await task.getByRole('button', { name: 'Изменить' }).tap();
  await task.getByLabel('Статус').selectOption('done');
  await task.getByLabel('Результат').fill('Центр экспериментирования оборудован');
  await task.getByRole('button', { name: 'Сохранить' }).tap();
  await page.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();
  const doneTask = page.locator(`li.task[data-task="${stored.id}"]`);
  await doneTask.getByText('Центр экспериментирования оборудован').waitFor();
  assert.equal(await doneTask.locator('[data-status]').getAttribute('data-status'), 'done');
  assert.equal((await api('GET', `/units/${kindergarten.id}/plan?status=done`, { token: await token('doo') })).items.some((i) => i.id === stored.id), true);

  await page.screenshot({ path: join(ARTIFACTS, 'plan-landscape.png') });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling');
  assert.deepEqual(problems, []);
});
