// The dashboards on a touch tablet. Set up through the API: the regional coordinator opens
// a campaign with the published instruments and one of last year with the quality scale;
// three kindergartens in two municipalities fill the quality scale (QS) so that each area
// comes out at a known level, submit it, and their municipal coordinators approve it (one
// of them last year's too). The regional coordinator then opens
// «Мониторинг» from the menu: the region (its municipalities), a municipality (its
// kindergartens), a kindergarten's areas, one area's indicators; back up with the
// breadcrumbs and with the browser's Back. At every level the figures on the page are the
// API's (GET /dashboards/units/{id}/children and …/breakdown), a chart is drawn with a
// table of the same numbers under it, and a screenshot is kept in tests/e2e/artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, TABLET_LANDSCAPE, launch, tablet, signInByTouch, touchProblems, api, token, signedInTablet, openCampaign, submitSheet, checkAnswers } from './support.mjs';

let browser;
let campaign;
let previous;
let qs;
let region;
let ensk;
let prirechny;
let ds12;
let regionToken;

/** A score as the page shows it in Russian: one decimal, halves away from zero, «2,8». */
function score(x) {
  if (x === null || x === undefined) return '—';
  const r = Math.floor(Number(x) * 10 + 0.5 + 1e-9) / 10;
  return r.toLocaleString('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** Fill the QS sheet so that every indicator of area k reaches level `levelOf(k)`; submit. */
async function fillScale(tok, definition, target, levelOf, inCampaign = campaign) {
  const answers = checkAnswers(definition, (it, k) => (it.level <= levelOf(k) ? 'met' : 'not_met'));
  return (await submitSheet(tok, { campaign: inCampaign, instrument: qs, target, answers })).id;
}

const children = (id) => api('GET', `/dashboards/units/${id}/children?campaign=${campaign.id}`, { token: regionToken });
const breakdown = (id) => api('GET', `/dashboards/units/${id}/breakdown?campaign=${campaign.id}`, { token: regionToken });

before(async () => {
  browser = await launch();
  regionToken = await token('region');
  ({ campaign, instruments: { QS: qs } } = await openCampaign(`Мониторинг ${Date.now()}`, { codes: ['QS'], all: true, opens: -1 }));
  region = (await api('GET', '/me', { token: regionToken })).org_unit;
  // Last year's campaign of the same region with the same scale: the trend.
  const year = new Date().getFullYear() - 1;
  ({ campaign: previous } = await openCampaign(`Мониторинг прошлого года ${Date.now()}`, { codes: ['QS'], opens: -3, year }));

  // Three kindergartens: two in Городской округ Энск (doo, doo2), one in the Приреченский
  // district (doo3); each area at its own level, so that the areas differ on the radar.
  const sheets = [
    ['doo', 'municipal', (k) => 2 + (k % 3)],
    ['doo2', 'municipal', (k) => 1 + (k % 2)],
    ['doo3', 'municipal2', (k) => (k < 5 ? 4 : 3)],
  ];
  for (const [doo, reviewer, levelOf] of sheets) {
    const tok = await token(doo);
    const me = await api('GET', '/me', { token: tok });
    const definition = (await api('GET', `/instruments/${qs.id}`, { token: tok })).definition;
    const id = await fillScale(tok, definition, me.org_unit.id, levelOf);
    const approved = await api('POST', `/submissions/${id}/approve`, { token: await token(reviewer), body: {} });
    assert.equal(approved.status, 'approved');
    if (doo === 'doo') {
      ds12 = me.org_unit;
      const last = await fillScale(tok, definition, me.org_unit.id, () => 2, previous);
      await api('POST', `/submissions/${last}/approve`, { token: await token(reviewer), body: {} });
    }
  }
  const top = await children(region.id);
  ensk = top.items.find((i) => i.name === 'Городской округ Энск');
  prirechny = top.items.find((i) => i.name === 'Приреченский муниципальный район');
  assert.ok(ensk && prirechny, 'both municipalities are listed');
  // The data set is what the page is checked against: not empty, and as filled in.
  assert.equal(ensk.results.n, 2);
  assert.equal(prirechny.results.n, 1);
});

after(async () => {
  await browser?.close();
});

/** The rows of the children table: {id: {overall, completion}} as shown. */
async function shownChildren(page) {
  const rows = page.locator('[data-testid="children-table"] tbody tr');
  return rows.evaluateAll((trs) =>
    Object.fromEntries(
      trs.map((tr) => [
        tr.dataset.unit,
        {
          overall: tr.querySelector('[data-col="overall"]').textContent.trim(),
          completion: tr.querySelector('[data-col="completion"]').textContent.replace(/\s+/g, ' ').trim(),
        },
      ]),
    ),
  );
}

/** Wait until the children table lists these unit ids, in this order. */
function rowsInOrder(page, ids) {
  return page.waitForFunction(
    (want) =>
      JSON.stringify([...document.querySelectorAll('[data-testid="children-table"] tbody tr')].map((tr) => tr.dataset.unit)) ===
      JSON.stringify(want),
    ids,
  );
}

/** The children table shows the API's figures for every child. */
async function checkChildren(page, answer) {
  await heading(page, answer.unit.name);
  await rowsInOrder(page, answer.items.map((i) => String(i.id)));
  await page.locator('[data-testid="chart-overall"] svg').waitFor();
  const shown = await shownChildren(page);
  assert.equal(Object.keys(shown).length, answer.items.length, 'one row per child');
  for (const it of answer.items) {
    assert.deepEqual(
      shown[String(it.id)],
      { overall: score(it.results?.overall), completion: `${it.completion.submitted} / ${it.completion.expected}` },
      it.name,
    );
  }
  assert.equal((await page.getByTestId('total-overall').textContent()).trim(), score(answer.total.results.overall));
  // every chart has a real table under it, with a caption and header cells
  for (const table of await page.locator('.chart-card table').all()) {
    assert.ok(await table.locator('caption').count(), 'a caption');
    assert.ok(await table.locator('th').count(), 'header cells');
  }
}

/** The area table shows the API's means for the unit (and its parent). */
async function checkAreas(page, answer) {
  await heading(page, answer.unit.name);
  await page.locator('[data-testid="chart-radar"] svg').waitFor();
  const rows = page.locator('[data-testid="area-table"] tbody tr');
  assert.equal(await rows.count(), answer.sections.length);
  for (const s of answer.sections) {
    const row = page.locator(`[data-testid="area-table"] tr[data-area="${s.code}"]`);
    assert.equal((await row.locator('td[data-series="unit"]').textContent()).trim(), score(s.unit.mean), s.code);
    if (s.parent) assert.equal((await row.locator('td[data-series="parent"]').textContent()).trim(), score(s.parent.mean), `${s.code} parent`);
  }
  assert.equal((await page.getByTestId('breakdown-overall').textContent()).trim(), score(answer.overall.unit.mean));
}

/** Wait for the page to show this unit. */
async function heading(page, name) {
  const h = page.getByTestId('dash-unit').filter({ hasText: name });
  await h.waitFor();
  assert.equal((await h.textContent()).trim(), name);
}

const atUrl = (page, path, params) => {
  const u = new URL(page.url());
  assert.equal(u.pathname, path);
  for (const [k, v] of Object.entries(params)) assert.equal(u.searchParams.get(k), v === null ? null : String(v), k);
};

test('the regional coordinator drills down from the region to an indicator and back', { timeout: 240_000 }, async () => {
  const { context, page, problems } = await signedInTablet(browser, 'region');

  // The menu entry opens at the caller's region and the newest campaign on the quality
  // scale (other suites may have made newer ones: the newest is computed from the API);
  // this test's campaign is then chosen in the campaign list.
  const visible = (await api('GET', '/campaigns', { token: regionToken })).items;
  const newest = [...visible]
    .sort((a, b) => b.year - a.year || String(b.opens_on).localeCompare(String(a.opens_on)) || b.id - a.id)
    .find((c) => c.instruments.some((i) => i.code === 'QS'));
  await page.locator('nav.nav').getByRole('link', { name: 'Мониторинг' }).tap();
  await page.waitForURL((u) => u.pathname === `/dashboards/${region.id}` && u.searchParams.has('campaign'));
  atUrl(page, `/dashboards/${region.id}`, { campaign: newest.id });
  await heading(page, region.name);
  await page.locator(`#dash-campaign option[value="${campaign.id}"]`).waitFor({ state: 'attached' });
  if (newest.id !== campaign.id) {
    await page.locator('#dash-campaign').selectOption(String(campaign.id));
    await page.waitForURL((u) => u.searchParams.get('campaign') === String(campaign.id));
  }
  atUrl(page, `/dashboards/${region.id}`, { campaign: campaign.id });
  assert.equal(await page.locator('#dash-campaign').inputValue(), String(campaign.id));

  // Level 1: the region, its municipalities.
  const top = await children(region.id);
  await checkChildren(page, top);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboards-1-region.png'), fullPage: true });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (region, portrait)');

  // Sorting by the overall score and filtering by name go into the address.
  await page.locator('[data-testid="children-table"] thead button', { hasText: 'Общий балл' }).tap();
  await page.waitForURL((u) => u.searchParams.get('sort') === '-overall');
  const bySorted = (await api('GET', `/dashboards/units/${region.id}/children?campaign=${campaign.id}&sort=-overall`, { token: regionToken })).items.map((i) => String(i.id));
  assert.notDeepEqual(bySorted, top.items.map((i) => String(i.id)), 'sorting changes the order');
  await rowsInOrder(page, bySorted);
  await page.locator('#dash-q').tap();
  await page.keyboard.type('Прир');
  await page.waitForURL((u) => u.searchParams.get('q') === 'Прир');
  await rowsInOrder(page, [String(prirechny.id)]);
  await page.getByRole('button', { name: 'Сбросить отбор' }).tap();
  await page.waitForURL((u) => !u.searchParams.has('q'));
  // «below level 3 in area 1»: the rows the API gives for the same filter.
  const firstArea = top.instrument.sections[0].code;
  await page.locator('#dash-section').selectOption(firstArea);
  await page.locator('#dash-below').selectOption('3');
  await page.waitForURL((u) => u.searchParams.get('section') === firstArea && u.searchParams.get('below') === '3');
  const below = await api('GET', `/dashboards/units/${region.id}/children?campaign=${campaign.id}&sort=-overall&section=${firstArea}&below=3`, { token: regionToken });
  assert.ok(below.items.length > 0 && below.items.length < top.items.length, 'the filter keeps some municipalities');
  await rowsInOrder(page, below.items.map((i) => String(i.id)));
  await page.getByRole('button', { name: 'Сбросить отбор' }).tap();
  await page.waitForURL((u) => !u.searchParams.has('section') && !u.searchParams.has('below'));
  await page.locator(`[data-testid="children-table"] tr[data-unit="${ensk.id}"]`).waitFor();

  // Level 2: a municipality, its kindergartens.
  await page.locator(`[data-testid="children-table"] tr[data-unit="${ensk.id}"] a`).tap();
  await page.waitForURL((u) => u.pathname === `/dashboards/${ensk.id}`);
  atUrl(page, `/dashboards/${ensk.id}`, { campaign: campaign.id });
  const municipality = await children(ensk.id);
  await heading(page, ensk.name);
  await checkChildren(page, municipality);
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboards-2-municipality.png'), fullPage: true });

  // Level 3: a kindergarten, its areas (breakdown) against the municipality.
  await page.locator(`[data-testid="children-table"] tr[data-unit="${ds12.id}"] a`).tap();
  await page.waitForURL((u) => u.pathname === `/dashboards/${ds12.id}`);
  await heading(page, ds12.name);
  // the kindergarten's groups, and a link to its quality profile in this campaign
  await page.getByTestId('profile-link').waitFor();
  assert.equal(await page.getByTestId('profile-link').getAttribute('href'), `/units/${ds12.id}/profile?campaign=${campaign.id}`);
  // the groups tab and the areas tab count the same sheets, and say which (docs/figures.md)
  const kgChildren = await api('GET', `/dashboards/units/${ds12.id}/children?campaign=${campaign.id}&source=self`, { token: regionToken });
  const basisText = (b) => `Листы в расчёте: Самооценка ДОО, утверждённые листы: ${b.counted} из ${b.expected}`;
  assert.equal(kgChildren.basis.source, 'self', 'the self-assessment by default on every tab');
  assert.equal((await page.getByTestId('basis').textContent()).trim(), basisText(kgChildren.basis), 'the groups tab names its sheets');
  await page.locator('[data-view-tab="breakdown"]').tap();
  await page.waitForURL((u) => u.searchParams.get('view') === 'breakdown');
  const kg = await breakdown(ds12.id);
  assert.deepEqual(kg.basis, kgChildren.basis, 'the same sheets as the groups tab');
  await page.getByText(basisText(kg.basis)).waitFor();
  await checkAreas(page, kg);
  // Year over year: last year's campaign, every area at 2 then.
  assert.equal(kg.previous_campaign?.id, previous.id, 'the API finds last year');
  const yoy = page.locator('[data-testid="yoy-table"] tbody tr');
  assert.equal(await yoy.count(), kg.sections.length);
  for (const s of kg.sections) {
    const cells = await page.locator(`[data-testid="yoy-table"] tr[data-area="${s.code}"] td`).allTextContents();
    assert.deepEqual(cells.slice(0, 2).map((c) => c.trim()), [score(s.previous.mean), score(s.unit.mean)], s.code);
  }
  await page.locator('[data-testid="chart-yoy"] svg').waitFor();
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboards-3-kindergarten.png'), fullPage: true });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (kindergarten, portrait)');
  // Turned to landscape, the charts redraw to the wider box.
  const radarWidth = () => page.locator('[data-testid="chart-radar"] svg').evaluate((svg) => svg.getBoundingClientRect().width);
  const portraitWidth = await radarWidth();
  await page.setViewportSize(TABLET_LANDSCAPE);
  await page.waitForFunction((w) => document.querySelector('[data-testid="chart-radar"] svg').getBoundingClientRect().width > w + 100, portraitWidth);
  const box = await page.getByTestId('chart-radar').evaluate((el) => el.getBoundingClientRect().width);
  assert.ok(Math.abs((await radarWidth()) - box) < 2, 'the chart fills its box');
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboards-3-kindergarten-landscape.png') });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (kindergarten, landscape)');
  await page.setViewportSize(TABLET_PORTRAIT);

  // Level 4: one area's indicators.
  const area = kg.sections[1];
  await page.locator(`[data-testid="area-table"] tr[data-area="${area.code}"] a`).tap();
  await page.waitForURL((u) => u.searchParams.get('area') === area.code);
  await page.getByTestId('indicator-table').waitFor();
  assert.equal((await page.getByTestId('area-title').textContent()).trim(), area.title);
  const rows = page.locator('[data-testid="indicator-table"] tbody tr');
  assert.equal(await rows.count(), area.indicators.length);
  for (const ind of area.indicators) {
    const row = page.locator(`[data-testid="indicator-table"] tr[data-indicator="${ind.code}"]`);
    assert.equal((await row.locator('td[data-series="unit"]').textContent()).trim(), score(ind.unit.mean), ind.code);
    if (ind.parent) assert.equal((await row.locator('td[data-series="parent"]').textContent()).trim(), score(ind.parent.mean), `${ind.code} parent`);
    const levels = await page.locator(`[data-testid="indicator-levels-table"] tr[data-indicator="${ind.code}"] td[data-level]`).allTextContents();
    assert.deepEqual(levels.map(Number), ind.unit.levels.slice(0, levels.length), `${ind.code} levels`);
  }
  await page.locator('[data-testid="chart-indicators"] svg').waitFor();
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'dashboards-4-indicators.png'), fullPage: true });

  // Back up with the breadcrumbs: the kindergarten, then the municipality.
  const crumbs = page.locator('nav.crumbs');
  assert.deepEqual(
    (await crumbs.locator('a').allTextContents()).map((s) => s.trim()),
    [region.name, ensk.name, ds12.name],
  );
  await crumbs.getByRole('link', { name: ds12.name }).tap();
  await page.waitForURL((u) => u.pathname === `/dashboards/${ds12.id}` && !u.searchParams.has('area'));
  await checkAreas(page, kg);
  await crumbs.getByRole('link', { name: ensk.name }).tap();
  await page.waitForURL((u) => u.pathname === `/dashboards/${ensk.id}`);
  await checkChildren(page, municipality);

  // … and with the browser's Back and Forward: the history holds every step.
  await page.goBack();
  await page.waitForURL((u) => u.pathname === `/dashboards/${ds12.id}` && u.searchParams.get('view') === 'breakdown' && !u.searchParams.has('area'));
  await checkAreas(page, kg);
  await page.goBack();
  await page.waitForURL((u) => u.searchParams.get('area') === area.code);
  await page.getByTestId('indicator-table').waitFor();
  await crumbs.getByRole('link', { name: region.name }).tap();
  await page.waitForURL((u) => u.pathname === `/dashboards/${region.id}`);
  atUrl(page, `/dashboards/${region.id}`, { campaign: campaign.id });
  await checkChildren(page, top);

  // A shared link opens the same view in a fresh tablet.
  const link = `${BASE}/dashboards/${ds12.id}?campaign=${campaign.id}&view=breakdown&area=${area.code}`;
  await page.goto(link);
  await page.getByTestId('indicator-table').waitFor();
  assert.equal((await page.getByTestId('area-title').textContent()).trim(), area.title);

  assert.deepEqual(problems, [], 'no page errors, no CSP violations');
  await context.close();
});

