// The parent questionnaire in the browser. Set up through the API: the regional
// coordinator opens a campaign with the parent questionnaire (PQ); the kindergarten
// coordinator makes the links of its kindergarten and groups. A parent opens a group's
// link on a phone (375×667, touch), is told which questions are missing, answers by touch,
// sends and sees the thanks; the same phone opening the link again is told it answered; a
// closed link says so; a send without network keeps the answers and goes through when the
// network is back. The kindergarten coordinator opens the printable sheet with the QR code
// on a tablet (screenshots on screen and in print media, an A4 PDF).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, launch, tablet, signInByTouch, touchProblems, api, token, shot, openCampaign } from './support.mjs';

const PHONE = { width: 375, height: 667 };

let browser;
let campaign;
let kindergarten;
let links; // the kindergarten's links
let doo;

/** A phone: a fresh touch context at a phone's size that also lists the answers it received. */
async function phone() {
  const t = await tablet(browser, PHONE);
  const requested = [];
  t.page.on('response', async (r) => {
    const len = Number(r.headers()['content-length']) || (await r.body().catch(() => Buffer.alloc(0))).length;
    requested.push({ url: r.url(), status: r.status(), bytes: len });
  });
  return { ...t, requested };
}

const linkFor = (i) => links.filter((l) => l.group)[i];
const responsesOf = async (id) =>
  (await api('GET', `/units/${kindergarten.id}/survey-links?campaign_id=${campaign.id}`, { token: doo })).items.find((l) => l.id === id).responses;

/** Taps an answer to every required statement (agreement 4, «Да»). */
async function answerAll(page) {
  const scales = page.locator('.question .choices.scale');
  const n = await scales.count();
  for (let i = 0; i < n; i++) await scales.nth(i).locator('.choice').nth(3).tap();
  const words = page.locator('.question .choices.words');
  for (let i = 0; i < (await words.count()); i++) await words.nth(i).locator('.choice').first().tap();
  return n;
}

before(async () => {
  browser = await launch();
  ({ campaign } = await openCampaign(`Анкета родителей ${Date.now()}`, { codes: ['PQ'] }));
  doo = await token('doo');
  kindergarten = (await api('GET', '/me', { token: doo })).org_unit;
  links = (await api('POST', `/units/${kindergarten.id}/survey-links`, { token: doo, body: { campaign_id: campaign.id, groups: true } })).items;
  assert.ok(links.filter((l) => l.group).length >= 3, 'links for the groups');
});

after(async () => {
  await browser?.close();
});

