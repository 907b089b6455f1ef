// One sheet being filled: the copy the server last confirmed (`sheet`, with its version)
// and the changed answers not yet confirmed (`pending`). Every change is written to
// IndexedDB at once, so a reload (online or not) shows everything typed; the changes go to
// the server in a debounced PATCH based on the confirmed version, are retried when the
// network returns, and a version conflict is put to the user, never resolved silently.
import { ApiError, NetworkError, received } from '../../shared/api.js';
import { request, session } from '../../shared/session.svelte.js';
import { idbGet, idbPut, idbDelete, idbAll, SHEETS, INSTRUMENTS } from './idb.js';
import { sameValue } from './instrument.js';

const DEBOUNCE_MS = 1000;
const RETRY_MS = 15_000;

const isConflict = (e) => e instanceof ApiError && e.status === 409 && /version-conflict$/.test(e.problem?.type || '');
/** No answer from the server at all, or a server that is down: worth retrying later. */
const isTransient = (e) => e instanceof NetworkError || (e instanceof ApiError && (e.status >= 500 || e.status === 429));

const plain = (v) => JSON.parse(JSON.stringify(v ?? null));

/** The drafts open on this page, by sheet id (the background sync leaves them alone). */
const open = new Map();

export class Draft {
  id;
  userId;
  /** The server's copy: {id, version, status, answers, progress, scores, history, can_edit, …}. */
  sheet = $state(null);
  /** code → value (null: remove) typed here and not yet confirmed by the server. */
  pending = $state({});
  /** code → {value, message}: values the server refused in a draft save (422). */
  rejected = $state({});
  /** code → message: what the last submit found missing or wrong. */
  errors = $state({});
  /** {current_version, theirs: {code: value}} while the user chooses how to resolve. */
  conflict = $state(null);
  /** 'idle' | 'waiting' | 'saving' | 'offline' | 'error' | 'locked' */
  phase = $state('idle');
  /** Shown from this device's copy because the server could not be reached. */
  fromDevice = $state(false);
  /** IndexedDB refused to store (private mode, quota): changes live only in this page. */
  deviceError = $state(false);
  /** The sheet's instrument when the server's answer carried it (?with=instrument). */
  instrument = null;

  answers = $derived.by(() => {
    const out = { ...(this.sheet?.answers ?? {}) };
    for (const [code, v] of Object.entries(this.pending)) {
      if (v === null) delete out[code];
      else out[code] = v;
    }
    return out;
  });
  unsent = $derived(Object.keys(this.pending).length);
  editable = $derived(!!this.sheet?.can_edit && this.phase !== 'locked');

