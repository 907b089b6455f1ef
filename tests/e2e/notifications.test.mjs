// The bell on a tablet: the kindergarten coordinator returns the teacher's sheet with a
// comment; the teacher sees the unread count, opens the panel, reads the comment, taps the
// notification and lands on the sheet; the count goes down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { vsokd } from '../api/fixtures-cli.mjs';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, launch, tablet, signInByTouch, touchProblems, api, token, day } from './support.mjs';

let browser;
let sheetId;
const COMMENT = `Добавьте фото уголка уединения (${Date.now() % 100000})`;

before(async () => {
  browser = await launch();
  const region = await token('region');
  const qs = (await api('GET', '/instruments', { token: region })).items.find((i) => i.code === 'QS');
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Колокольчик ${Date.now()}`, year: new Date().getFullYear(), opens_on: day(-1), closes_on: day(10), instrument_ids: [qs.id] },
  });
  const teacher = await token('teacher');
  const me = await api('GET', '/me', { token: teacher });
  const group = (await api('GET', `/units/${me.org_unit.id}/children?active=1`, { token: teacher })).items.find((u) => u.level === 'group');
  const sheet = await api('POST', '/submissions', { token: teacher, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: group.id } });
  const def = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const answers = {};
  for (const s of def.sections) for (const ind of s.indicators) for (const it of ind.items) if (it.type === 'check') answers[it.code] = 'met';
  const saved = await api('PATCH', `/submissions/${sheet.id}`, { token: teacher, body: { base_version: sheet.version, answers } });
  await api('POST', `/submissions/${sheet.id}/submit`, { token: teacher, body: { base_version: saved.version } });
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
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT);
  context.setDefaultTimeout(15_000);
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);

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
