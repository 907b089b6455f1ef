// The kindergarten quality profile on a touch tablet. Set up through the API: the regional
// coordinator opens a campaign with the published instruments; the kindergarten
// coordinator fills the quality scale (QS) for its kindergarten so that every indicator
// comes out at level 3 and submits it, and the municipality approves it; the expert assigned to that kindergarten fills it
// so that every indicator comes out at level 4. The municipal coordinator then opens the
// profile: the chart of the nine areas, the table of indicators (level 3, experts' 4,
// the gap +1 highlighted), overall 3,0; screenshots in portrait and landscape; the print
// layout (no menu, no header) and an A4 PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, TABLET_LANDSCAPE, launch, touchProblems, api, token, signedInTablet, openCampaign, submitSheet, checkAnswers } from './support.mjs';

let browser;
let campaign;
let qs;
let kindergarten;

/** Start, fill (check items up to `upTo` met, the rest not met) and submit the QS sheet. */
async function fillScale(tok, definition, upTo, target, comment) {
  const answers = checkAnswers(definition, (it) => (it.level <= upTo ? 'met' : 'not_met'));
  // a justification text on the first indicator, shown beside it in the profile
  const firstText = definition.sections[0].indicators[0].items.find((it) => it.type === 'text' || it.type === 'longtext');
  if (comment && firstText) answers[firstText.code] = comment;
  return (await submitSheet(tok, { campaign, instrument: qs, target, answers })).id;
}

before(async () => {
  browser = await launch();
  ({ campaign, instruments: { QS: qs } } = await openCampaign(`Профиль качества ${Date.now()}`, { codes: ['QS'], all: true }));

  const doo = await token('doo');
  kindergarten = (await api('GET', '/me', { token: doo })).org_unit;
  assert.equal(kindergarten.level, 'kindergarten');
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: doo })).definition;
  const selfSheet = await fillScale(doo, definition, 3, kindergarten.id);
  // approved by the municipality: the municipal mean counts approved sheets only
  const approved = await api('POST', `/submissions/${selfSheet}/approve`, { token: await token('municipal'), body: {} });
  assert.equal(approved.status, 'approved');
  // The expert is assigned to that kindergarten (idempotent: the demo data already does).
  const municipal = await token('municipal');
  const expertUser = await api('GET', '/me', { token: await token('expert') });
  await api('PUT', `/users/${expertUser.id}/assignments/${kindergarten.id}`, { token: municipal });
  await fillScale(await token('expert'), definition, 4, kindergarten.id, 'Проверено на месте: центры активности доступны детям.');
});

after(async () => {
  await browser?.close();
});