  #timer = 0;
  #busy = false;
  #disposed = false;
  #onOnline = () => this.flush();
  #onVisible = () => {
    if (document.visibilityState === 'visible') this.flush();
  };

  constructor(id, userId) {
    this.id = id;
    this.userId = userId;
  }

  /** The visible state of saving. */
  get saveState() {
    if (this.conflict) return 'conflict';
    if (this.phase === 'locked') return this.unsent ? 'locked' : 'saved';
    if (this.#sendable().length === 0) return Object.keys(this.rejected).length && this.unsent ? 'invalid' : 'saved';
    if (this.phase === 'offline') return 'offline';
    if (this.phase === 'error') return 'error';
    return 'saving';
  }

  /**
   * Read this device's copy, then the server's. Returns 'ok', 'missing' (no such sheet
   * for this user) or 'unreachable' (no network and no copy on this device).
   */
  async load() {
    open.set(this.id, this);
    addEventListener('online', this.#onOnline);
    document.addEventListener('visibilitychange', this.#onVisible);
    const { stored, server, error: e } = await fetchSheet(this.id, this.userId);
    if (stored) {
      this.sheet = stored.sheet;
      this.pending = stored.pending ?? {};
      this.rejected = stored.rejected ?? {};
    }
    if (e) {
      if (isTransient(e) && stored) {
        this.fromDevice = true;
        this.phase = e instanceof NetworkError ? 'offline' : 'error';
        this.#retryLater();
        return 'ok';
      }
      if (e instanceof ApiError && e.status === 404) {
        if (stored) idbDelete(SHEETS, this.id).catch(() => {});
        return 'missing';
      }
      if (isTransient(e)) return 'unreachable';
      throw e;
    }
    this.fromDevice = false;
    const { included, ...sheet } = server;
    if (included?.instrument) {
      this.instrument = included.instrument;
      idbPut(INSTRUMENTS, included.instrument).catch(() => {});
    }
    this.#adopt(sheet, stored?.sheet?.version);
    return 'ok';
  }

  /** Take a fresh copy from the server, keeping the changes not yet sent. */
  #adopt(server, baseVersion) {
    const pending = { ...this.pending };
    for (const [code, v] of Object.entries(pending)) {
      if (sameValue(v, server.answers?.[code] ?? null)) delete pending[code];
    }
    this.pending = pending;
    this.sheet = server;
    if (!server.can_edit) {
      this.phase = 'locked';
    } else if (Object.keys(pending).length && baseVersion !== undefined && baseVersion !== server.version) {
      // Saved elsewhere since this device's changes were made.
      this.#enterConflict(server.version, server.answers);
    } else {
      this.phase = 'idle';
      if (Object.keys(pending).length) this.#schedule(0);
    }
    this.persist();
  }

  #enterConflict(version, theirs) {
    const pending = { ...this.pending };
    for (const [code, v] of Object.entries(pending)) {
      if (sameValue(v, theirs?.[code] ?? null)) delete pending[code];
    }
    this.pending = pending;
    this.sheet = { ...this.sheet, version, answers: theirs ?? {} };
    if (Object.keys(pending).length === 0) {
      this.conflict = null;
      this.phase = 'idle';
    } else {
      this.conflict = { current_version: version, theirs: theirs ?? {} };
    }
  }

  /** Record one answer (null or an empty value clears it). */
  set(code, value) {
    if (!this.editable) return;
    if (value === '' || (Array.isArray(value) && value.length === 0)) value = null;
    const pending = { ...this.pending };
    if (sameValue(value, this.sheet.answers?.[code] ?? null)) delete pending[code];
    else pending[code] = value;
    this.pending = pending;
    if (this.errors[code]) {
      const errors = { ...this.errors };
      delete errors[code];
      this.errors = errors;
    }
    this.persist();
    this.#schedule(DEBOUNCE_MS);
  }

  /** Write this device's copy (the last write wins; IndexedDB keeps them in order). */
  persist() {
    if (!this.sheet) return Promise.resolve();
    const record = {
      id: this.id,
      user_id: this.userId,
      sheet: plain($state.snapshot(this.sheet)),
      pending: plain($state.snapshot(this.pending)),
      rejected: plain($state.snapshot(this.rejected)),
      saved_at: Date.now(),
    };
    return idbPut(SHEETS, record).then(
      () => (this.deviceError = false),
      () => (this.deviceError = true),
    );
  }

  #schedule(ms) {
    clearTimeout(this.#timer);
    if (this.#disposed) return;
    if (ms > 0 && this.phase !== 'offline' && this.phase !== 'error') this.phase = 'waiting';
    this.#timer = setTimeout(() => this.flush(), ms);
  }

  #retryLater() {
    clearTimeout(this.#timer);
    if (!this.#disposed) this.#timer = setTimeout(() => this.flush(), RETRY_MS);
  }

  /** The pending codes worth sending (not a value the server already refused). */
  #sendable() {
    return Object.keys(this.pending).filter((code) => {
      const r = this.rejected[code];
      return !r || !sameValue(r.value, this.pending[code]);
    });
  }

  /** Send the changed answers now. Resolves when this attempt is over. */
  async flush() {
    clearTimeout(this.#timer);
    if (this.#busy || this.conflict || !this.sheet || this.phase === 'locked') return;
    if (session.status !== 'authed') return;
    const codes = this.#sendable();
    if (!codes.length) {
      if (this.fromDevice) await this.#reconnect();
      else this.phase = 'idle';
      return;
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.phase = 'offline';
      this.#retryLater();
      return;
    }
    const sent = {};
    for (const code of codes) sent[code] = plain($state.snapshot(this.pending[code]));
    this.#busy = true;
    this.phase = 'saving';
    try {
      const res = await request('PATCH', `/submissions/${this.id}`, { base_version: this.sheet.version, answers: sent });
      const answers = { ...(this.sheet.answers ?? {}) };
      for (const [code, v] of Object.entries(sent)) {
        if (v === null) delete answers[code];
        else answers[code] = v;
      }
      this.sheet = { ...this.sheet, version: res.version, status: res.status, progress: res.progress, answers };
      const pending = { ...this.pending };
      const rejected = { ...this.rejected };
      for (const [code, v] of Object.entries(sent)) {
        if (sameValue(pending[code], v)) delete pending[code];
        delete rejected[code];
      }
      this.pending = pending;
      this.rejected = rejected;
      this.phase = 'idle';
      await this.persist();
      if (this.fromDevice) this.refresh(); // history, status and rights as the server has them
      if (this.#sendable().length) this.#schedule(DEBOUNCE_MS);
    } catch (e) {
      await this.#failed(e, sent);
    } finally {
      this.#busy = false;
    }
  }

  async #failed(e, sent) {
    if (isConflict(e)) {
      this.#enterConflict(e.problem.current_version, e.problem.current_answers);
      this.phase = 'idle';
      await this.persist();
      if (!this.conflict) this.#schedule(0);
      return;
    }
    if (e instanceof ApiError && e.status === 422 && Array.isArray(e.problem?.errors)) {
      const rejected = { ...this.rejected };
      let known = 0;
      for (const err of e.problem.errors) {
        if (err?.field in sent) {
          rejected[err.field] = { value: sent[err.field], message: err.message };
          known++;
        }
      }
      this.rejected = rejected;
      await this.persist();
      if (known) {
        this.phase = 'idle';
        if (this.#sendable().length) this.#schedule(0);
        return;
      }
    }
    if (e instanceof ApiError && (e.status === 409 || e.status === 403 || e.status === 404)) {
      // Submitted, approved, campaign closed, or no longer ours: nothing more can be saved.
      this.phase = 'locked';
      this.sheet = { ...this.sheet, can_edit: false };
      await this.persist();
      this.refresh();
      return;
    }
    this.phase = e instanceof NetworkError || !(e instanceof ApiError) ? 'offline' : 'error';
    if (e instanceof ApiError && e.status === 401) this.phase = 'offline'; // signed out: kept here
    this.#retryLater();
  }

  /** Re-read the server's copy (after a lock, or to see a reviewer's decision). */
  async refresh() {
    try {
      const server = await request('GET', `/submissions/${this.id}`);
      this.fromDevice = false;
      this.#adopt(server, this.sheet?.version);
      return true;
    } catch {
      return false; // keep what is shown
    }
  }

  /** Shown from this device's copy: try the server again, and again later. */
  async #reconnect() {
    this.#busy = true;
    try {
      if (!(await this.refresh())) {
        this.phase = 'offline';
        this.#retryLater();
      }
    } finally {
      this.#busy = false;
    }
  }

  /** "Try again now" (the network is back, or the user thinks so). */
  retry() {
    if (this.fromDevice && !this.#sendable().length) this.#reconnect();
    else this.flush();
  }

  /** Conflict: write my changed answers on top of the current version. */
  keepMine() {
    if (!this.conflict) return;
    this.conflict = null;
    this.phase = 'idle';
    this.persist();
    this.flush();
  }

  /** Conflict: drop my unsent changes and take the saved version. */
  takeTheirs() {
    if (!this.conflict) return;
    this.conflict = null;
    this.pending = {};
    this.rejected = {};
    this.phase = 'idle';
    this.persist();
    this.refresh();
  }

  /** Give up the unsent changes (a sheet that can no longer be edited). */
  discardUnsent() {
    this.pending = {};
    this.rejected = {};
    this.persist();
  }

  /**
   * Submit: every change must be saved first. Returns {ok}, {errors: [{field, message}]},
   * {blocked: saveState} or {failure: error}.
   */
  async submit() {
    for (let i = 0; i < 3 && this.#sendable().length && !this.conflict; i++) await this.flush();
    if (this.conflict || this.#sendable().length) return { blocked: this.saveState };
    if (Object.keys(this.rejected).length && this.unsent) return { blocked: 'invalid' };
    try {
      const sheet = await request('POST', `/submissions/${this.id}/submit`, { base_version: this.sheet.version });
      this.replace(sheet);
      return { ok: true };
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && Array.isArray(e.problem?.errors)) {
        const errors = {};
        for (const err of e.problem.errors) if (err?.field && !errors[err.field]) errors[err.field] = err.message;
        this.errors = errors;
        return { errors: e.problem.errors };
      }
      if (isConflict(e)) {
        await this.refresh();
        return { blocked: 'conflict' };
      }
      return { failure: e };
    }
  }

  /** A new server copy from submit, return or approve. */
  replace(sheet) {
    this.sheet = sheet;
    this.errors = {};
    this.phase = sheet.can_edit ? 'idle' : 'locked';
    this.persist();
  }

  /** Leaving the page: send what is waiting for the debounce (unless `last` is false), then stop. */
  dispose({ last: send = true } = {}) {
    clearTimeout(this.#timer);
    removeEventListener('online', this.#onOnline);
    document.removeEventListener('visibilitychange', this.#onVisible);
    const pending = send && this.phase === 'waiting' && this.#sendable().length && !this.conflict && !this.#busy;
    const last = pending ? this.flush() : Promise.resolve();
    this.#disposed = true;
    last.finally(() => {
      if (open.get(this.id) === this) open.delete(this.id);
    });
  }
}

/**
 * This device's copy of a sheet and the server's answer ({stored, server} or {stored,
 * error}). A device that does not keep the sheet's instrument yet gets it in the same
 * answer; on a cold start index.html's early.js may have asked already, by the same rule.
 */
async function fetchSheet(id, userId) {
  const stored = await readSheet(id, userId);
  const insId = stored?.sheet?.instrument?.id;
  const withIns = !insId || !(await storedInstrument(insId));
  try {
    const early = takeEarlySheet(id);
    const server = (early && (await fromEarly(early, userId, withIns))) ?? (await request('GET', `/submissions/${id}${withIns ? '?with=instrument' : ''}`));
    return { stored, server };
  } catch (error) {
    return { stored, error };
  }
}

/** The request for this sheet that index.html's early.js made before the app's code came, once. */
function takeEarlySheet(id) {
  const early = window.__vsokEarly;
  if (early?.sheet?.id !== Number(id)) return null;
  const { asked } = early.sheet;
  early.sheet = undefined;
  return asked;
}

/**
 * Its answer, when it asked what this page would (the same user, the instrument alike);
 * otherwise, or when it failed, null: the page asks itself.
 */
async function fromEarly(asked, userId, withIns) {
  const made = await asked;
  if (!made || made.user !== userId || made.withIns !== withIns) return null;
  try {
    return await received(await made.answer);
  } catch {
    return null;
  }
}

async function readSheet(id, userId) {
  try {
    const rec = await idbGet(SHEETS, id);
    return rec && rec.user_id === userId ? rec : null;
  } catch {
    return null;
  }
}

/** The published instrument version kept on this device, or null. */
async function storedInstrument(id) {
  try {
    const cached = await idbGet(INSTRUMENTS, id);
    return cached?.definition && cached.status === 'published' ? cached : null;
  } catch {
    return null; // no IndexedDB: ask the server
  }
}

/** This user's sheets kept on this device (for the list when the server is unreachable). */
export async function storedSheets(userId) {
  try {
    return (await idbAll(SHEETS)).filter((r) => r.user_id === userId);
  } catch {
    return [];
  }
}

/** An instrument version with its definition; a published version never changes. */
export async function loadInstrument(id) {
  let cached = null;
  try {
    cached = await idbGet(INSTRUMENTS, id);
  } catch {
    /* no IndexedDB: ask the server */
  }
  if (cached?.definition && cached.status === 'published') return cached;
  try {
    const ins = await request('GET', `/instruments/${id}`);
    idbPut(INSTRUMENTS, ins).catch(() => {});
    return ins;
  } catch (e) {
    if (cached?.definition) return cached;
    throw e;
  }
}

/** Titles ({ru, en}) of the instrument versions kept on this device, by id. */
export async function instrumentTitles() {
  try {
    return new Map((await idbAll(INSTRUMENTS)).map((i) => [i.id, i.definition?.title ?? i.title]));
  } catch {
    return new Map();
  }
}

/**
 * Send what other sheets of this user left unsent on this device (the open ones sync
 * themselves). Runs when the app starts, when the network returns and now and then.
 */
let syncing = false;
export async function syncStored() {
  if (syncing || session.status !== 'authed' || !session.user) return;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
  syncing = true;
  try {
    for (const rec of await storedSheets(session.user.id)) {
      if (open.has(rec.id) || !rec.sheet?.can_edit || !Object.keys(rec.pending ?? {}).length) continue;
      const d = new Draft(rec.id, rec.user_id);
      d.sheet = rec.sheet;
      d.pending = rec.pending;
      d.rejected = rec.rejected ?? {};
      await d.flush();
      d.dispose({ last: false });
      if (d.phase === 'offline' || d.phase === 'error') break;
    }
  } finally {
    syncing = false;
  }
}

/**
 * Signing out on a shared tablet: drop the signed-out user's copies that hold nothing
 * unsent (the server has them); copies with unsent changes stay for their next sign-in.
 */
async function forget(userId) {
  try {
    for (const rec of await storedSheets(userId)) {
      if (!Object.keys(rec.pending ?? {}).length) await idbDelete(SHEETS, rec.id);
    }
  } catch {
    /* nothing stored */
  }
}

if (typeof window !== 'undefined') {
  addEventListener('online', () => syncStored());
  setTimeout(() => syncStored(), 5_000);
  setInterval(() => syncStored(), 60_000);
  let signedIn = null;
  $effect.root(() => {
    $effect(() => {
      const { status, user, notice } = session;
      if (status === 'authed' && user) signedIn = user.id;
      else if (status === 'anon' && signedIn !== null) {
        // A session that ended by itself (notice set) keeps everything for the same user.
        if (!notice) forget(signedIn);
        signedIn = null;
      }
    });
  });
}