test('a parent on a phone answers the questionnaire by touch and sees the thanks', async () => {
  const link = linkFor(0);
  const { context, page, problems, requested } = await phone();
  try {
    await page.goto(BASE + link.path);
    await page.getByRole('heading', { level: 1, name: /Анкета для родителей/ }).waitFor();
    await page.getByText(link.group.name, { exact: false }).first().waitFor();
    const statements = await page.locator('.question').count();
    assert.ok(statements >= 14, `${statements} statements shown`);
    assert.deepEqual(await touchProblems(page), [], 'touch targets of 44 px, no sideways scrolling');
    await shot(page, 'survey-phone-start');

    // sending at once: told what is missing, nothing sent
    await page.getByRole('button', { name: 'Отправить ответы' }).tap();
    await page.locator('#banner').waitFor();
    assert.match(await page.locator('#banner').textContent(), /Ответьте/);
    assert.ok((await page.locator('.question.missing').count()) >= 14, 'the missing questions are marked');
    assert.equal(await responsesOf(link.id), 0, 'nothing stored');

    const scales = await answerAll(page);
    assert.ok(scales >= 14);
    assert.equal(await page.locator('.question.missing').count(), 0, 'the marks go as the answers come');
    await page.locator('.question .choices.list .choice').first().tap();
    await page.locator('textarea').tap();
    await page.keyboard.type('Спасибо воспитателям!');
    await page.locator('.question').nth(3).scrollIntoViewIfNeeded();
    await shot(page, 'survey-phone-answered');

    const sent = page.waitForResponse((r) => r.url().endsWith(`/public/surveys/${link.token}/responses`));
    await page.getByRole('button', { name: 'Отправить ответы' }).tap();
    assert.equal((await sent).status(), 201);
    await page.getByRole('heading', { name: 'Спасибо!' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'survey-phone-thanks.png') });
    assert.equal(await responsesOf(link.id), 1, 'one answer stored');

    // the same phone again: already answered
    await page.reload();
    await page.getByRole('heading', { name: 'Вы уже ответили' }).waitFor();

    // light: the page, its script and its style only; none of the app's bundle
    const own = requested.filter((r) => r.url.startsWith(BASE) && !r.url.includes('/api/'));
    assert.ok(!own.some((r) => r.url.includes('/assets/')), `the app's bundle was loaded: ${own.map((r) => r.url)}`);
    const bytes = own.filter((r) => /\/s\/|\/survey\//.test(r.url)).reduce((a, r) => a + r.bytes, 0);
    assert.ok(bytes > 0 && bytes < 60 * 1024, `page weight ${bytes} bytes`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a closed link and an unknown one say so in Russian', async () => {
  const link = linkFor(1);
  await api('PATCH', `/units/${kindergarten.id}/survey-links/${link.id}`, { token: doo, body: { closed: true } });
  const { context, page, problems } = await phone();
  try {
    await page.goto(BASE + link.path);
    await page.getByRole('heading', { name: 'Опрос завершён' }).waitFor();
    assert.match(await page.locator('.screen').textContent(), /не принимает ответы/);
    await shot(page, 'survey-phone-closed');
    await page.goto(`${BASE}/s/${'0'.repeat(26)}`);
    await page.getByRole('heading', { name: 'Анкета не найдена' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await api('PATCH', `/units/${kindergarten.id}/survey-links/${link.id}`, { token: doo, body: { closed: false } });
  }
});

test('without network the answers stay on the page and go when the network is back', async () => {
  const link = linkFor(2);
  const { context, page } = await phone();
  try {
    await page.goto(BASE + link.path);
    await page.getByRole('button', { name: 'Отправить ответы' }).waitFor();
    await answerAll(page);
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Отправить ответы' }).tap();
    await page.getByText(/Нет связи с интернетом/).waitFor();
    assert.equal(await page.locator('.choice.selected').count() >= 15, true, 'the answers are still marked');
    await context.setOffline(false);
    const sent = page.waitForResponse((r) => r.url().endsWith('/responses'));
    await page.getByRole('button', { name: 'Отправить ответы' }).tap();
    assert.equal((await sent).status(), 201);
    await page.getByRole('heading', { name: 'Спасибо!' }).waitFor();
    assert.equal(await responsesOf(link.id), 1);
  } finally {
    await context.close();
  }
});

test('the kindergarten coordinator prints the A4 sheet with the QR code', async () => {
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT);
  try {
    await page.goto(`${BASE}/units/${kindergarten.id}/surveys?campaign=${campaign.id}`);
    await signInByTouch(page, 'doo', 'demo');
    await page.getByRole('heading', { level: 2, name: 'Ссылки', exact: true }).waitFor();
    const kgLink = links.find((l) => !l.group);
    const row = page.locator(`li.link[data-link="${kgLink.id}"]`);
    assert.match(await row.textContent(), /Весь детский сад/);
    assert.equal((await page.locator('[data-testid="survey-summary"] tbody td').first().textContent()).trim(), '2', 'the answers of the phones are counted');
    await shot(page, 'survey-links');
    await row.getByRole('link', { name: 'Лист с QR-кодом' }).tap();
    const sheet = page.locator('[data-testid="qr-sheet"]');
    await sheet.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="qr-image"]');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.match(await sheet.textContent(), new RegExp(kindergarten.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await page.locator('[data-testid="sheet-url"]').textContent(), kgLink.url);
    assert.match(await sheet.textContent(), /Наведите камеру телефона на QR-код/);
    await page.screenshot({ path: join(ARTIFACTS, 'survey-qr-sheet.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#app > header').isVisible(), false, 'no header on paper');
    assert.equal(await page.getByRole('button', { name: 'Печать' }).isVisible(), false, 'no buttons on paper');
    await page.screenshot({ path: join(ARTIFACTS, 'survey-qr-sheet-print.png'), fullPage: true });
    const pdf = join(ARTIFACTS, 'survey-qr-sheet.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    assert.ok(existsSync(pdf) && statSync(pdf).size > 2000, 'an A4 PDF');
    await page.emulateMedia({ media: 'screen' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the answers are kept in the browser over a reload until sent, with the progress shown', async () => {
  const link = links.find((l) => !l.group); // the kindergarten's own link
  const { context, page, problems } = await phone();
  try {
    await page.goto(BASE + link.path);
    await page.getByRole('button', { name: 'Отправить ответы' }).waitFor();
    const total = await page.locator('.question').count();
    await page.getByText(`Отвечено 0 из ${total}`).waitFor();
    const scales = page.locator('.question .choices.scale');
    for (let i = 0; i < 7; i++) await scales.nth(i).locator('.choice').nth(1).tap();
    await page.locator('textarea').tap();
    await page.keyboard.type('Хорошая прогулка');
    await page.getByText(`Отвечено 8 из ${total}`).waitFor();

    // A reload (a phone that dropped the tab): nothing is lost.
    await page.reload();
    await page.getByText(`Отвечено 8 из ${total}`).waitFor();
    assert.equal(await page.locator('.choice.selected').count(), 7, 'the seven choices are marked again');
    assert.equal(await page.locator('.question .choices.scale input:checked').count(), 7);
    assert.equal(await page.locator('textarea').inputValue(), 'Хорошая прогулка');

    await answerAll(page);
    const sent = page.waitForResponse((r) => r.url().endsWith(`/public/surveys/${link.token}/responses`));
    await page.getByRole('button', { name: 'Отправить ответы' }).tap();
    assert.equal((await sent).status(), 201);
    await page.getByRole('heading', { name: 'Спасибо!' }).waitFor();
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), `vsok.survey.${link.token}`), null, 'forgotten once sent');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
