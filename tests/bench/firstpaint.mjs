// make bench, first-paint part: the first screen on a bad kindergarten line (400 kbit/s both
// ways, 400 ms latency: CDP Network.emulateNetworkConditions), browser cache disabled, a
// fresh browser context each run and no service worker (a first visit). Reported, median of
// the runs, in milliseconds from the start of the navigation:
//   - first paint and first contentful paint (PerformanceObserver 'paint'),
//   - the sign-in form usable: the app's form (not the page's static shell) with its inputs
//     enabled, i.e. the code is loaded, the handlers attached and the session check answered,
//   - a cold sheet after sign-in: /forms/ID opened in a new tab of a signed-in context,
//     until the first item of its first indicator takes an answer.
// Aims: first paint < 1.5 s, sign-in form < 3 s, sheet < 4 s. Chromium through
// playwright-core, as the browser tests.
//
//   VSOK_BENCH_URL             the stack (default http://127.0.0.1:28080), loopback only
//   VSOK_BENCH_FIRSTPAINT_RUNS runs (3); the median is printed
//   VSOK_CHROMIUM              the browser (/usr/bin/chromium)
//   VSOK_BENCH_FIRSTPAINT_LOG  1: print what the cold sheet's page downloaded in its last run
//                              (each request: start and end in ms, bytes on the line, address)
import { chromium } from 'playwright-core';
import { LINE, api as apiOf, benchBase, day, login as loginOf, median } from './slow-line.mjs';

const BASE = benchBase('firstpaint');
const RUNS = Math.max(1, Number(process.env.VSOK_BENCH_FIRSTPAINT_RUNS || 3));
const AIMS = { fp: 1500, fcp: 1500, login: 3000, sheet: 4000 };
const api = (method, path, opts) => apiOf(BASE, method, path, opts);
const login = (name) => loginOf(BASE, name);

/** A page on the slow line: a CDP session with the cache off and the line throttled. */
async function slow(context, log) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (log) record(cdp, log);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', LINE);
  await page.addInitScript(() => {
    window.__paints = {};
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__paints[e.name] = e.startTime;
    }).observe({ type: 'paint', buffered: true });
  });
  return page;
}

/** Collects each request of the page: start, end (seconds of CDP's clock), bytes on the line. */
function record(cdp, log) {
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    const r = { url: e.request.url, method: e.request.method, type: e.type, start: e.timestamp };
    byId.set(e.requestId, r);
    log.push(r);
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    const t = e.response.timing;
    Object.assign(r, {
      status: e.response.status,
      encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '',
      sent: t ? t.requestTime + t.sendStart / 1000 : undefined,
      headers: t ? t.requestTime + t.receiveHeadersEnd / 1000 : undefined,
    });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
}

/** The request log of one page, in ms from its first request. */
function printLog(log, ready) {
  const t0 = log[0]?.start ?? 0;
  console.log(`\n-- the cold sheet's requests (last run; usable at ${Math.round(ready)} ms) --`);
  console.log('   start     sent  headers      end    bytes  enc   request');
  for (const r of log) {
    const ms = (t) => (t ? String(Math.round((t - t0) * 1000)).padStart(8) : '       -');
    const path = r.url.replace(BASE, '');
    console.log(`${ms(r.start)} ${ms(r.sent)} ${ms(r.headers)} ${ms(r.end)} ${String(r.bytes ?? '-').padStart(8)}  ${(r.encoding || '-').padEnd(4)}  ${r.method} ${path} (${r.type}, ${r.status ?? '-'})`);
  }
  const total = log.reduce((n, r) => n + (r.bytes || 0), 0);
  console.log(`${log.length} requests, ${total} bytes on the line`);
}

// The app's sign-in form (the static shell's form carries data-shell and disabled inputs).
const formUsable = () => {
  if (document.querySelector('[data-shell]')) return false;
  const l = document.querySelector('main form input#login');
  const p = document.querySelector('main form input#password');
  const b = document.querySelector('main form button[type=submit]');
  return l && p && b && !l.disabled && !p.disabled && !b.disabled ? performance.now() : false;
};

