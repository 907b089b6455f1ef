// The tablet that never loses a photo: the service worker opens the app with the network
// off (after a reload and after a cold start of the browser), and the outbox keeps every
// picked photo in IndexedDB until the server has all of it: a photo picked offline goes out
// when the network returns (shrunk on the device: its bytes on the server are the ones the
// page stored), and an upload cut by a closed tab continues at its offset when the sheet is
// opened again; two tabs holding the same unsent photo send it once. "No network" is the
// browser's offline mode; the slow line is CDP throttling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, TABLET_PORTRAIT, launch, tablet, signInByTouch, api, token, shot, openCampaign } from './support.mjs';

let browser;
let campaign;
let qs;
let dir;
let teacherToken;
let groups;

before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'vsok-outbox-'));
  ({ campaign, instruments: { QS: qs } } = await openCampaign(`Проверка очереди фото ${Date.now()}`, { codes: ['QS'], all: true }));
  teacherToken = await token('teacher');
  const me = await api('GET', '/me', { token: teacherToken });
  // the groups whose parents agreed to photos (other suites add groups without a consent,
  // and uploads for those are refused)
  const consents = await api('GET', `/units/${me.org_unit.id}/consents`, { token: teacherToken });
  const agreed = new Set(consents.groups.filter((g) => g.consent?.consented).map((g) => g.id));
  groups = (await api('GET', `/units/${me.org_unit.id}/children`, { token: teacherToken })).items.filter(
    (u) => u.level === 'group' && u.active && agreed.has(u.id),
  );
  assert.ok(groups.length >= 5, 'the kindergarten has groups with a consent');
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A new sheet of the teacher for group i, and the first evidence slot of the instrument. */
async function sheetWithSlot(i) {
  const sheet = await api('POST', '/submissions', {
    token: teacherToken,
    body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: groups[i].id },
  });
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: teacherToken })).definition;
  const section = definition.sections[0];
  const indicator = section.indicators[0];
  const slot = indicator.items.find((x) => x.type === 'evidence');
  return { sheet, section, indicator, slot };
}

/** A camera-like JPEG (w×h, noisy so it does not compress away), drawn by the browser. */
async function cameraJpeg(page, w, h, quality) {
  const b64 = await page.evaluate(
    async ([w, h, quality]) => {
      const c = new OffscreenCanvas(w, h);
      const g = c.getContext('2d');
      const img = g.createImageData(w, h);
      let x = 12345;
      for (let i = 0; i < img.data.length; i += 4) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        const p = i / 4;
        img.data[i] = ((p % w) * 255) / w + (x & 63);
        img.data[i + 1] = (Math.floor(p / w) * 255) / h + ((x >> 6) & 63);
        img.data[i + 2] = (x >> 12) & 255;
        img.data[i + 3] = 255;
      }
      g.putImageData(img, 0, 0);
      const blob = await c.convertToBlob({ type: 'image/jpeg', quality });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [w, h, quality],
  );
  return Buffer.from(b64, 'base64');
}

/** The outbox entries kept in IndexedDB: name, size, sha-256 and pixel size of each file. */
function storedOutbox(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const rq = indexedDB.open('vsok-forms');
      rq.onsuccess = () => resolve(rq.result);
      rq.onerror = () => reject(rq.error);
    });
    const all = await new Promise((resolve, reject) => {
      const rq = db.transaction('outbox').objectStore('outbox').getAll();
      rq.onsuccess = () => resolve(rq.result);
      rq.onerror = () => reject(rq.error);
    });
    db.close();
    const out = [];
    for (const r of all) {
      const buf = await r.file.arrayBuffer();
      const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))].map((b) => b.toString(16).padStart(2, '0')).join('');
      let width = 0;
      let height = 0;
      try {
        const bmp = await createImageBitmap(r.file);
        ({ width, height } = bmp);
      } catch {
        /* not an image */
      }
      out.push({ sheet: r.sheet, indicator: r.indicator, name: r.file.name, type: r.file.type, size: r.file.size, hash, width, height });
    }
    return out;
  });
}

/** Wait until the service worker controls the page (installed and claimed). */
async function controlled(page) {
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 30_000 });
}

