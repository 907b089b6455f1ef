// Photos and videos of one sheet (docs/api-evidence.md): the files attached per indicator,
// the ones still in the device's outbox (outbox.svelte.js: kept in IndexedDB, sent by tus,
// resumed after a reload), and object URLs of the fetched bytes for display.
import { request } from '../../shared/session.svelte.js';
import { API_BASE } from '../../shared/api.js';
import { outbox, enqueue, onUploaded, pause, resume, dismiss } from './outbox.svelte.js';

export class Evidence {
  items = $state([]); // [{indicator, file_id, name, mime, size, url, ...}]
  // The outbox entries of this sheet: [{key, indicator, name, type, sent, total, state, ...}]
  uploads = $derived(outbox.items.filter((u) => u.sheet === this.sheetId));
  loadError = $state(false);
  urls = $state({}); // file_id -> blob: URL
  streams = $state({}); // file_id -> {url, expires_at} of a video
  #fetching = new Map(); // file_id -> Promise
  #disposed = false;

  #unlisten;

  constructor(sheetId) {
    this.sheetId = sheetId;
    // A file of this sheet reached the server (from this page or an earlier one): list it.
    this.#unlisten = onUploaded((sheet) => {
      if (sheet === this.sheetId && !this.#disposed) this.load();
    });
  }

  byIndicator(code) {
    return this.items.filter((f) => f.indicator === code);
  }

  uploadsOf(code) {
    return this.uploads.filter((u) => u.indicator === code);
  }

  async load() {
    try {
      const data = await request('GET', `/submissions/${this.sheetId}/evidence`);
      this.items = data?.items ?? [];
      this.loadError = false;
    } catch {
      this.loadError = true;
    }
  }

  /**
   * A blob: URL for a file's bytes (fetched once with the bearer token). `thumb` asks for
   * the small preview the server makes (photos, and video posters) when the list names one.
   */
  blobUrl(fileId, { thumb = false } = {}) {
    const file = this.items.find((f) => f.file_id === fileId);
    const preview = thumb && file?.thumb;
    const key = preview ? `t${fileId}` : String(fileId);
    if (this.urls[key]) return Promise.resolve(this.urls[key]);
    let p = this.#fetching.get(key);
    if (!p) {
      const path = preview ? file.thumb.replace(API_BASE, '') : `/files/${fileId}`;
      p = request('GET', path, undefined, { blob: true })
        .then(({ blob }) => {
          const url = URL.createObjectURL(blob);
          if (this.#disposed) URL.revokeObjectURL(url);
          else this.urls = { ...this.urls, [key]: url };
          return url;
        })
        .finally(() => this.#fetching.delete(key));
      this.#fetching.set(key, p);
    }
    return p;
  }

  /**
   * A signed address a <video> element plays by itself (it sends no token): the bytes come
   * in ranges as the viewer seeks, instead of the whole file first. Kept until shortly
   * before it expires.
   */
  async streamUrl(fileId) {
    const cached = this.streams[fileId];
    if (cached && cached.expires_at * 1000 - Date.now() > 60_000) return cached.url;
    const signed = await request('POST', `/files/${fileId}/stream`);
    this.streams = { ...this.streams, [fileId]: signed };
    return signed.url;
  }

  /** The blob: URL already fetched for a file (its preview first when `thumb`), or ''. */
  shown(fileId, { thumb = false } = {}) {
    return (thumb && this.urls[`t${fileId}`]) || this.urls[String(fileId)] || '';
  }

  async remove(file) {
    await request('DELETE', `/submissions/${this.sheetId}/evidence/${file.file_id}?indicator=${encodeURIComponent(file.indicator)}`);
    this.items = this.items.filter((f) => !(f.file_id === file.file_id && f.indicator === file.indicator));
  }

  /** Change the caption of an attached file (saved on the server at once). */
  async caption(file, text) {
    const path = `/submissions/${this.sheetId}/evidence/${file.file_id}?indicator=${encodeURIComponent(file.indicator)}`;
    const saved = await request('PATCH', path, { caption: text });
    const caption = saved?.caption ?? text;
    this.items = this.items.map((f) =>
      f.file_id === file.file_id && f.indicator === file.indicator ? { ...f, caption } : f,
    );
  }

  /** Keep each chosen file on the device and queue it for this indicator. */
  add(indicator, files) {
    return enqueue(this.sheetId, indicator, [...files]);
  }

  pause(key) {
    pause(key);
  }

  resume(key) {
    resume(key);
  }

  /** Give up an upload that failed or is paused (the server expires the rest). */
  dismiss(key) {
    return dismiss(key);
  }

  dispose() {
    this.#disposed = true;
    this.#unlisten?.();
    for (const url of Object.values(this.urls)) URL.revokeObjectURL(url);
    this.urls = {};
  }
}
