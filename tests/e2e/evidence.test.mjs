// Evidence on a touch tablet: the teacher attaches a photo to an indicator of a quality-scale
// sheet (tus upload from the browser), sees its thumbnail (the bytes fetched with the token
// and shown from a blob: URL), and the kindergarten coordinator downloads the same bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BASE, ARTIFACTS, TABLET_PORTRAIT, launch, tablet, signInByTouch, api, token, day, solidPng, openCampaign } from './support.mjs';

let browser;
let campaign;
let qs;
let dir;


before(async () => {
  browser = await launch();
  dir = mkdtempSync(join(tmpdir(), 'vsok-evidence-'));
  ({ campaign, instruments: { QS: qs } } = await openCampaign(`Проверка фото ${Date.now()}`, { codes: ['QS'], all: true }));
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('teacher attaches a photo to an indicator; the coordinator downloads the same bytes', { timeout: 120_000 }, async () => {
  // The teacher's sheet for one group of the kindergarten, created through the API.
  const teacherToken = await token('teacher');
  const me = await api('GET', '/me', { token: teacherToken });
  const groups = (await api('GET', `/units/${me.org_unit.id}/children`, { token: teacherToken })).items.filter(
    (u) => u.level === 'group' && u.active,
  );
  assert.ok(groups.length, 'the kindergarten has groups');
  // the group's parents consent to photos (docs/api-evidence.md, "Consent")
  await api('PUT', `/units/${groups[0].id}/consent`, { token: await token('doo'), body: { consented: true, date: day(0) } });
  const sheet = await api('POST', '/submissions', {
    token: teacherToken,
    body: { campaign_id: campaign.id, instrument_id: qs.id, target_unit_id: groups[0].id },
  });
  const definition = (await api('GET', `/instruments/${qs.id}`, { token: teacherToken })).definition;
  const section = definition.sections[0];
  const indicator = section.indicators[0];
  const slot = indicator.items.find((i) => i.type === 'evidence');
  assert.ok(slot, `${indicator.code} has an evidence slot`);

  const bytes = solidPng(8);
  const file = join(dir, 'фото-группы.png');
  writeFileSync(file, bytes);

  const { page, problems } = await tablet(browser, TABLET_PORTRAIT);
  await page.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(page, 'teacher', 'demo')).status(), 200);
  await page.waitForURL(`${BASE}/`);
  await page.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);

  const item = page.locator(`[data-code="${slot.code}"]`);
  await item.getByText('Добавить фото/видео').waitFor();
  await item.getByText('Снять на камеру').waitFor();
  const picker = item.locator('input[type=file][multiple]');
  assert.equal(await picker.getAttribute('accept'), 'image/*,video/*');
  assert.equal(await item.locator('input[type=file][capture="environment"]').count(), 1);

  const created = page.waitForResponse((r) => r.url() === `${BASE}/api/v1/uploads` && r.request().method() === 'POST');
  await picker.setInputFiles(file);
  const post = await created;
  assert.equal(post.status(), 201);
  assert.match(post.request().headers().authorization || '', /^Bearer \S+/, 'the upload carries the access token');

  // The thumbnail: an <img> from a blob: URL that decoded.
  const img = item.locator('.thumbs img');
  await img.waitFor({ timeout: 20_000 });
  await page.waitForFunction(
    (code) => {
      const el = document.querySelector(`[data-code="${code}"] .thumbs img`);
      return el && el.complete && el.naturalWidth > 0;
    },
    slot.code,
  );
  assert.match(await img.getAttribute('src'), /^blob:/);
  assert.equal(await img.evaluate((el) => el.naturalWidth), 8);
  assert.equal(await item.locator('[data-upload]').count(), 0, 'no upload left in progress');
  assert.equal(await item.getByRole('button', { name: /^Удалить/ }).count(), 1);

  // Touch targets of the slot.
  const small = await item.evaluate((root) =>
    [...root.querySelectorAll('button, input, label')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ el: el.getAttribute('aria-label') || el.textContent.trim(), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
  assert.deepEqual(small, [], 'touch targets of the evidence slot');
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'evidence-portrait.png') });

  // A tap on the thumbnail opens the photo full size; Close (or Escape) brings the form back.
  await item.getByRole('button', { name: 'Открыть фото «фото-группы.png»' }).tap();
  const dialog = item.locator('dialog.lightbox');
  await page.waitForFunction(
    (code) => {
      const el = document.querySelector(`[data-code="${code}"] dialog[open] figure img`);
      return el && el.complete && el.naturalWidth === 8;
    },
    slot.code,
  );
  assert.equal(await dialog.locator('figcaption').textContent(), 'фото-группы.png');
  await page.screenshot({ path: join(ARTIFACTS, 'evidence-lightbox.png') });
  await dialog.getByRole('button', { name: 'Закрыть' }).tap();
  assert.equal(await dialog.evaluate((d) => d.open), false);

  // A caption typed under the preview is saved on the server.
  const caption = item.getByLabel('Подпись к «фото-группы.png»');
  const patched = page.waitForResponse((r) => r.url().includes(`/submissions/${sheet.id}/evidence/`) && r.request().method() === 'PATCH');
  await caption.fill('Центр воды и песка');
  await caption.press('Tab');
  assert.equal((await patched).status(), 200);

  // A video: its poster, then playback from a signed address (no token), by ranges.
  const clip = join(dir, 'прогулка.webm');
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=10', '-t', '2', '-c:v', 'libvpx', '-b:v', '300k', clip]);
  const ranges = [];
  page.on('request', (r) => {
    if (r.url().includes('/stream?')) ranges.push(r.headers().range || '');
  });
  await picker.setInputFiles(clip);
  const videoButton = item.getByRole('button', { name: 'Видео «прогулка.webm»: показать или скрыть' });
  await videoButton.waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    (code) => {
      const el = document.querySelector(`[data-code="${code}"] img.poster`);
      return el && el.complete && el.naturalWidth > 0;
    },
    slot.code,
  );
  await videoButton.tap();
  const video = item.locator('.player video');
  await video.waitFor();
  assert.match(await video.getAttribute('src'), /\/api\/v1\/files\/\d+\/stream\?u=\d+&e=\d+&s=/);
  await page.waitForFunction((code) => {
    const v = document.querySelector(`[data-code="${code}"] .player video`);
    return v && v.readyState >= 1 && v.duration > 1.5;
  }, slot.code);
  await video.evaluate((v) => (v.currentTime = 1.5));
  await page.waitForFunction((code) => document.querySelector(`[data-code="${code}"] .player video`).seeking === false, slot.code);
  assert.ok(ranges.length >= 1 && ranges.every((h) => /^bytes=\d+-/.test(h)), `the player asked by ranges: ${JSON.stringify(ranges)}`);
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'evidence-video.png') });
  assert.deepEqual(problems, []);

  // The kindergarten coordinator reads the list and downloads the same bytes.
  const doo = await token('doo');
  const list = (await api('GET', `/submissions/${sheet.id}/evidence`, { token: doo })).items;
  const mine = list.filter((f) => f.indicator === indicator.code);
  assert.equal(mine.length, 2);
  const photo = mine.find((f) => f.kind === 'photo');
  assert.equal(photo.caption, 'Центр воды и песка');
  mine.splice(0, 2, photo);
  assert.equal(mine[0].name, 'фото-группы.png');
  assert.equal(mine[0].mime, 'image/png');
  const res = await fetch(`${BASE}/api/v1/files/${mine[0].file_id}`, { headers: { Authorization: `Bearer ${doo}` } });
  assert.equal(res.status, 200);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes), 'downloaded bytes equal the uploaded ones');

  // … and opens it in the browser: the sheet read-only, the preview with its caption, the
  // photo full size.
  const coordinator = await tablet(browser, TABLET_PORTRAIT);
  const cp = coordinator.page;
  await cp.goto(`${BASE}/login`);
  assert.equal((await signInByTouch(cp, 'doo', 'demo')).status(), 200);
  await cp.waitForURL(`${BASE}/`);
  await cp.goto(`${BASE}/forms/${sheet.id}?area=${encodeURIComponent(section.code)}`);
  const slotRead = cp.locator(`[data-code="${slot.code}"]`);
  await slotRead.locator('.thumbs img').first().waitFor({ timeout: 20_000 });
  assert.equal(await slotRead.getByText('Добавить фото/видео').count(), 0, 'the coordinator does not add files');
  assert.equal(await slotRead.getByRole('button', { name: /^Удалить/ }).count(), 0, 'nor removes them');
  await slotRead.getByText('Центр воды и песка').waitFor();
  await slotRead.getByRole('button', { name: 'Открыть фото «фото-группы.png»' }).tap();
  await cp.waitForFunction(
    (code) => {
      const el = document.querySelector(`[data-code="${code}"] dialog[open] figure img`);
      return el && el.complete && el.naturalWidth === 8;
    },
    slot.code,
  );
  assert.equal(await slotRead.locator('dialog figcaption').textContent(), 'Центр воды и песка');
  await cp.screenshot({ path: join(ARTIFACTS, 'evidence-coordinator.png') });
  assert.deepEqual(coordinator.problems, []);
});