/** The bytes of an evidence file as the server gives them. */
async function serverBytes(fileId) {
  const res = await fetch(`${BASE}/api/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${teacherToken}` } });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

const sha = (buf) => createHash('sha256').update(buf).digest('hex');

test('a photo picked offline waits on the device, survives a reload offline and reaches the server, shrunk', { timeout: 180_000 }, async () => {
  const { sheet, section, indicator, slot } = await sheetWithSlot(0);
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT, { serviceWorkers: 'allow' });
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
  const item = page.locator(`[data-code="${slot.code}"]`);
  await item.getByText('Добавить фото/видео').waitFor();
  await controlled(page);

  // A 3000×2250 camera photo, picked with the network off.
  const photo = await cameraJpeg(page, 3000, 2250, 0.95);
  assert.ok(photo.length > 1_000_000, `a big photo (${photo.length} bytes)`);
  const file = join(dir, 'камера.jpg');
  writeFileSync(file, photo);
  await context.setOffline(true);
  // The upload code is there offline (precached): it tries, and the try fails for want of network.
  const tried = page.waitForEvent('requestfailed', (r) => r.url() === `${BASE}/api/v1/uploads` && r.method() === 'POST');
  await item.locator('input[type=file][multiple]').setInputFiles(file);
  await tried;

  const row = item.locator('[data-upload]');
  await row.waitFor();
  await item.locator('[data-upload="waiting"]').waitFor({ timeout: 20_000 });
  const status = page.locator('.save[role=status]');
  await status.getByText('1 фото или видео ждёт сети').waitFor();
  assert.notEqual(await status.getAttribute('data-state'), 'saved', '«Сохранено» is not shown while a photo is unsent');

  // Kept on the device: the file itself, shrunk to 2048 px on its long side, without EXIF.
  const [kept] = await storedOutbox(page);
  assert.equal(kept.sheet, sheet.id);
  assert.equal(kept.indicator, indicator.code);
  assert.equal(kept.type, 'image/jpeg');
  assert.equal(Math.max(kept.width, kept.height), 2048);
  assert.equal(kept.width, 2048);
  assert.equal(kept.height, 1536);
  assert.ok(kept.size < photo.length, `smaller on the device: ${kept.size} < ${photo.length}`);

  // A reload with the network off: the app (service worker) and the unsent photo are there.
  await page.reload();
  await item.locator('[data-upload]').waitFor({ timeout: 20_000 });
  await page.locator('.save[role=status]').getByText('1 фото или видео ждёт сети').waitFor();
  await shot(page, 'outbox-offline-reload');

  // «Мои анкеты» offline says so too.
  await page.getByRole('link', { name: 'Мои анкеты' }).first().tap();
  await page.locator('.outbox-note').getByText('1 фото или видео ждёт сети').waitFor();
  await page.locator(`a[href="/forms/${sheet.id}"] [data-files="1"]`).waitFor();
  await page.goBack();
  await item.locator('[data-upload]').waitFor();

  // The network returns: the photo goes out by itself.
  await context.setOffline(false);
  await item.locator('.thumbs img').waitFor({ timeout: 60_000 });
  await item.locator('[data-upload]').waitFor({ state: 'detached' });
  await page.locator('.save[data-state="saved"]').waitFor();
  assert.deepEqual(await storedOutbox(page), [], 'nothing left in the outbox');

  const list = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacherToken })).items;
  assert.equal(list.length, 1, 'one file on the server');
  assert.equal(list[0].indicator, indicator.code);
  assert.equal(sha(await serverBytes(list[0].file_id)), kept.hash, 'the server has the bytes the page stored');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a tab closed in the middle of an upload continues at its offset when the sheet is opened again', { timeout: 240_000 }, async () => {
  const { sheet, section, slot } = await sheetWithSlot(1);
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT, { serviceWorkers: 'allow' });
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  // Originals kept (the setting): the file is sent as picked, so its size is known.
  await page.evaluate(() => localStorage.setItem('vsok.photos.original', '1'));
  await page.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
  const item = page.locator(`[data-code="${slot.code}"]`);
  await item.getByText('Добавить фото/видео').waitFor();

  const photo = await cameraJpeg(page, 1400, 1050, 1);
  assert.ok(photo.length > 1_200_000, `three chunks or more (${photo.length} bytes)`);
  const file = join(dir, 'большое.jpg');
  writeFileSync(file, photo);

  // A slow line (about 1.6 Mbit/s up): the upload takes several seconds per chunk.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: 400_000, uploadThroughput: 200_000 });
  await item.locator('input[type=file][multiple]').setInputFiles(file);

  // The upload's address, kept by tus-js-client under the outbox entry's fingerprint.
  const uploadUrl = await page.waitForFunction(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith('tus::vsok-outbox-')) return JSON.parse(localStorage.getItem(k)).uploadUrl;
    }
    return null;
  });
  const path = new URL(await uploadUrl.jsonValue(), BASE).pathname.replace('/api/v1', '');
  let state;
  for (let i = 0; i < 200; i++) {
    state = await api('GET', path, { token: teacherToken });
    if (state.offset > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(state.offset > 0 && state.offset < photo.length, `mid-way: ${state.offset} of ${photo.length}`);
  await page.close();
  const cut = (await api('GET', path, { token: teacherToken })).offset;
  assert.ok(cut < photo.length, 'the server does not have the whole file yet');
  assert.equal((await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacherToken })).items.length, 0);

  // Opened again (same device storage, full speed): the same upload continues.
  const again = await context.newPage();
  again.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const patches = [];
  again.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/uploads')) patches.push('POST');
    if (r.method() === 'PATCH' && r.url().includes('/api/v1/uploads/')) patches.push(Number(r.headers()['upload-offset']));
  });
  await again.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
  const item2 = again.locator(`[data-code="${slot.code}"]`);
  await item2.locator('.thumbs img').waitFor({ timeout: 60_000 });
  assert.ok(!patches.includes('POST'), `no new upload was created: ${JSON.stringify(patches)}`);
  assert.ok(patches.length && patches[0] >= cut && patches[0] > 0, `it went on at the server's offset ${cut}: ${JSON.stringify(patches)}`);
  const done = await api('GET', path, { token: teacherToken });
  assert.equal(done.complete, true);
  const list = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacherToken })).items;
  assert.equal(list.length, 1, 'uploaded once');
  assert.equal(list[0].file_id, done.file_id);
  assert.equal(sha(await serverBytes(list[0].file_id)), sha(photo), 'the whole file, byte for byte');
  assert.deepEqual(problems, []);
  await context.close();
});