async function firstScreen(browser) {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'ru-RU', serviceWorkers: 'block' });
  try {
    const page = await slow(context);
    await page.goto(`${BASE}/login`, { waitUntil: 'commit', timeout: 60_000 });
    const usable = await (await page.waitForFunction(formUsable, null, { polling: 'raf', timeout: 60_000 })).jsonValue();
    const paints = await page.evaluate(() => window.__paints);
    return { fp: paints['first-paint'], fcp: paints['first-contentful-paint'], login: usable };
  } finally {
    await context.close();
  }
}

async function coldSheet(browser, sheet, code, log) {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'ru-RU', serviceWorkers: 'block' });
  try {
    const signIn = await context.newPage();
    await signIn.goto(`${BASE}/login`);
    await signIn.getByLabel('Логин', { exact: true }).fill('teacher');
    await signIn.getByLabel('Пароль', { exact: true }).fill('demo');
    await signIn.getByRole('button', { name: 'Войти', exact: true }).click();
    await signIn.waitForURL(`${BASE}/`);
    await signIn.close();
    const page = await slow(context, log);
    await page.goto(`${BASE}/forms/${sheet}`, { waitUntil: 'commit', timeout: 60_000 });
    const ready = await page.waitForFunction(
      (c) => {
        const item = document.querySelector(`main .item[data-code="${c}"]`);
        const input = item?.querySelector('input:not([disabled]), textarea:not([disabled]), button:not([disabled])');
        return input ? performance.now() : false;
      },
      code,
      { polling: 'raf', timeout: 60_000 },
    );
    return { sheet: await ready.jsonValue() };
  } finally {
    await context.close();
  }
}

async function main() {
  const region = await login('region');
  const teacher = await login('teacher');
  const instruments = (await api('GET', '/instruments', { token: region })).items;
  const qs = instruments.find((i) => i.code === 'QS');
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: {
      title: `Замер первого экрана ${Date.now()}`,
      year: new Date().getFullYear(),
      opens_on: day(-2),
      closes_on: day(30),
      instrument_ids: instruments.filter((i) => i.status === 'published').map((i) => i.id),
    },
  });
  const me = await api('GET', '/me', { token: teacher });
  const group = (await api('GET', `/units/${me.org_unit.id}/children`, { token: teacher })).items.find((u) => u.level === 'group' && u.active);
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const first = definition.sections[0].indicators[0].items.find((x) => x.type !== 'evidence');
  const sheet = await api('POST', '/submissions', {
    token: teacher,
    body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: group.id },
  });

  const browser = await chromium.launch({
    executablePath: process.env.VSOK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  const runs = [];
  let log = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      log = process.env.VSOK_BENCH_FIRSTPAINT_LOG === '1' ? [] : null;
      runs.push({ ...(await firstScreen(browser)), ...(await coldSheet(browser, sheet.id, first.code, log)) });
    }
  } finally {
    await browser.close();
  }
  if (log) printLog(log, runs.at(-1).sheet);
  const m = {};
  for (const k of Object.keys(AIMS)) m[k] = median(runs.map((r) => r[k] ?? Infinity));
  console.log(`\n== first paint: a cold first visit on 400 kbit/s, 400 ms, cache off (median of ${RUNS}) ==`);
  const names = { fp: 'first paint', fcp: 'first contentful paint', login: 'sign-in form usable', sheet: 'cold sheet usable' };
  for (const k of Object.keys(AIMS)) {
    const ok = m[k] < AIMS[k] ? 'aim met' : 'AIM MISSED';
    console.log(`${names[k].padEnd(26)} ${String(Math.round(m[k])).padStart(6)} ms   (aim < ${AIMS[k]} ms, ${ok})`);
  }
  const r = (x) => (Number.isFinite(x) ? Math.round(x) : '');
  console.log(`RESULT fp_ms=${r(m.fp)} fcp_ms=${r(m.fcp)} login_ms=${r(m.login)} sheet_ms=${r(m.sheet)}`);
}

main().catch((e) => {
  console.error(`bench firstpaint: ${e.stack || e}`);
  process.exit(1);
});
