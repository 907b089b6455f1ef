// Rater calibration on a touch tablet: the regional coordinator opens «Согласованность»
// from the menu, picks the campaign and reads how the self-assessments of two kindergartens
// agree with the expert's levels — 8 pairs, 25 % exact, 63 % within one level, quadratic
// kappa 0,39 (worked by hand: 1 − mean(B − A)² / (var A + var B + (mean A − mean B)²) =
// 1 − 2,25 / 3,6719) — then lowers the pairs needed for a flag and sees the kindergarten
// whose self-assessment runs 1,75 levels above the expert flagged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_LANDSCAPE, launch, tablet, signInByTouch, touchProblems, api, token, day } from './support.mjs';
import { query } from '../api/fixtures-org.mjs';

let browser;
let campaign;
const sheets = [];
const CODES = ['QS.1.1', 'QS.1.2', 'QS.2.1', 'QS.2.2'];
let K2;

async function sheet(kg, role, expertId, status, levels) {
  await query(
    `INSERT INTO submissions (campaign_id, instrument_id, target_unit_id, target_user_id, kindergarten_id, respondent_role, status, answers, created_by)
     VALUES (${campaign.id}, ${campaign.qs}, ${kg}, ${expertId}, ${kg}, '${role}', '${status}', '{}', ${expertId || 1})`,
  );
  const [[id]] = await query(`SELECT id FROM submissions WHERE campaign_id = ${campaign.id} AND target_unit_id = ${kg} AND target_user_id = ${expertId}`);
  sheets.push(Number(id));
  await query(`INSERT INTO submission_scores (submission_id, kind, code, level, score) VALUES ${CODES.map((c, i) => `(${id}, 'indicator', '${c}', ${levels[i]}, ${levels[i]})`).join(', ')}`);
}

before(async () => {
  browser = await launch();
  const region = await token('region');
  const qs = (await api('GET', '/instruments', { token: region })).items.find((i) => i.code === 'QS');
  const c = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Калибровка экспертов ${Date.now()}`, year: new Date().getFullYear(), opens_on: day(-2), closes_on: day(30), instrument_ids: [qs.id] },
  });
  campaign = { id: Number(c.id), title: c.title, qs: Number(qs.id) };
  const K1 = (await api('GET', '/me', { token: await token('doo') })).org_unit;
  const expert = (await api('GET', '/me', { token: await token('expert') })).id;
  const [[k2id, k2name]] = await query(`SELECT id, name FROM org_units WHERE level = 'kindergarten' AND active = 1 AND id <> ${Number(K1.id)} ORDER BY id LIMIT 1`);
  K2 = { id: Number(k2id), name: k2name };
  await sheet(Number(K1.id), 'doo_coordinator', 0, 'approved', [3, 3, 4, 2]);
  await sheet(Number(K1.id), 'expert', Number(expert), 'submitted', [3, 2, 4, 1]);
  await sheet(K2.id, 'doo_coordinator', 0, 'approved', [5, 4, 5, 5]);
  await sheet(K2.id, 'expert', Number(expert), 'submitted', [3, 3, 3, 3]);
});

after(async () => {
  await browser?.close();
  if (sheets.length) {
    await query(`DELETE FROM submission_scores WHERE submission_id IN (${sheets.join(',')})`);
    await query(`DELETE FROM submissions WHERE id IN (${sheets.join(',')})`);
  }
});

test('the regional coordinator reads the agreement of self-assessments and experts, with flags', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await tablet(browser, TABLET_LANDSCAPE);
  context.setDefaultTimeout(15_000);
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'region', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);

  await page.getByRole('link', { name: 'Согласованность' }).tap();
  await page.waitForURL(`${BASE}/calibration`);
  await page.getByRole('heading', { name: 'Согласованность оценок' }).waitFor();
  await page.getByLabel('Кампания').selectOption(String(campaign.id));

  const self = page.getByTestId('calib-self_vs_expert');
  await self.getByTestId('calib-n').filter({ hasText: '8' }).waitFor();
  assert.match(await self.getByTestId('calib-exact').textContent(), /^25\s%$/);
  assert.match(await self.getByTestId('calib-within').textContent(), /^63\s%$/);
  assert.equal(await self.getByTestId('calib-kappa').textContent(), '0,39');
  await page.getByTestId('calib-expert_vs_expert').getByText('Нет детских садов, которые оценили два эксперта.').waitFor();
  await self.getByText('Систематических расхождений нет.').waitFor();

  // four pairs are enough for a flag now: K2's self-assessment is 1,75 levels above the expert
  const pairs = page.getByLabel('Не меньше пар');
  await pairs.fill('4');
  const flags = self.getByTestId('calib-flags');
  await flags.getByText(K2.name, { exact: false }).waitFor();
  assert.match(await flags.textContent(), /−1,75/);
  const areas = self.getByTestId('calib-self_vs_expert-areas');
  assert.equal(await areas.locator('tbody tr').count(), 2, 'two areas');

  assert.deepEqual(problems, []);
  assert.deepEqual(await touchProblems(page), []);
  await page.screenshot({ path: join(ARTIFACTS, 'calibration.png'), fullPage: true });
});