test('two tabs with the same unsent photo send it once', { timeout: 180_000 }, async () => {
  const { sheet, section, slot } = await sheetWithSlot(3);
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT, { serviceWorkers: 'allow' });
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  const address = `${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`;
  await page.goto(address);
  const item = page.locator(`[data-code="${slot.code}"]`);
  await item.getByText('Добавить фото/видео').waitFor();
  await controlled(page);
  const file = join(dir, 'две-вкладки.jpg');
  writeFileSync(file, await cameraJpeg(page, 1200, 900, 0.9));

  await context.setOffline(true);
  await item.locator('input[type=file][multiple]').setInputFiles(file);
  await item.locator('[data-upload="waiting"]').waitFor({ timeout: 20_000 });
  // A second tab of the app, opened offline, finds the same entry in the outbox.
  const second = await context.newPage();
  second.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await second.goto(address);
  await second.locator(`[data-code="${slot.code}"] [data-upload]`).waitFor({ timeout: 20_000 });

  const created = [];
  context.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === `${BASE}/api/v1/uploads`) created.push(r.url());
  });
  await context.setOffline(false);
  await item.locator('.thumbs img').waitFor({ timeout: 60_000 });
  await second.locator(`[data-code="${slot.code}"] .thumbs img`).waitFor({ timeout: 60_000 });
  await second.locator(`[data-code="${slot.code}"] [data-upload]`).waitFor({ state: 'detached', timeout: 30_000 });
  const list = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacherToken })).items;
  assert.equal(list.length, 1, 'one file on the server');
  assert.equal(created.length, 1, `one upload created: ${created.length}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('after a cold start with the network off, the app opens and a sheet can be filled', { timeout: 180_000 }, async () => {
  const { sheet } = await sheetWithSlot(2);
  const profile = mkdtempSync(join(tmpdir(), 'vsok-profile-'));
  const options = {
    executablePath: process.env.VSOK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: TABLET_PORTRAIT,
    hasTouch: true,
    isMobile: true,
    locale: 'ru-RU',
  };
  try {
    // Online once: sign in and open the sheet (kept on the device, code in the service worker).
    let context = await chromium.launchPersistentContext(profile, options);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${BASE}/login`);
    assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
    await page.waitForURL(`${BASE}/`);
    await page.goto(`${BASE}/forms/${sheet.id}`);
    await page.locator('.save[role=status]').waitFor();
    await controlled(page);
    await context.close();

    // The browser started again with no network at all.
    context = await chromium.launchPersistentContext(profile, { ...options, offline: true });
    const problems = [];
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${BASE}/forms/${sheet.id}`);
    await page.locator('.save[role=status]').waitFor({ timeout: 20_000 });
    await page.getByText('Нет связи с сервером. Показана копия анкеты').waitFor();
    // An answer typed now is kept on the device.
    const choice = page.locator('.indicator input[type=radio], .indicator input[type=checkbox]').first();
    await choice.check({ force: true });
    await page.locator('.save[data-state="offline"], .save[data-state="error"]').waitFor({ timeout: 20_000 });
    // And the other pages of the app open too.
    await page.getByRole('link', { name: 'Мои анкеты' }).first().tap();
    await page.getByRole('heading', { name: 'Мои анкеты' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('unsent photos show their picture, and signing out with them asks first; cancelling keeps everything', { timeout: 180_000 }, async () => {
  const { sheet, section, slot } = await sheetWithSlot(4);
  const { context, page, problems } = await tablet(browser, TABLET_PORTRAIT, { serviceWorkers: 'allow' });
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
  const item = page.locator(`[data-code="${slot.code}"]`);
  await item.getByText('Добавить фото/видео').waitFor();
  await controlled(page);

  const files = [join(dir, 'первое.jpg'), join(dir, 'второе.jpg'), join(dir, 'третье.jpg')];
  for (const [i, f] of files.entries()) writeFileSync(f, await cameraJpeg(page, 640 + i, 480, 0.8));
  await context.setOffline(true);
  await item.locator('input[type=file][multiple]').setInputFiles(files);
  await item.locator('[data-upload="waiting"]').first().waitFor({ timeout: 20_000 });
  assert.equal(await item.locator('[data-upload]').count(), 3);

  // Each unsent row shows the photo from the file kept on the device.
  const thumbs = item.locator('[data-upload] img[data-outbox-thumb]');
  await thumbs.nth(2).waitFor();
  for (let i = 0; i < 3; i++) assert.match(await thumbs.nth(i).getAttribute('src'), /^blob:/);
  assert.ok(await thumbs.first().evaluate((img) => img.complete && img.naturalWidth > 0), 'the picture is drawn');

  // «Выйти» with three photos not yet on the server: the question comes first.
  await page.locator('button.who').tap();
  await page.locator('#user-menu').getByRole('button', { name: 'Выйти' }).tap();
  const dialog = page.locator('dialog.confirm');
  await dialog.getByRole('heading', { name: 'Выйти всё равно?' }).waitFor();
  assert.match(await dialog.textContent(), /3 фото ещё не отправлены\./);
  await shot(page, 'outbox-sign-out-question');

  // «Отмена»: still signed in, the photos still waiting on the sheet and on the device.
  await dialog.getByRole('button', { name: 'Отмена' }).tap();
  await dialog.waitFor({ state: 'detached' });
  await page.locator('button.who').waitFor();
  assert.equal(await page.evaluate(() => location.pathname), `/forms/${sheet.id}`);
  assert.equal(await item.locator('[data-upload]').count(), 3);
  assert.equal((await storedOutbox(page)).filter((r) => r.sheet === sheet.id).length, 3);
  assert.deepEqual(problems, []);
  await context.close();
});