test('the completion and the parents of the region are the API\'s; export asks for the view', { timeout: 120_000 }, async () => {
  const completion = await api('GET', `/dashboards/units/${region.id}/completion?campaign=${campaign.id}`, { token: regionToken });
  const { context, page, problems } = await signedInTablet(browser, 'region', TABLET_LANDSCAPE);
  await page.goto(`${BASE}/dashboards/${region.id}?campaign=${campaign.id}&view=completion`);
  const qsCompletion = completion.instruments.find((i) => i.code === 'QS' && i.source === 'self');
  assert.ok(qsCompletion, 'the API counts the quality scale');
  const qsTable = page.locator('[data-instrument="QS"][data-source="self"] table');
  await qsTable.waitFor();
  for (const it of qsCompletion.items) {
    const cells = await qsTable.locator(`tr[data-unit="${it.id}"] td`).allTextContents();
    assert.deepEqual(cells.slice(0, 3).map((c) => c.trim()), [String(it.expected), String(it.submitted), String(it.approved)], it.name);
  }
  const ensk3 = qsCompletion.items.find((i) => i.id === ensk.id);
  assert.equal(ensk3.approved, 2, 'both kindergartens of Энск approved');
  await page.screenshot({ path: join(ARTIFACTS, 'dashboards-completion.png'), fullPage: true });
  assert.deepEqual(await touchProblems(page), [], 'touch targets and no sideways scrolling (completion)');

  // The export buttons ask for the view's file with the view's parameters and the token.
  const asked = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('/completion.csv'));
  await page.getByRole('button', { name: 'Скачать CSV' }).tap();
  const request = await asked;
  const url = new URL(request.url());
  assert.equal(url.pathname, `/api/v1/dashboards/units/${region.id}/completion.csv`);
  assert.equal(url.searchParams.get('campaign'), String(campaign.id));
  assert.match(request.headers().authorization ?? '', /^Bearer \S+$/);
  await page.getByRole('button', { name: 'Скачать CSV' }).and(page.locator(':enabled')).waitFor();

  // Parents: the satisfaction and the response rate are the API's (none answered here).
  const parents = await api('GET', `/dashboards/units/${region.id}/parents?campaign=${campaign.id}`, { token: regionToken });
  await page.locator('[data-view-tab="parents"]').tap();
  await page.waitForURL((u) => u.searchParams.get('view') === 'parents');
  const percent = (v) => (v === null || v === undefined ? '—' : `${Math.round(v * 100)} %`);
  await page.getByTestId('parents-rate').waitFor();
  assert.equal((await page.getByTestId('parents-rate').textContent()).trim(), percent(parents.total.response_rate));
  assert.equal((await page.getByTestId('parents-satisfaction').textContent()).trim(), percent(parents.total.satisfaction));
  assert.deepEqual(problems, []);
  await context.close();
});

