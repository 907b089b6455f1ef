// The bell on a tablet: the kindergarten coordinator returns the teacher's sheet with a
// comment; the teacher sees the unread count, opens the panel, reads the comment, taps the
// notification and lands on the sheet; the count goes down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { vsokd } from '../api/fixtures-cli.mjs';
import { BASE, ARTIFACTS, launch, touchProblems, api, token, signedInTablet, openCampaign, submitSheet, checkAnswers } from './support.mjs';

let browser;
let sheetId;
const COMMENT = `Добавьте фото уголка уединения (${Date.now() % 100000})`;

before(async () => {
  browser = await launch();
  const { campaign, instruments } = await openCampaign(`Колокольчик ${Date.now()}`, { codes: ['QS'], opens: -1, closes: 10 });
  const qs = instruments.QS;
  const teacher = await token('teacher');
  const me = await api('GET', '/me', { token: teacher });
  const group = (await api('GET', `/units/${me.org_unit.id}/children?active=1`, { token: teacher })).items.find((u) => u.level === 'group');
  const def = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const sheet = await submitSheet(teacher, { campaign, instrument: qs, target: group.id, answers: checkAnswers(def, () => 'met') });
  // the plan-schedule's reminders due now are written first (once each), so that the workers'
  // periodic turn cannot add one to the teacher's unread count during the test
  const remind = await vsokd(['remind']);
  assert.equal(remind.code, 0, remind.stderr);
  await api('POST', '/me/notifications/read', { token: teacher, body: { all: true } });
  await api('POST', `/submissions/${sheet.id}/return`, { token: await token('doo'), body: { comment: COMMENT } });
  sheetId = sheet.id;
});

after(async () => {
  await browser?.close();
});

test('the teacher follows the bell to the returned sheet', { timeout: 90_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'teacher');

  const bell = page.getByRole('button', { name: /^Уведомления: непрочитанных 1$/ });
  await bell.waitFor();
  assert.equal((await page.getByTestId('bell-count').textContent()).trim(), '1');
  await bell.tap();
  const item = page.locator('#bell-panel button[data-kind="sheet_returned"]').first();
  await item.waitFor();
  assert.match(await item.textContent(), /возвращена на доработку/);
  assert.ok((await item.textContent()).includes(COMMENT));
  await page.screenshot({ path: join(ARTIFACTS, 'bell-portrait.png') });
  assert.deepEqual(await touchProblems(page), [], 'touch targets of the panel');

  await item.tap();
  await page.waitForURL(`${BASE}/forms/${sheetId}`);
  await page.getByRole('button', { name: /^Уведомления$/ }).waitFor();
  assert.equal(await page.getByTestId('bell-count').count(), 0);
  assert.deepEqual(problems, []);
});
