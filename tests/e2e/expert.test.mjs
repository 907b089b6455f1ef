// Expert work on a touch tablet. Set up through the API: the regional coordinator opens a
// campaign with the quality scale; the kindergarten coordinator fills it (every indicator
// at level 3, a justification text and a photo on the first indicator) and submits it.
// The expert (assigned to that kindergarten) opens «Экспертиза», the remote view: the
// self-assessment beside their own sheet (landscape: two columns; portrait: one indicator
// with a toggle), starts their sheet there and marks an item, then writes and sends the
// preliminary report; the kindergarten coordinator sees it waiting in the menu and
// comments; the expert finalises it, and the final report is read-only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, TABLET_LANDSCAPE, launch, touchProblems, api, token, solidPng, signedInTablet, openCampaign, checkAnswers } from './support.mjs';

let browser;
let campaign;
let qs;
let kindergarten;
let definition;
const JUSTIFICATION = 'Цели записаны в ООП ДО, протокол педсовета № 3 от 28.08.';

/** Uploads a photo to an indicator of a sheet with the tus protocol (creation + one PATCH). */
async function upload(tok, sheetId, indicator, bytes) {
  const b64 = (s) => Buffer.from(String(s)).toString('base64');
  const meta = `filename ${b64('стенд.png')},filetype ${b64('image/png')},submission ${b64(sheetId)},indicator ${b64(indicator)}`;
  const created = await fetch(`${BASE}/api/v1/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tok}`, 'Tus-Resumable': '1.0.0', 'Upload-Length': String(bytes.length), 'Upload-Metadata': meta },
  });
  assert.equal(created.status, 201, await created.text());
  const sent = await fetch(new URL(created.headers.get('location'), BASE), {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${tok}`, 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
  assert.equal(sent.status, 204, await sent.text());
}

before(async () => {
  browser = await launch();
  ({ campaign, instruments: { QS: qs } } = await openCampaign(`Экспертиза ${Date.now()}`, { codes: ['QS'] }));

  const doo = await token('doo');
  kindergarten = (await api('GET', '/me', { token: doo })).org_unit;
  definition = (await api('GET', `/instruments/${qs.id}`, { token: doo })).definition;
  const sheet = await api('POST', '/submissions', { token: doo, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: kindergarten.id } });
  const answers = checkAnswers(definition, (it) => (it.level <= 3 ? 'met' : 'not_met'));
  const first = definition.sections[0].indicators[0];
  const text = first.items.find((it) => it.type === 'text' || it.type === 'longtext');
  if (text) answers[text.code] = JUSTIFICATION;
  const saved = await api('PATCH', `/submissions/${sheet.id}`, { token: doo, body: { base_version: sheet.version, answers } });
  await upload(doo, sheet.id, first.code, solidPng(16));
  const done = await api('POST', `/submissions/${sheet.id}/submit`, { token: doo, body: { base_version: saved.version } });
  assert.equal(done.status, 'submitted');

  // the demo expert scores this kindergarten (idempotent)
  const expert = await api('GET', '/me', { token: await token('expert') });
  await api('PUT', `/users/${expert.id}/assignments/${kindergarten.id}`, { token: await token('municipal') });
});

after(async () => {
  await browser?.close();
});

test('an expert on a tablet: the remote view side by side, the preliminary report, the coordinator’s comment, the final report', { timeout: 240_000 }, async () => {
  const first = definition.sections[0].indicators[0];
  const firstCheck = first.items.find((it) => it.type === 'check');

  // ---- the expert, landscape
  const ex = await signedInTablet(browser, 'expert', TABLET_LANDSCAPE);
  const page = ex.page;
  await page.getByRole('link', { name: 'Экспертиза' }).tap();
  await page.waitForURL(`${BASE}/expert`);
  const task = page.getByTestId('expert-task').filter({ hasText: kindergarten.name });
  const section = task.locator('section.campaign').filter({ hasText: campaign.title });
  await section.waitFor();
  assert.match(await section.textContent(), /Отправлена/, 'the self-assessment is submitted');
  await section.getByRole('link', { name: 'Дистанционная оценка' }).tap();
  await page.waitForURL(`${BASE}/expert/${kindergarten.id}/${campaign.id}`);

  // the self-assessment: level 3, the justification text, the photo; the expert's sheet beside it
  const pair = page.locator(`[data-testid="pair"][data-code="${first.code}"]`);
  const selfCol = pair.getByTestId('self-column');
  const mineCol = pair.getByTestId('mine-column');
  await selfCol.locator('.level-value').waitFor();
  assert.match(await selfCol.locator('.level-value').textContent(), /^3/);
  assert.match(await selfCol.textContent(), new RegExp(JUSTIFICATION.slice(0, 20)));
  await page.waitForFunction((code) => {
    const img = document.querySelector(`[data-code="${code}"] [data-testid="self-column"] img`);
    return img && img.complete && img.naturalWidth > 0;
  }, first.code);
  const boxes = [await selfCol.boundingBox(), await mineCol.boundingBox()];
  assert.ok(boxes[0].x + boxes[0].width <= boxes[1].x + 1 && Math.abs(boxes[0].y - boxes[1].y) < 2, `two columns side by side: ${JSON.stringify(boxes)}`);

  // start the expert's own sheet from here and mark the first item
  await mineCol.getByRole('button', { name: 'Начать мою оценку' }).tap();
  const myItem = mineCol.locator(`[data-code="${firstCheck.code}"]`);
  await myItem.waitFor();
  const saved = page.waitForResponse((r) => /\/api\/v1\/submissions\/\d+$/.test(r.url()) && r.request().method() === 'PATCH' && r.status() === 200);
  await myItem.locator('input[type=radio][value="met"]').tap();
  await saved;
  assert.equal(await page.locator('[id="mine-item-' + firstCheck.code + '"]').count(), 1, 'the expert’s items have their own ids');
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'expert-remote-landscape.png') });
  await page.screenshot({ path: join(ARTIFACTS, 'expert-remote-landscape-full.png'), fullPage: true });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (landscape)');

  // portrait: one indicator at a time, with a toggle between the two sheets
  await page.setViewportSize(TABLET_PORTRAIT);
  await page.getByTestId('indicator-pos').waitFor();
  assert.match(await page.getByTestId('indicator-pos').textContent(), new RegExp(`Показатель 1 из ${definition.sections[0].indicators.length}`));
  assert.equal(await page.getByTestId('pair').count(), 1);
  assert.ok(await selfCol.isVisible());
  assert.equal(await mineCol.isVisible(), false);
  await page.getByRole('button', { name: 'Моя оценка' }).tap();
  assert.ok(await mineCol.isVisible());
  assert.equal(await selfCol.isVisible(), false);
  assert.equal(await myItem.locator('input[value="met"]').isChecked(), true, 'the answer was kept');
  await page.getByRole('button', { name: 'Самооценка ДОО' }).tap();
  await page.getByRole('button', { name: /Следующий/ }).tap();
  assert.match(await page.getByTestId('indicator-pos').textContent(), /Показатель 2 из/);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'expert-remote-portrait.png') });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (portrait)');

  // the report: written and sent as preliminary
  await page.getByRole('button', { name: 'Начать отчёт' }).tap();
  await page.waitForURL(/\/expert-reports\/\d+$/);
  const reportUrl = page.url();
  await page.getByTestId('report-status').waitFor();
  assert.equal((await page.getByTestId('report-status').textContent()).trim(), 'Черновик');
  await page.getByRole('textbox', { name: 'Общие выводы и рекомендации' }).fill('Самооценка подтверждается документами и фото. Рекомендуется обновить РППС.');
  await page.getByRole('button', { name: 'Отправить детскому саду как предварительный' }).tap();
  await page.getByText('Предварительный отчёт отправлен детскому саду.').waitFor();
  assert.equal((await page.getByTestId('report-status').textContent()).trim(), 'Предварительный');
  assert.deepEqual(await touchProblems(page), [], 'touch targets on the report page');

  // ---- the kindergarten coordinator is told, reads it and comments
  const coord = await signedInTablet(browser, 'doo');
  const cp = coord.page;
  const navLink = cp.getByRole('link', { name: /Отчёты экспертов/ });
  await navLink.getByTestId('nav-count').waitFor();
  assert.ok(Number(await navLink.getByTestId('nav-count').textContent()) >= 1, 'the menu counts the reports awaiting comments');
  await navLink.tap();
  await cp.waitForURL(`${BASE}/expert-reports`);
  const row = cp.getByTestId('report-row').filter({ hasText: campaign.title });
  assert.match(await row.textContent(), /ждёт ваших комментариев/);
  await row.tap();
  await cp.waitForURL(reportUrl);
  assert.match(await cp.getByTestId('report-summary').textContent(), /Рекомендуется обновить РППС/);
  await cp.getByRole('textbox', { name: 'Ваш комментарий к предварительному отчёту' }).fill('Согласны. РППС обновим к марту, план уже составлен.');
  await cp.getByRole('button', { name: 'Отправить комментарий' }).tap();
  await cp.getByText('Комментарий отправлен эксперту.').waitFor();
  assert.equal(await cp.getByTestId('report-comment').count(), 1);
  assert.equal(await cp.getByRole('button', { name: 'Отправить комментарий' }).count(), 1, 'more comments may follow');
  await cp.screenshot({ path: join(ARTIFACTS, 'expert-report-comment.png'), fullPage: true });
  assert.deepEqual(coord.problems, [], 'no page errors (coordinator)');
  await coord.context.close();

  // ---- the expert finalises; the final report is read-only
  await page.goto(reportUrl);
  await page.getByTestId('report-comment').waitFor();
  assert.match(await page.getByTestId('report-comment').textContent(), /РППС обновим к марту/);
  await page.getByRole('button', { name: 'Утвердить итоговый отчёт' }).tap();
  await page.getByText('Итоговый отчёт утверждён. Он больше не изменяется.').waitFor();
  assert.equal((await page.getByTestId('report-status').textContent()).trim(), 'Итоговый');
  assert.equal(await page.getByRole('textbox', { name: 'Общие выводы и рекомендации' }).count(), 0, 'no editor on a final report');
  assert.equal(await page.getByRole('button', { name: 'Сохранить' }).count(), 0);
  await page.reload();
  await page.getByTestId('report-summary').waitFor();
  assert.match(await page.getByTestId('report-summary').textContent(), /Рекомендуется обновить РППС/);
  await page.screenshot({ path: join(ARTIFACTS, 'expert-report-final.png'), fullPage: true });

  assert.deepEqual(ex.problems, [], 'no page errors or CSP violations');
  await ex.context.close();
});
