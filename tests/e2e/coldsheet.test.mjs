// A sheet opened cold on a tablet that was signed in (a new tab, a reload, the browser
// reopened): index.html's early.js asks to resume the session, for the page's code and for
// the sheet itself before the app's code has arrived, and the page brings only the sheets'
// words, in the user's language. What each request carries is checked here; how fast it is
// on a slow line is tests/bench/firstpaint.mjs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, TABLET_PORTRAIT, useBrowser, signedInTablet, api, token, openCampaign } from './support.mjs';

const held = useBrowser();
let sheets;
let firstCode;
let qsId;

before(async () => {
  const { campaign, instruments } = await openCampaign(`Холодный лист ${Date.now()}`, { codes: ['QS'] });
  qsId = instruments.QS.id;
  const teacher = await token('teacher');
  const me = await api('GET', '/me', { token: teacher });
  const groups = (await api('GET', `/units/${me.org_unit.id}/children`, { token: teacher })).items.filter((u) => u.level === 'group' && u.active);
  assert.ok(groups.length >= 3, 'the kindergarten has groups');
  sheets = [];
  for (const g of groups.slice(0, 3)) {
    sheets.push(
      await api('POST', '/submissions', {
        token: teacher,
        body: { campaign_id: campaign.id, instrument_id: instruments.QS.id, target_unit_id: g.id },
      }),
    );
  }
  const definition = (await api('GET', `/instruments/${instruments.QS.id}`, { token: teacher })).definition;
  firstCode = definition.sections[0].indicators[0].items.find((x) => x.type !== 'evidence').code;
});

/** Every request of a page with the script that started it (CDP's initiator). */
async function recorded(context, page) {
  const cdp = await context.newCDPSession(page);
  const seen = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    const url = new URL(e.request.url);
    seen.push({ method: e.request.method, path: url.pathname, search: url.search, by: e.initiator?.url ?? e.initiator?.stack?.callFrames?.[0]?.url ?? '' });
  });
  await cdp.send('Network.enable');
  return seen;
}

/** The sheet page's first item takes an answer. */
const ready = (page) => page.locator(`main .item[data-code="${firstCode}"]`).locator('input:not([disabled]), button:not([disabled])').first().waitFor();

/**
 * The sheet opened in a new tab of the signed-in context (the old tab closed), until its
 * first item takes an answer: the tab and its requests, and the sheet's GETs among them.
 */
async function reopen(context, page, sheet) {
  const cold = await context.newPage();
  await page.close();
  const seen = await recorded(context, cold);
  await cold.goto(`${BASE}/forms/${sheet.id}`);
  await ready(cold);
  const asks = seen.filter((r) => r.method === 'GET' && r.path === `/api/v1/submissions/${sheet.id}`);
  return { cold, seen, asks };
}

/** Of `requests`, the dictionary chunks: exactly one, in `lang`, with the sheets' words only. */
async function onlySheetWords(requests, lang) {
  const words = requests.filter((r) => /^\/assets\/locale-(ru|en)-[\w-]+\.js$/.test(r.path));
  assert.equal(words.length, 1, `dictionaries fetched: ${words.map((r) => r.path).join(', ')}`);
  assert.ok(words[0].path.startsWith(`/assets/locale-${lang}-`), `${words[0].path} is the ${lang} one`);
  const text = await (await fetch(`${BASE}${words[0].path}`)).text();
  const keys = [...text.matchAll(/"([a-zA-Z]+\.[\w.]+)"\s*:/g)].map((m) => m[1]);
  assert.ok(keys.length > 100, 'the sheets’ words');
  assert.deepEqual(keys.filter((k) => !k.startsWith('forms.')), [], 'no other feature’s words');
}

test('a sheet opened cold asks for the session and the sheet once each, from early.js, and loads only the sheets’ words', async () => {
  // A tablet used before: the service worker serves the page, early.js and the app's code
  // from its cache at once, and early.js must still run first (index.html: defer).
  const { context, page, problems } = await signedInTablet(held.browser, 'teacher', TABLET_PORTRAIT, { serviceWorkers: 'allow' });
  try {
    await page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 30_000 });
    const { cold, seen, asks } = await reopen(context, page, sheets[0]);
    const refreshes = seen.filter((r) => r.path === '/api/v1/auth/refresh');
    assert.equal(refreshes.length, 1, 'one refresh');
    assert.match(refreshes[0].by, /\/early\.js$/, 'the refresh is early.js’s');
    assert.equal(asks.length, 1, 'the sheet is asked for once');
    assert.equal(asks[0].search, '?with=instrument', 'with its instrument: this device does not keep it yet');
    assert.match(asks[0].by, /\/early\.js$/, 'before the app’s code came');
    assert.equal(seen.filter((r) => r.path === `/api/v1/instruments/${qsId}`).length, 0);
    assert.equal(seen.filter((r) => r.path === '/api/v1/me').length, 0, 'no GET /me');

    // One dictionary chunk, the sheets' own, in Russian.
    await onlySheetWords(seen, 'ru');
    await cold.locator('[data-state]').getByText('Сохранено').first().waitFor();

    // English: the sheets' English words come, and only those.
    const before = seen.length;
    await cold.getByRole('button', { name: 'English', exact: true }).click();
    await cold.locator('[data-state]').getByText('Saved').first().waitFor();
    await onlySheetWords(seen.slice(before), 'en');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a tablet that keeps the sheet’s instrument asks for the sheet alone; an English one loads only English words', async () => {
  const { context, page, problems } = await signedInTablet(held.browser, 'teacher');
  try {
    // The first visit keeps the sheet and its instrument on the device.
    await page.goto(`${BASE}/forms/${sheets[1].id}`);
    await ready(page);
    await page.evaluate(() => localStorage.setItem('vsok.lang', 'en'));

    const { cold, seen, asks } = await reopen(context, page, sheets[1]);
    await cold.locator('[data-state]').getByText('Saved').first().waitFor();
    assert.equal(asks.length, 1, 'the sheet is asked for once');
    assert.equal(asks[0].search, '', 'without the instrument the device keeps');
    assert.match(asks[0].by, /\/early\.js$/);
    await onlySheetWords(seen, 'en');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('another user’s copy on a shared tablet is not taken for this one: the sheet comes with its instrument', async () => {
  // A device that keeps a sheet of the same id for someone else must not skip the instrument
  // on that copy's word: early.js reads the copy's user, as the app does.
  const { context, page, problems } = await signedInTablet(held.browser, 'teacher');
  try {
    await page.evaluate(
      (id) =>
        new Promise((resolve, reject) => {
          const rq = indexedDB.open('vsok-forms', 2);
          rq.onupgradeneeded = () => {
            for (const s of ['sheets', 'instruments', 'reviews', 'outbox']) rq.result.createObjectStore(s, { keyPath: 'id' });
          };
          rq.onsuccess = () => {
            const tx = rq.result.transaction(['sheets', 'instruments'], 'readwrite');
            tx.objectStore('sheets').put({ id, user_id: -1, sheet: { id, instrument: { id: 424242 } }, pending: {} });
            tx.objectStore('instruments').put({ id: 424242, status: 'published', definition: { sections: [] } });
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
          rq.onerror = () => reject(rq.error);
        }),
      sheets[2].id,
    );
    const { asks } = await reopen(context, page, sheets[2]);
    assert.equal(asks.length, 1);
    assert.equal(asks[0].search, '?with=instrument');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
