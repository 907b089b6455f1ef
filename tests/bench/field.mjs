// make bench, field part: a 3 MB camera photo attached to a sheet on a bad kindergarten
// line (400 kbit/s both ways, 400 ms latency: CDP Network.emulateNetworkConditions), sent
// as picked (the setting «Отправлять фото в исходном размере») and shrunk on the device
// (2048 px, JPEG 0.85: frontend/src/features/forms/shrink.js). For each: the bytes the server
// stored and the time from picking the file to its thumbnail on the sheet. Chromium through
// playwright-core, as the browser tests.
//
//   VSOK_BENCH_URL        the stack (default http://127.0.0.1:28080), loopback only
//   VSOK_BENCH_FIELD_RUNS runs of each variant (1); the median is printed
//   VSOK_CHROMIUM         the browser (/usr/bin/chromium)
import { chromium } from 'playwright-core';
import { LINE, api as apiOf, benchBase, day, login as loginOf, median } from './slow-line.mjs';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';

const BASE = benchBase('field');
const RUNS = Math.max(1, Number(process.env.VSOK_BENCH_FIELD_RUNS || 1));
const api = (method, path, opts) => apiOf(BASE, method, path, opts);
const login = (name) => loginOf(BASE, name);

/** A 4000×3000 camera-like JPEG of about 3 MB (noise over gradients), drawn by the browser. */
async function cameraJpeg(page) {
  const b64 = await page.evaluate(async () => {
    const [w, h] = [4000, 3000];
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    const img = g.createImageData(w, h);
    let x = 777;
    for (let i = 0; i < img.data.length; i += 4) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      const p = i / 4;
      img.data[i] = ((p % w) * 200) / w + (x & 31);
      img.data[i + 1] = (Math.floor(p / w) * 200) / h + ((x >> 5) & 31);
      img.data[i + 2] = 90 + ((x >> 10) & 31);
      img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.905 })).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return Buffer.from(b64, 'base64');
}

async function main() {
  const region = await login('region');
  const teacher = await login('teacher');
  const instruments = (await api('GET', '/instruments', { token: region })).items;
  const qs = instruments.find((i) => i.code === 'QS');
  const campaign = await api('POST', '/campaigns', {
    token: region,
    body: {
      title: `Замер фото ${Date.now()}`,
      year: new Date().getFullYear(),
      opens_on: day(-2),
      closes_on: day(30),
      instrument_ids: instruments.filter((i) => i.status === 'published').map((i) => i.id),
    },
  });
  const me = await api('GET', '/me', { token: teacher });
  const group = (await api('GET', `/units/${me.org_unit.id}/children`, { token: teacher })).items.find((u) => u.level === 'group' && u.active);
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: teacher })).definition;
  const section = definition.sections[0];
  const indicator = section.indicators[0];
  const slot = indicator.items.find((x) => x.type === 'evidence');

  const dir = mkdtempSync(join(tmpdir(), 'vsok-bench-field-'));
  const browser = await chromium.launch({
    executablePath: process.env.VSOK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  const results = { original: [], shrunk: [] };
  let photoBytes = 0;
  try {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${BASE}/login`);
    await page.getByLabel('Логин', { exact: true }).fill('teacher');
    await page.getByLabel('Пароль', { exact: true }).fill('demo');
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await page.waitForURL(`${BASE}/`);
    const photo = await cameraJpeg(page);
    photoBytes = photo.length;
    const file = join(dir, 'IMG_0001.jpg');
    writeFileSync(file, photo);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');

    // The group's sheet of this campaign; each run attaches one more file to it.
    const sheet = await api('POST', '/submissions', {
      token: teacher,
      body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: group.id },
    });
    for (let run = 0; run < RUNS; run++) {
      for (const variant of ['original', 'shrunk']) {
        await page.evaluate((keep) => (keep ? localStorage.setItem('vsok.photos.original', '1') : localStorage.removeItem('vsok.photos.original')), variant === 'original');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        await page.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
        const item = page.locator(`[data-code="${slot.code}"]`);
        await item.getByText('Добавить фото/видео').waitFor({ timeout: 30_000 });
        const before = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacher })).items.length;
        await cdp.send('Network.emulateNetworkConditions', LINE);
        const t0 = performance.now();
        await item.locator('input[type=file][multiple]').setInputFiles(file);
        // In the outbox until the server has it, then listed with its thumbnail.
        await item.locator('[data-upload]').waitFor({ timeout: 30_000 });
        await item.locator('[data-upload]').waitFor({ state: 'detached', timeout: 300_000 });
        await item.locator('.thumbs li').nth(before).locator('img').waitFor({ timeout: 60_000 });
        const seconds = (performance.now() - t0) / 1000;
        const list = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: teacher })).items;
        if (list.length !== before + 1) throw new Error(`expected ${before + 1} files on the sheet, found ${list.length}`);
        const stored = list[list.length - 1];
        results[variant].push({ seconds, bytes: stored.size });
      }
    }
    await context.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const row = (name, xs) => {
    const s = median(xs.map((x) => x.seconds));
    const b = median(xs.map((x) => x.bytes));
    return { name, s, b, line: `${name.padEnd(30)} ${String(b).padStart(9)} B  ${s.toFixed(1).padStart(6)} s` };
  };
  const o = row('as picked (original setting)', results.original);
  const r = row('shrunk on the device', results.shrunk);
  console.log(`\n== field: a ${(photoBytes / 1e6).toFixed(1)} MB 4000×3000 camera JPEG on 400 kbit/s, 400 ms (median of ${RUNS}) ==`);
  console.log(`${''.padEnd(30)} ${'stored'.padStart(11)}  ${'pick → thumbnail'.padStart(8)}`);
  console.log(o.line);
  console.log(r.line);
  console.log(`field: ${(o.b / r.b).toFixed(1)}× fewer bytes, ${(o.s / r.s).toFixed(1)}× faster with the photo shrunk on the device`);
}

main().catch((e) => {
  console.error(`bench field: ${e.stack || e}`);
  process.exit(1);
});
