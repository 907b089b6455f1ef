// The outbox: every photo or video picked for a sheet is first written to IndexedDB (the
// file itself) and stays there until the server has all of it. One queue per signed-in
// user, for all sheets, running whatever page is shown: one upload at a time (the first
// photo gets through sooner on a slow line), tus with a fingerprint per outbox entry so
// that an upload cut by a reload, a crash or a closed tab continues at the server's offset.
// A dropped network puts the entry to wait; it goes again on `online` and on a timer with
// back-off. Only the server's refusal (too large, wrong type) stops an entry, and even then
// the file stays on the device until the user cancels it.
import { accessTokenNow, request } from '../../shared/session.svelte.js';
import { API_BASE } from '../../shared/api.js';
import { idbAll, idbGet, idbPut, idbDelete, OUTBOX, SHEETS } from './idb.js';
import { shrinkPhoto } from './shrink.js';

// Chunks small enough that a cut line loses little: ~10 s each at 400 kbit/s.
const CHUNK = 512 * 1024;
const RETRY_DELAYS = [0, 1000, 3000];
const BACKOFF = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

/**
 * items: [{key, sheet, indicator, name, type, total, sent, speed, left, state, message,
 * status, attempt, retryAt}]; state is queued | uploading | waiting (no network, retried
 * by itself) | paused | error (refused; kept until cancelled) | finishing.
 */
export const outbox = $state({ items: [], user: null });

const running = new Map(); // key -> tus Upload
const endings = new Map(); // key -> resolve() of the send in progress (releases its lock)
const finishedListeners = new Set();
let timer = null;
let wired = false;

// tus-js-client is a chunk of its own (not needed on the login page); the service worker
// precaches it with the shell, so the first photo picked offline still finds it. Should it
// fail to load all the same, the entry waits and is tried again like a lost network.
let tusModule = null;
function loadTus() {
  if (!tusModule) {
    tusModule = import('tus-js-client').catch((e) => {
      tusModule = null;
      throw e;
    });
  }
  return tusModule;
}

/** Entries of one sheet (all when `sheet` is omitted) not yet on the server. */
export function unsentOf(sheet) {
  return outbox.items.filter((u) => sheet === undefined || u.sheet === sheet);
}

/**
 * What signing out would leave behind on this device: {photos, videos, answers} not yet on
 * the server (they stay for the same user's next sign-in, but she should know first).
 */
export async function unsentSummary() {
  const photos = outbox.items.filter((u) => u.type.startsWith('image/')).length;
  let answers = 0;
  try {
    for (const r of await idbAll(SHEETS)) {
      if (r.user_id === outbox.user) answers += Object.keys(r.pending ?? {}).length;
    }
  } catch {
    /* no IndexedDB: nothing kept */
  }
  return { photos, videos: outbox.items.length - photos, answers };
}

/** Called with (sheet, indicator, file_id) whenever an entry reached the server. */
export function onUploaded(fn) {
  finishedListeners.add(fn);
  return () => finishedListeners.delete(fn);
}

function patch(key, change) {
  outbox.items = outbox.items.map((u) => (u.key === key ? { ...u, ...change } : u));
}

const find = (key) => outbox.items.find((u) => u.key === key);

function view(rec) {
  return {
    key: rec.id,
    sheet: rec.sheet,
    indicator: rec.indicator,
    name: rec.file.name,
    type: rec.file.type,
    total: rec.file.size,
    sent: 0,
    speed: 0,
    left: null,
    state: 'queued',
    message: '',
    status: 0,
    attempt: 0,
    retryAt: 0,
  };
}

/** Take up the signed-in user's outbox (page load, sign-in); other users' entries wait. */
export async function startOutbox(userId) {
  if (outbox.user === userId) return;
  stopOutbox();
  outbox.user = userId;
  wire();
  let records = [];
  try {
    records = (await idbAll(OUTBOX)).filter((r) => r.user_id === userId);
  } catch {
    return;
  }
  if (outbox.user !== userId) return;
  records.sort((a, b) => a.created - b.created);
  outbox.items = records.map(view);
  pump();
}

/** Sign-out: stop sending (the files stay on the device for the same user's next sign-in). */
export function stopOutbox() {
  for (const up of running.values()) up.abort();
  running.clear();
  for (const key of [...endings.keys()]) end(key);
  outbox.items = [];
  outbox.user = null;
}

