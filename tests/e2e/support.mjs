// Shared set-up for the browser tests: Debian's chromium through playwright-core,
// a touch tablet context (signed in or not), a small API client to read the expected data
// and make campaigns and sheets, test images.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = (process.env.VSOK_TEST_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const TABLET_PORTRAIT = { width: 768, height: 1024 };
export const TABLET_LANDSCAPE = { width: 1024, height: 768 };

export function launch() {
  return chromium.launch({
    executablePath: process.env.VSOK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The browser of a suite: launched before its tests, closed after them; `.browser` once launched. */
export function useBrowser() {
  const held = {};
  before(async () => {
    held.browser = await launch();
  });
  after(async () => {
    await held.browser?.close();
  });
  return held;
}

/**
 * A fresh tablet: own cookies and storage, touch, Russian locale. Without the app's service
 * worker unless `serviceWorkers: 'allow'`: page.route() does not see the requests of a page
 * a service worker controls, and the worker takes control whenever its precache happens to
 * finish, so a suite that reroutes requests would pass or fail by timing.
 */
export async function tablet(browser, viewport = TABLET_PORTRAIT, { serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({
    viewport,
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    locale: 'ru-RU',
    serviceWorkers,
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A Content-Security-Policy violation means an inline script or style slipped in.
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  return { context, page, problems };
}

export function shot(page, name) {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A JSON call to the API (for test setup); throws on any non-2xx answer. */
export async function api(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${BASE}/api/v1${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    // Another suite may just have exercised the login rate limit: wait it out.
    if (res.status === 429 && attempt < 4) {
      const wait = Math.min(Number(res.headers.get('Retry-After')) || 15, 60);
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

/** An access token for a demo user. */
export async function token(login, password = 'demo') {
  return (await api('POST', '/auth/login', { body: { login, password } })).access_token;
}

/** The date offset days from today, YYYY-MM-DD (campaign windows). */
export const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** What GET /api/v1/me says about a demo user. */
export async function whoIs(login, password = 'demo') {
  const auth = await api('POST', '/auth/login', { body: { login, password } });
  return api('GET', '/me', { token: auth.access_token });
}

/**
 * The regional coordinator opens a campaign titled `title` from `opens` to `closes` days
 * from today with the instruments of `codes` (asserted published), or with every published
 * one (`all`). Returns {campaign, instruments: code -> meta of every published one}.
 */
export async function openCampaign(title, { codes = [], all = false, opens = -2, closes = 30, year = new Date().getFullYear() } = {}) {
  const region = await token('region');
  const published = (await api('GET', '/instruments', { token: region })).items.filter((i) => i.status === 'published');
  const instruments = Object.fromEntries(published.map((i) => [i.code, i]));
  for (const code of codes) assert.ok(instruments[code], `the instrument ${code} is published`);
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: { title, year, opens_on: day(opens), closes_on: day(closes), instrument_ids: (all ? published : codes.map((c) => instruments[c])).map((i) => i.id) },
  });
  assert.equal(campaign.open, opens <= 0 && closes >= 0, 'the campaign is open today');
  return { campaign, instruments };
}

/**
 * The regional coordinator opens a campaign of stages taken from this year's template:
 * each [kind, opens, closes, extra] (days from today; extra: e.g. a title). The teacher
 * self-assessment, when asked, gets the municipal deadline `teacherDue` days from today.
 */
export async function openStagedCampaign(title, stages, { teacherDue } = {}) {
  const region = await token('region');
  const year = new Date().getFullYear();
  const tpl = await api('GET', `/campaigns/template?year=${year}`, { token: region });
  const pick = ([kind, opens, closes, extra = {}]) => {
    const s = tpl.stages.find((x) => x.kind === kind);
    return { kind, instrument_id: s.instrument?.id ?? null, respondents: s.respondents, target_level: s.target_level, opens_on: day(opens), closes_on: day(closes), ...extra };
  };
  const campaign = await api('POST', '/campaigns', { token: region, body: { title, year, stages: stages.map(pick) } });
  if (teacherDue !== undefined) {
    const st = campaign.stages.find((s) => s.kind === 'teacher_self');
    await api('PUT', `/campaigns/${campaign.id}/stages/${st.id}/deadline`, { token: await token('municipal'), body: { due_on: day(teacherDue) } });
  }
  return campaign;
}

/** Answers to every check item of a definition: value(item, section index) ('met' or 'not_met'). */
export function checkAnswers(definition, value) {
  const answers = {};
  definition.sections.forEach((section, k) => {
    for (const ind of section.indicators) for (const it of ind.items) if (it.type === 'check') answers[it.code] = value(it, k);
  });
  return answers;
}

/** Starts a sheet as `tok`, saves `answers` and submits it; returns the submitted sheet. */
export async function submitSheet(tok, { campaign, instrument, target, answers }) {
  const body = { campaign_id: campaign.id, instrument_id: instrument.id, ...(target ? { target_unit_id: target } : {}) };
  const sheet = await api('POST', '/submissions', { token: tok, body });
  const saved = await api('PATCH', `/submissions/${sheet.id}`, { token: tok, body: { base_version: sheet.version, answers } });
  const done = await api('POST', `/submissions/${sheet.id}/submit`, { token: tok, body: { base_version: saved.version } });
  assert.equal(done.status, 'submitted');
  return done;
}

/** Tap into a field and type, as a finger and the on-screen keyboard would. */
export async function tapAndType(page, locator, text) {
  await locator.tap();
  await page.keyboard.type(text);
}

/** The account menu button in the header (shown when signed in). */
export function accountButton(page) {
  return page.locator('header [aria-controls="user-menu"]');
}

/** Open the account menu (change password, sign out). */
export async function openAccountMenu(page) {
  const button = accountButton(page);
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.tap();
  await page.locator('#user-menu').waitFor();
}

export const ROLE_RU = {
  administrator: 'Администратор',
  region_coordinator: 'Региональный координатор',
  municipal_coordinator: 'Муниципальный координатор',
  doo_coordinator: 'Координатор ДОО',
  teacher: 'Педагог',
  expert: 'Эксперт',
};

/**
 * Sign in through the login form by touch and wait for the answer. The API suite ends by
 * exhausting the login rate limit for this address; should it still be in force, wait and
 * tap again.
 */
export async function signInByTouch(page, login, password) {
  await page.getByLabel('Логин', { exact: true }).waitFor();
  await tapAndType(page, page.getByLabel('Логин', { exact: true }), login);
  await tapAndType(page, page.getByLabel('Пароль', { exact: true }), password);
  for (let attempt = 0; ; attempt++) {
    const answer = page.waitForResponse(
      (r) => r.url() === `${BASE}/api/v1/auth/login` && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Войти', exact: true }).tap();
    const response = await answer;
    if (response.status() !== 429 || attempt >= 3) return response;
    const wait = Math.min(Number(response.headers()['retry-after']) || 15, 60);
    await page.waitForTimeout(wait * 1000);
  }
}

/** Signs in as `login` through the login form from the login page; waits for the home page. */
export async function signIn(page, login, password = 'demo') {
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, login, password)).status(), 200, `${login} signs in`);
  await page.waitForURL(`${BASE}/`);
}

/** A fresh tablet signed in as `login`, at the home page; each step may take up to 15 s. */
export async function signedInTablet(browser, login, viewport = TABLET_PORTRAIT, options = {}) {
  const t = await tablet(browser, viewport, options);
  t.context.setDefaultTimeout(15_000);
  await signIn(t.page, login);
  return t;
}

/** Sign out through the account menu and wait for the login page. */
export async function signOutByTouch(page) {
  await openAccountMenu(page);
  const answer = page.waitForResponse(
    (r) => r.url() === `${BASE}/api/v1/auth/logout` && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Выйти', exact: true }).tap();
  await answer;
  await page.getByLabel('Логин', { exact: true }).waitFor();
}

/**
 * Controls smaller than a 44 px touch target, and sideways scrolling of the page. A radio
 * button or checkbox counts with the label around it (the whole label takes the tap).
 */
export async function touchProblems(page) {
  return page.evaluate(() => {
    const found = [...document.querySelectorAll('button, input, select, a')]
      .filter((el) => el.getClientRects().length > 0 && !el.classList.contains('skip'))
      .map((el) => {
        const label = (el.type === 'radio' || el.type === 'checkbox') && el.closest('label');
        const r = (label || el).getBoundingClientRect();
        return { el: el.id || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40), r };
      })
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`);
    if (document.documentElement.scrollWidth > innerWidth) found.push('page scrolls sideways');
    return found;
  });
}

// ---------------------------------------------------------------------------------------
// Test images

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid size×size RGB PNG of one random colour (new bytes on every call). */
export function solidPng(size) {
  const [r, g, b] = [0, 0, 0].map(() => Math.floor(Math.random() * 256));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter, no interlace
  const rows = [];
  for (let y = 0; y < size; y++) rows.push(Buffer.from([0, ...Array.from({ length: size }, () => [r, g, b]).flat()]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
