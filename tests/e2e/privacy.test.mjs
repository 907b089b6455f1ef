// Children's privacy on a touch tablet, in the demo kindergarten «Колосок» (doo3, teacher4):
// the coordinator records a group's parents' refusal and consent on the consents page and
// chooses what happens without consent; opens "who viewed" under a photo of a sheet; the
// teacher sees the storage banner once the kindergarten's evidence passes 80 % of its quota.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, launch, api, token, day, solidPng, signedInTablet } from './support.mjs';
import { query } from '../api/fixtures-org.mjs';
import { tusUpload } from '../api/fixtures-uploads.mjs';

const RUN = `e${Date.now().toString(36)}`;
let browser;
let kg;
let groups;
let doo3;

const signedIn = (login) => signedInTablet(browser, login);

before(async () => {
  browser = await launch();
  doo3 = await token('doo3');
  kg = (await api('GET', '/me', { token: doo3 })).org_unit;
  groups = (await api('GET', `/units/${kg.id}/children`, { token: doo3 })).items.filter((u) => u.level === 'group' && u.active);
});

after(async () => {
  await browser?.close();
  for (const g of groups ?? []) await api('PUT', `/units/${g.id}/consent`, { token: doo3, body: { consented: true, date: day(0) } });
  await api('PATCH', `/units/${kg.id}/privacy`, { token: doo3, body: { without_consent: 'refuse' } });
  await query(`DELETE FROM evidence_files WHERE original_name = 'large-${RUN}.mp4'`);
});

test('the coordinator records a refusal and a consent per group and chooses to accept files marked', { timeout: 120_000 }, async () => {
  const { page, problems } = await signedIn('doo3');
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Согласия', exact: true }).tap();
  await page.waitForURL(`${BASE}/consents`);
  const card = page.locator(`[data-group="${groups[0].id}"]`);
  await card.getByTestId('consent-state').waitFor();
  assert.match(await card.getByTestId('consent-state').textContent(), /^Есть, от \d{4}-\d{2}-\d{2}$/, 'the demo records consent');

  await card.getByLabel('Родители согласны').tap(); // unchecked: a refusal
  await card.getByLabel('Дата согласия').fill(day(-1));
  await card.getByRole('button', { name: 'Записать' }).tap();
  await page.getByText('Записано.').waitFor();
  assert.equal(await card.getByTestId('consent-state').textContent(), `Нет (отказ от ${day(-1)})`);
  assert.match(await card.textContent(), /записал\(а\) Фёдорова Галина Ивановна/);
  let state = await api('GET', `/units/${kg.id}/consents`, { token: doo3 });
  assert.equal(state.groups.find((g) => g.id === groups[0].id).consent.consented, false);

  await page.getByLabel('Файлы к анкетам группы без согласия').selectOption('mark');
  await page.getByText('Записано.').waitFor();
  state = await api('GET', `/units/${kg.id}/consents`, { token: doo3 });
  assert.equal(state.without_consent, 'mark');

  await card.getByLabel('Родители согласны').tap();
  await card.getByRole('button', { name: 'Записать' }).tap();
  await page.waitForFunction((id) => document.querySelector(`[data-group="${id}"] [data-testid="consent-state"]`)?.textContent.startsWith('Есть'), groups[0].id);
  await page.screenshot({ path: join(ARTIFACTS, 'privacy-consents.png') });
  assert.deepEqual(problems, []);
});

test('the teacher sees the consents read-only and, past 80 % of the quota, the storage banner', { timeout: 120_000 }, async () => {
  const [[stored]] = await query(`SELECT COALESCE(SUM(size), 0) FROM evidence_files WHERE kindergarten_id = ${kg.id}`);
  const teacher4 = await api('POST', '/auth/login', { body: { login: 'teacher4', password: 'demo' } });
  await query(
    `INSERT INTO evidence_files (sha256, size, mime, owner_id, kindergarten_id, original_name) VALUES (UNHEX(SHA2('${RUN}', 256)), ${Math.ceil(50e9 * 0.85) - Number(stored)}, 'video/mp4', ${teacher4.user.id}, ${kg.id}, 'large-${RUN}.mp4')`,
  );
  const { page, problems } = await signedIn('teacher4');
  const banner = page.getByTestId('storage-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /занято на 85 %/, 'shown with its words, never a raw key');
  await page.goto(`${BASE}/consents`);
  await page.getByText('Записывает согласия координатор детского сада.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Записать' }).count(), 0, 'no recording for a teacher');
  assert.ok(await page.getByLabel('Файлы к анкетам группы без согласия').isDisabled());
  await page.screenshot({ path: join(ARTIFACTS, 'privacy-storage.png') });
  await query(`DELETE FROM evidence_files WHERE original_name = 'large-${RUN}.mp4'`);
  assert.deepEqual(problems, []);
});

test('under a photo of a sheet the coordinator opens who viewed it', { timeout: 120_000 }, async () => {
  const region = await token('region');
  const instruments = (await api('GET', '/instruments', { token: region })).items;
  const qs = instruments.find((i) => i.code === 'QS');
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Кто смотрел ${RUN}`, year: new Date().getFullYear(), opens_on: day(-2), closes_on: day(30), instrument_ids: [qs.id] },
  });
  const teacher = await token('teacher4');
  const sheet = await api('POST', '/submissions', { token: teacher, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: groups[1].id } });
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const section = definition.sections[0];
  const slot = section.indicators[0].items.find((i) => i.type === 'evidence');
  await tusUpload(solidPng(8), {
    endpoint: `${BASE}/api/v1/uploads`,
    token: teacher,
    metadata: { filename: 'группа.png', filetype: 'image/png', submission: String(sheet.id), indicator: section.indicators[0].code },
  });
  // the expert assigned to «Колосок» looks at it first
  const expert = await token('expert2');
  const list = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacher })).items;
  assert.equal((await fetch(`${BASE}/api/v1/files/${list[0].file_id}`, { headers: { Authorization: `Bearer ${expert}` } })).status, 200);

  const { page, problems } = await signedIn('doo3');
  await page.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
  const slotRead = page.locator(`[data-code="${slot.code}"]`);
  await slotRead.locator('.thumbs img').first().waitFor({ timeout: 20_000 });
  await slotRead.getByRole('button', { name: 'Кто смотрел' }).tap();
  const reads = slotRead.getByTestId('evidence-reads');
  await reads.getByText(/Орлова Наталья Юрьевна — 1 раз/).waitFor();
  assert.match(await reads.textContent(), /Фёдорова Галина Ивановна/, 'the coordinator\'s own preview counts too');
  await page.screenshot({ path: join(ARTIFACTS, 'privacy-reads.png') });
  assert.deepEqual(problems, []);
});
