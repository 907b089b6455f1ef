// The regional coordinator signs a kindergarten's results off on a tablet. Set up through
// the API: the region opens a campaign with the quality scale; the demo kindergarten's
// coordinator fills and submits the self-assessment, the municipal coordinator approves
// it; the demo expert writes a report and finalises it; the municipality confirms the
// results. The regional coordinator then opens «Анализ», keeps the kindergartens waiting
// for them, opens the kindergarten, confirms, and sees the results confirmed, with the
// history; the kindergarten's profile says so too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, launch, tablet, signInByTouch, touchProblems, api, token, day } from './support.mjs';

let browser;
let campaign;
let kindergarten;

before(async () => {
  browser = await launch();
  const region = await token('region');
  const qs = (await api('GET', '/instruments', { token: region })).items.find((i) => i.code === 'QS');
  campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Подтверждение ${Date.now()}`, year: new Date().getFullYear(), opens_on: day(-2), closes_on: day(30), instrument_ids: [qs.id] },
  });
  const doo = await token('doo');
  kindergarten = (await api('GET', '/me', { token: doo })).org_unit;
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: doo })).definition;
  const answers = {};
  for (const s of definition.sections) for (const ind of s.indicators) for (const it of ind.items) if (it.type === 'check') answers[it.code] = it.level <= 3 ? 'met' : 'not_met';
  const sheet = await api('POST', '/submissions', { token: doo, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: kindergarten.id } });
  const saved = await api('PATCH', `/submissions/${sheet.id}`, { token: doo, body: { base_version: sheet.version, answers } });
  await api('POST', `/submissions/${sheet.id}/submit`, { token: doo, body: { base_version: saved.version } });
  const municipal = await token('municipal');
  await api('POST', `/submissions/${sheet.id}/approve`, { token: municipal, body: {} });

  const expert = await token('expert');
  const expertId = (await api('GET', '/me', { token: expert })).id;
  await api('PUT', `/users/${expertId}/assignments/${kindergarten.id}`, { token: municipal });
  const report = await api('POST', '/expert-reports', { token: expert, body: { campaign_id: campaign.id, kindergarten_id: kindergarten.id } });
  await api('PATCH', `/expert-reports/${report.id}`, { token: expert, body: { summary: 'Выводы и рекомендации' } });
  await api('POST', `/expert-reports/${report.id}/send`, { token: expert });
  await api('POST', `/expert-reports/${report.id}/finalise`, { token: expert, body: {} });
  const confirmed = await api('POST', `/units/${kindergarten.id}/signoff/confirm`, { token: municipal, body: { campaign_id: campaign.id } });
  assert.equal(confirmed.waiting_for, 'region');
});

after(async () => {
  await browser?.close();
});

test('the regional coordinator confirms a kindergarten’s results on a tablet', { timeout: 180_000 }, async () => {
  const { context, page } = await tablet(browser, TABLET_PORTRAIT);
  context.setDefaultTimeout(15_000);
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'region', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  await page.getByRole('link', { name: 'Анализ' }).tap();
  await page.waitForURL(`${BASE}/analysis`);
  await page.getByTestId('analysis-campaign').selectOption(String(campaign.id));
  await page.getByTestId('analysis-mine').tap();
  await page.waitForURL(`${BASE}/analysis?campaign=${campaign.id}&mine=1`);
  const row = page.getByTestId('signoff-row').filter({ hasText: kindergarten.name });
  await row.waitFor();
  assert.match(await row.textContent(), /Ждёт подтверждения/);
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (list)');
  await row.tap();
  await page.waitForURL(`${BASE}/analysis/signoff/${campaign.id}/${kindergarten.id}`);
  assert.match(await page.getByTestId('signoff-state').textContent(), /Ждёт подтверждения/);

  const answer = page.waitForResponse((r) => r.url().endsWith(`/units/${kindergarten.id}/signoff/confirm`) && r.status() === 200);
  await page.getByTestId('signoff-confirm').tap();
  await answer;
  await page.getByTestId('signoff-state').filter({ hasText: 'Подтверждено' }).waitFor();
  const history = await page.getByTestId('signoff-history').textContent();
  assert.match(history, /муниципалитет.*подтвердил/s);
  assert.match(history, /регион.*подтвердил/s);
  assert.equal(await page.getByTestId('signoff-confirm').count(), 0, 'nothing more to confirm');
  await page.screenshot({ path: join(ARTIFACTS, 'signoff-region.png'), fullPage: true });

  // the profile shows the sign-off
  await page.goto(`${BASE}/units/${kindergarten.id}/profile?campaign=${campaign.id}`);
  await page.getByTestId('profile-signoff').filter({ hasText: 'Подтверждено' }).waitFor();
  const doc = await api('GET', `/units/${kindergarten.id}/signoff?campaign_id=${campaign.id}`, { token: await token('region') });
  assert.equal(doc.state, 'confirmed');
  await context.close();
});