test('an expert starts from the assigned kindergartens; a teacher has no dashboards', { timeout: 120_000 }, async () => {
  const expertToken = await token('expert');
  const assigned = (await api('GET', '/units', { token: expertToken })).items;
  assert.ok(assigned.length > 1, 'the demo expert has several kindergartens');
  const { context, page, problems } = await signedInTablet(browser, 'expert');
  await page.locator('nav.nav').getByRole('link', { name: 'Мониторинг' }).tap();
  await page.waitForURL(`${BASE}/dashboards`);
  const links = page.locator('.dash ul.rows a');
  await links.first().waitFor();
  assert.deepEqual(
    (await links.locator('.row-title').allTextContents()).map((x) => x.trim()).sort(),
    assigned.map((u) => u.name).sort(),
  );
  await links.first().tap();
  await page.waitForURL((u) => /^\/dashboards\/\d+$/.test(u.pathname) && u.searchParams.has('campaign'));
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const unit = assigned.find((u) => u.id === id);
  assert.ok(unit, 'one of the assigned kindergartens');
  await heading(page, unit.name);
  await page.getByTestId('children-table').waitFor();
  assert.deepEqual(problems, []);
  await context.close();

  const teacher = await tablet(browser, TABLET_PORTRAIT);
  await teacher.page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(teacher.page, 'teacher', 'demo')).status(), 200);
  await teacher.page.waitForURL(`${BASE}/`);
  await teacher.page.locator('nav.nav a').first().waitFor();
  assert.equal(await teacher.page.locator('nav.nav').getByRole('link', { name: 'Мониторинг' }).count(), 0);
  await teacher.context.close();
});