test('the municipal coordinator sees, prints and saves the quality profile', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'municipal');

  // From the kindergarten's page: «Профиль качества», then the campaign picker.
  await page.goto(`${BASE}/units/${kindergarten.id}`);
  await page.getByRole('link', { name: 'Профиль качества' }).tap();
  await page.waitForURL(`${BASE}/units/${kindergarten.id}/profile`);
  await page.getByRole('link', { name: new RegExp(campaign.title) }).tap();
  await page.waitForURL(`${BASE}/units/${kindergarten.id}/profile?campaign=${campaign.id}`);

  // The chart: an SVG with a title and nine area labels; its numbers in the table below.
  const chart = page.locator('svg[data-testid="profile-chart"]');
  await chart.waitFor();
  assert.match(await chart.locator('title').textContent(), /Баллы по девяти областям|областям/);
  assert.equal(await chart.locator('[data-area]').count(), 9);
  // (a long title is wrapped into several <tspan> lines; the whole title is in data-title)
  const labels = await chart.locator('text.area-label').evaluateAll((els) => els.map((el) => el.dataset.title));
  assert.equal(labels.length, 9);
  assert.match(labels[0], /Образовательные ориентиры/);
  const areaTable = page.getByTestId('area-table');
  assert.equal(await areaTable.locator('tbody tr').count(), 9);
  for (const cell of await areaTable.locator('td[data-series="self"]').allTextContents()) assert.equal(cell.trim(), '3,0');
  for (const cell of await areaTable.locator('td[data-series="experts"]').allTextContents()) assert.equal(cell.trim(), '4,0');
  assert.equal((await page.getByTestId('overall-self').textContent()).trim(), '3,0');
  // the municipality's mean, and which sheets it is made of (docs/figures.md)
  assert.equal((await page.getByTestId('overall-municipality').textContent()).trim(), '3,0');
  assert.match(await page.getByTestId('means-basis').textContent(), /Среднее по муниципалитету\s*самооценка ДОО, утверждённые листы, по 1 детскому саду/);

  // The indicators: level 3 by the kindergarten, 4 by the expert, the gap +1 highlighted.
  const rows = page.locator('[data-testid="indicators"] tr[data-indicator]');
  const n = await rows.count();
  assert.ok(n >= 27, `indicators listed (${n})`);
  for (const v of await rows.locator('td[data-col="self"]').allTextContents()) assert.equal(v.trim(), '3');
  for (const v of await rows.locator('td[data-col="expert"]').allTextContents()) assert.equal(v.trim(), '4');
  assert.equal(await rows.locator('td[data-col="gap"].gap-high').count(), n);
  assert.match(await rows.first().locator('td[data-col="gap"]').textContent(), /\+1/);
  // Evidence counts per indicator (none attached here) and the expert's comment beside its indicator.
  for (const v of await rows.locator('td[data-col="evidence"]').allTextContents()) assert.equal(v.trim(), '0');
  assert.match(await rows.first().locator('[data-col="expert-comment"]').textContent(), /Проверено на месте/);

  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'profile-portrait.png') });
  await page.screenshot({ path: join(ARTIFACTS, 'profile-portrait-full.png'), fullPage: true });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (portrait)');
  await page.setViewportSize(TABLET_LANDSCAPE);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'profile-landscape.png') });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (landscape)');

  // Print: the menu, header and buttons are gone; the page saves as an A4 PDF.
  assert.ok(await page.getByRole('button', { name: 'Печать' }).isVisible());
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.nav').isVisible(), false, 'no menu in print');
  assert.equal(await page.locator('body > #app > header, header').first().isVisible(), false, 'no header in print');
  assert.equal(await page.getByRole('button', { name: 'Печать' }).isVisible(), false, 'no print button in print');
  assert.ok(await page.getByTestId('means-basis').isVisible(), 'the print says which sheets the municipal mean counts');
  assert.ok(await chart.isVisible());
  await page.screenshot({ path: join(ARTIFACTS, 'profile-print.png'), fullPage: true });
  // Saved as PDF (A4, the page's print stylesheet) as the browser's print dialog would.
  await page.setViewportSize(TABLET_PORTRAIT);
  const pdf = join(ARTIFACTS, 'profile.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  assert.ok(existsSync(pdf) && statSync(pdf).size > 10_000, 'the PDF is written');
  await page.emulateMedia({ media: 'screen' });

  // English: the same page, the labels translated, a decimal point.
  await page.evaluate(() => localStorage.setItem('vsok.lang', 'en'));
  await page.reload();
  await chart.waitFor();
  assert.equal((await page.getByTestId('overall-self').textContent()).trim(), '3.0');
  await page.getByRole('button', { name: 'Print' }).waitFor();
  await page.evaluate(() => localStorage.setItem('vsok.lang', 'ru'));

  assert.deepEqual(problems, [], 'no page errors or CSP violations');
  await context.close();
});

test('a campaign without a submitted self-assessment shows the empty state', { timeout: 60_000 }, async () => {
  const { campaign: empty } = await openCampaign(`Пустой профиль ${Date.now()}`, { all: true });
  const { context, page, problems } = await signedInTablet(browser, 'doo', TABLET_LANDSCAPE);
  await page.goto(`${BASE}/units/${kindergarten.id}/profile?campaign=${empty.id}`);
  await page.getByText('Самооценка детского сада в этой кампании ещё не отправлена').waitFor();
  assert.equal(await page.locator('svg[data-testid="profile-chart"]').count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'profile-empty.png') });
  assert.deepEqual(problems, []);
  await context.close();
});
