// The first screen on a slow line: the page paints a shell of its own before any code has
// arrived, and the sign-in page fetches only the shell's and the sign-in form's code, the
// other pages coming in chunks of their own when first opened (which the service worker
// still keeps for offline use).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, TABLET_PORTRAIT, tablet, signInByTouch, useBrowser } from './support.mjs';

const held = useBrowser();

test('without JavaScript the page already shows the app name and the loading shell, styled', async () => {
  const context = await held.browser.newContext({ viewport: TABLET_PORTRAIT, locale: 'ru-RU', javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${BASE}/login`);
    await page.locator('header').getByText('ВСОК ДО', { exact: true }).waitFor({ timeout: 5_000 });
    assert.equal(await page.getByRole('status').innerText(), 'Загрузка…');
    // the stylesheet came with it: the header bar is the app's white bar, not bare text
    const bar = await page.locator('header').evaluate((h) => getComputedStyle(h).backgroundColor);
    assert.equal(bar, 'rgb(255, 255, 255)');
  } finally {
    await context.close();
  }
});

test('the app replaces the shell, and the sign-in page loads no other page’s code', async () => {
  const { context, page, problems } = await tablet(held.browser);
  const scripts = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/assets/')) scripts.push(path);
  });
  try {
    await context.route(`${BASE}/sw.js`, (route) => route.abort()); // no precache of every chunk
    await page.goto(`${BASE}/login`);
    await page.getByRole('button', { name: 'Войти', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('[data-shell]').count(), 0, 'the static shell is gone');
    assert.equal(await page.getByText('ВСОК ДО', { exact: true }).count(), 1, 'one header');
    const pageChunks = /\/assets\/(Dashboard|sheet|MyForms|Home|ReviewList|Units|Unit|Users|Profile|Plan|Calendar|locale-(ru|en))-/;
    assert.deepEqual(scripts.filter((s) => pageChunks.test(s)), [], `sign-in page fetched: ${scripts.join(', ')}`);

    // Signing in fetches the home page's own chunk.
    const home = page.waitForRequest((r) => /\/assets\/Home-[\w-]+\.js$/.test(new URL(r.url()).pathname));
    const answer = await signInByTouch(page, 'teacher', 'demo');
    assert.equal(answer.status(), 200);
    await home;
    await page.waitForURL(`${BASE}/`);
    assert.ok(!scripts.some((s) => /\/assets\/Dashboard-/.test(s)), 'the dashboards stay unfetched');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the service worker precaches the chunks of a teacher’s pages, not the dashboards', async () => {
  const res = await fetch(`${BASE}/sw.js`);
  assert.equal(res.status, 200);
  const sw = await res.text();
  // the sheet's page is in the chunk it shares with the experts' remote view (vite.config.js)
  for (const chunk of ['Home', 'MyForms', 'sheet', 'Consents', 'Profile', 'Plan']) {
    assert.match(sw, new RegExp(`assets/${chunk}-[\\w-]+\\.js`), `${chunk} chunk precached`);
  }
  assert.doesNotMatch(sw, /assets\/Dashboard-[\w-]+\.js/);
});