/** Keep chosen files on the device first, then queue them. Photos are shrunk before. */
export async function enqueue(sheet, indicator, files) {
  const user = outbox.user;
  // Files kept on the device: ask the browser not to evict them under storage pressure.
  storageState().catch(() => {});
  for (const picked of files) {
    const file = await shrinkPhoto(picked);
    const rec = {
      id: `o${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      user_id: user,
      sheet,
      indicator,
      file,
      created: Date.now(),
    };
    const item = view(rec);
    try {
      await idbPut(OUTBOX, rec);
    } catch {
      // No room or no IndexedDB: still sent, but only while this page lives.
      item.volatile = rec.file;
    }
    if (outbox.user !== user) return;
    outbox.items = [...outbox.items, item];
  }
  pump();
}

function wire() {
  if (wired) return;
  wired = true;
  addEventListener('online', () => wake(true));
  // Closing the tab or reloading with files not yet sent: ask first (they stay on the
  // device either way and continue on the next visit).
  addEventListener('beforeunload', (e) => {
    if (!outbox.items.length) return;
    e.preventDefault();
    e.returnValue = '';
  });
}

/** Entries waiting for the network go again now (`all`) or when their time has come. */
function wake(all = false) {
  const now = Date.now();
  for (const u of outbox.items) {
    if (u.state === 'waiting' && (all || u.retryAt <= now)) patch(u.key, { state: 'queued', attempt: all ? 0 : u.attempt });
  }
  pump();
}

function schedule() {
  clearTimeout(timer);
  const next = Math.min(...outbox.items.filter((u) => u.state === 'waiting').map((u) => u.retryAt));
  if (Number.isFinite(next)) timer = setTimeout(() => wake(false), Math.max(0, next - Date.now()));
}

/** Start the next queued entry unless one is being sent. */
function pump() {
  schedule();
  if (outbox.items.some((u) => u.state === 'uploading' || u.state === 'finishing')) return;
  const next = outbox.items.find((u) => u.state === 'queued');
  if (next) send(next).catch(() => failed(next.key, null));
}

async function fileOf(item) {
  if (item.volatile) return item.volatile;
  return (await idbGet(OUTBOX, item.key))?.file ?? null;
}

/**
 * Send one entry from this tab only: two tabs of the app share the outbox, and one entry
 * sent by both at once could become two files. A Web Lock per entry decides; the tab that
 * does not get it lets the entry wait and looks again later (by then it may be gone).
 */
function send(item) {
  if (!navigator.locks?.request) return sendHere(item);
  return navigator.locks.request(`vsok-outbox-${item.key}`, { ifAvailable: true }, (lock) => {
    if (lock) return sendHere(item);
    patch(item.key, { state: 'waiting', retryAt: Date.now() + BACKOFF[0] });
    pump();
    return null;
  });
}

/** Resolves when the upload has ended here (sent, failed, paused, cancelled, signed out). */
function ended(key) {
  return new Promise((resolve) => endings.set(key, resolve));
}

function end(key) {
  endings.get(key)?.();
  endings.delete(key);
}

async function sendHere(item) {
  const key = item.key;
  patch(key, { state: 'uploading', message: '', status: 0 });
  const file = await fileOf(item);
  if (!file) {
    // Sent meanwhile by another tab (or cancelled there): the sheet's list is read again.
    await forget(key);
    for (const fn of finishedListeners) fn(item.sheet, item.indicator, null);
    pump();
    return;
  }
  const { Upload } = await loadTus();
  if (!find(key) || find(key).state !== 'uploading') return;
  let renew = false;
  const upload = new Upload(file, {
    endpoint: `${API_BASE}/uploads`,
    chunkSize: CHUNK,
    retryDelays: RETRY_DELAYS,
    // One fingerprint per outbox entry: the same file picked twice is two uploads, and a
    // reopened tab finds its upload URL (localStorage) and asks the server for the offset.
    fingerprint: () => Promise.resolve(`vsok-outbox-${key}`),
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    metadata: {
      filename: file.name,
      filetype: file.type || 'application/octet-stream',
      submission: String(item.sheet),
      indicator: item.indicator,
    },
    onBeforeRequest: async (req) => {
      const token = await accessTokenNow({ renew });
      renew = false;
      req.setHeader('Authorization', `Bearer ${token}`);
    },
    onShouldRetry: (err, attempt) => {
      const status = err?.originalResponse ? err.originalResponse.getStatus() : 0;
      if (status === 401) {
        renew = true;
        return attempt < 2;
      }
      if (status >= 400 && status < 500 && status !== 409 && status !== 423) return false;
      return navigator.onLine !== false;
    },
    onProgress: (sent, total) => progress(key, sent, total),
    onError: (err) => {
      running.delete(key);
      end(key);
      failed(key, err);
    },
    onSuccess: () => {
      running.delete(key);
      finished(key, upload).finally(() => end(key));
    },
  });
  running.set(key, upload);
  const done = ended(key);
  try {
    const previous = await upload.findPreviousUploads();
    if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
  } catch {
    /* no stored URL: a new upload */
  }
  if (running.get(key) !== upload) {
    end(key);
    return;
  }
  upload.start();
  await done;
}

/** Bytes sent so far, with the speed over the last seconds and the time left from it. */
function progress(key, sent, total) {
  const u = find(key);
  if (!u) return;
  const now = performance.now();
  const samples = [...(u.samples ?? []).filter((x) => now - x.t < 5000), { t: now, sent }];
  const first = samples[0];
  const dt = (now - first.t) / 1000;
  const speed = dt >= 0.5 && sent > first.sent ? (sent - first.sent) / dt : (u.speed ?? 0);
  const left = speed > 0 ? Math.ceil((total - sent) / speed) : null;
  patch(key, { sent, total, samples, speed, left });
}

/** The problem+json title/detail from a tus error, or ''. */
function tusMessage(err) {
  const res = err?.originalResponse;
  if (!res) return '';
  try {
    const p = JSON.parse(res.getBody() || 'null');
    return p?.detail || p?.title || '';
  } catch {
    return '';
  }
}

function failed(key, err) {
  const u = find(key);
  if (!u) return;
  const status = err?.originalResponse ? err.originalResponse.getStatus() : 0;
  const refused = status >= 400 && status < 500 && ![401, 409, 423, 429].includes(status);
  if (refused) patch(key, { state: 'error', message: tusMessage(err), status });
  else {
    // No network, a server away or busy: wait and go again by itself.
    const delay = BACKOFF[Math.min(u.attempt, BACKOFF.length - 1)];
    patch(key, { state: 'waiting', status, attempt: u.attempt + 1, retryAt: Date.now() + delay, speed: 0, left: null });
  }
  pump();
}

async function finished(key, upload) {
  const u = find(key);
  if (!u) return;
  patch(key, { state: 'finishing' });
  let fileId = null;
  try {
    const path = new URL(upload.url, location.href).pathname;
    const st = await request('GET', path.startsWith(API_BASE) ? path.slice(API_BASE.length) : path);
    fileId = st?.file_id ?? null;
  } catch {
    // The bytes are all on the server; its answer is only for the list. Nothing to resend.
  }
  await forget(key);
  for (const fn of finishedListeners) fn(u.sheet, u.indicator, fileId);
  pump();
}

async function forget(key) {
  outbox.items = outbox.items.filter((u) => u.key !== key);
  await idbDelete(OUTBOX, key).catch(() => {});
  // The upload address tus-js-client kept for this entry (gone already after a success).
  try {
    const prefix = `tus::vsok-outbox-${key}::`;
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k?.startsWith(prefix)) localStorage.removeItem(k);
    }
  } catch {
    /* storage blocked: nothing was kept */
  }
}

export function pause(key) {
  running.get(key)?.abort();
  running.delete(key);
  end(key);
  patch(key, { state: 'paused', speed: 0, left: null });
  pump();
}

/** «Продолжить» / «Повторить»: back into the queue at once. */
export function resume(key) {
  patch(key, { state: 'queued', attempt: 0, message: '', status: 0 });
  pump();
}

/** Cancel an entry: removed from the device; the server expires what it got. */
export async function dismiss(key) {
  const up = running.get(key);
  running.delete(key);
  end(key);
  if (up) up.abort(true).catch(() => {});
  await forget(key);
  pump();
}

/** Ask the browser to keep this site's storage under pressure; what is left. */
export async function storageState() {
  const s = navigator.storage;
  if (!s) return null;
  let persisted = false;
  try {
    persisted = (await s.persisted?.()) || (await s.persist?.()) || false;
  } catch {
    /* not granted */
  }
  let quota = 0;
  let usage = 0;
  try {
    ({ quota = 0, usage = 0 } = (await s.estimate?.()) ?? {});
  } catch {
    /* unknown */
  }
  return { persisted, quota, usage, free: Math.max(0, quota - usage) };
}
