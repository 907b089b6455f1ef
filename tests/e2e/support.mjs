// Shared set-up for the browser tests: Debian's chromium through playwright-core,
// a touch tablet context, and a small API client to read the expected data.
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

/** A fresh tablet: own cookies and storage, touch, Russian locale. */
export async function tablet(browser, viewport = TABLET_PORTRAIT) {
  const context = await browser.newContext({
    viewport,
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    locale: 'ru-RU',
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

async function api(method, path, { body, token } = {}) {
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

/** What GET /api/v1/me says about a demo user. */
export async function whoIs(login, password = 'demo') {
  const auth = await api('POST', '/auth/login', { body: { login, password } });
  return api('GET', '/me', { token: auth.access_token });
}

/** Tap into a field and type, as a finger and the on-screen keyboard would. */
export async function tapAndType(page, locator, text) {
  await locator.tap();
  await page.keyboard.type(text);
}

export const ROLE_RU = {
  administrator: 'Администратор',
  region_coordinator: 'Региональный координатор',
  municipal_coordinator: 'Муниципальный координатор',
  doo_coordinator: 'Координатор ДОО',
  teacher: 'Педагог',
  expert: 'Эксперт',
};
