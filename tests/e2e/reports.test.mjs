// An analytic report on a touch tablet: the kindergarten's coordinator compiles the report
// for a campaign whose self-assessment the municipality approved, writes the introduction,
// prints the report to PDF (Chromium's page.pdf with the page's @page A4) — the PDF has
// pages, the A4 size and the kindergarten's name — and downloads the DOCX, a valid zip whose
// word/document.xml holds the kindergarten's name, the text written and the overall score as
// the dashboards show it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { BASE, ARTIFACTS, TABLET_LANDSCAPE, launch, tablet, shot, signInByTouch, touchProblems, api, token, day } from './support.mjs';
import { pdfText } from './pdf-text.mjs';

let browser;
let campaign;
let kindergarten;
let overall; // the dashboards' overall score of the kindergarten
const INTRO = `Мониторинг проведён по плану-графику (${Date.now() % 100000}).`;

before(async () => {
  browser = await launch();
  const region = await token('region');
  const qs = (await api('GET', '/instruments', { token: region })).items.find((i) => i.code === 'QS');
  campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title: `Справка ${Date.now()}`, year: new Date().getFullYear(), opens_on: day(-2), closes_on: day(30), instrument_ids: [qs.id] },
  });
  const doo = await token('doo');
  kindergarten = (await api('GET', '/me', { token: doo })).org_unit;
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: doo })).definition;
  const sheet = await api('POST', '/submissions', { token: doo, body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: kindergarten.id } });
  // level 2 in the first area, 1 elsewhere
  const answers = {};
  definition.sections.forEach((s, k) => {
    for (const ind of s.indicators) for (const it of ind.items) if (it.type === 'check') answers[it.code] = k === 0 && it.level <= 2 ? 'met' : 'not_met';
  });
  const saved = await api('PATCH', `/submissions/${sheet.id}`, { token: doo, body: { base_version: sheet.version, answers } });
  await api('POST', `/submissions/${sheet.id}/submit`, { token: doo, body: { base_version: saved.version } });
  await api('POST', `/submissions/${sheet.id}/approve`, { token: await token('municipal'), body: {} });
  const bd = await api('GET', `/dashboards/units/${kindergarten.id}/breakdown?campaign=${campaign.id}`, { token: doo });
  overall = bd.overall.unit.mean;
  assert.ok(overall > 1 && overall < 2, `the sheet counts: ${overall}`);
});

after(async () => {
  await browser?.close();
});

test('compile a report, write its introduction, print it to PDF and download the DOCX', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await tablet(browser, TABLET_LANDSCAPE);
  context.setDefaultTimeout(20_000);
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'doo', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);

  await page.getByRole('link', { name: 'Справки' }).tap();
  await page.getByTestId('report-campaign').selectOption(String(campaign.id));
  await page.getByTestId('report-create').tap();
  await page.waitForURL(/\/reports\/\d+$/);
  const doc = page.getByTestId('report-doc');
  await doc.waitFor();
  assert.equal(await page.getByTestId('doc-unit').textContent(), kindergarten.name);
  const shown = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.floor(overall * 10 + 0.5 + 1e-9) / 10);
  assert.ok((await page.getByTestId('doc-overall').textContent()).includes(shown), `the overall score ${shown} as on the dashboards`);
  assert.equal(await page.getByTestId('report-status').textContent(), 'Черновик');

  await page.getByTestId('text-intro').fill(INTRO);
  await page.getByTestId('report-save').tap();
  await page.getByTestId('report-notice').waitFor();
  assert.ok((await doc.textContent()).includes(INTRO), 'the text is in the document');
  await shot(page, 'report');

  // print: A4 from the page's own @page rule
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  const bytes = Buffer.from(pdf);
  writeFileSync(join(ARTIFACTS, 'report.pdf'), bytes);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const pages = bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  assert.ok(pages.length >= 1, 'the PDF has pages');
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(bytes.toString('latin1'));
  assert.ok(box && Math.abs(Number(box[1]) - 595.3) < 2 && Math.abs(Number(box[2]) - 841.9) < 2, `A4 portrait: ${box?.[0]}`);
  const text = pdfText(bytes);
  assert.ok(text.includes(kindergarten.name.replace(/\s+/g, '')), `the PDF names the kindergarten`);
  assert.ok(text.includes(INTRO.replace(/\s+/g, '').slice(0, 20)), 'the PDF has the introduction');

  // DOCX
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-docx').tap()]);
  const path = join(ARTIFACTS, 'report.docx');
  await download.saveAs(path);
  const zip = unzipSync(new Uint8Array(readFileSync(path)));
  assert.ok(zip['[Content_Types].xml'], 'a DOCX package');
  const xml = strFromU8(zip['word/document.xml']);
  // the texts of the runs (<w:t>), unescaped
  const runs = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) =>
    m[1].replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );
  assert.ok(runs.includes(kindergarten.name), 'the DOCX names the kindergarten');
  assert.ok(runs.includes(INTRO), 'the DOCX has the introduction');
  assert.ok(runs.includes(shown), `the DOCX has the overall score ${shown} as on the dashboards`);
  assert.deepEqual(await touchProblems(page), []);
  assert.deepEqual(problems, []);
  await context.close();
});
