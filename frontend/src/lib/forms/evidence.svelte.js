// Photos and videos of one sheet (docs/api-evidence.md): the files attached per indicator,
// uploads in progress (tus, resumable), and object URLs of the fetched bytes for display.
import { request, accessTokenNow } from '../session.svelte.js';
import { API_BASE } from '../api.js';

const CHUNK = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];

let seq = 0;

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

export class Evidence {
  items = $state([]); // [{indicator, file_id, name, mime, size, url, ...}]
  uploads = $state([]); // [{key, indicator, name, type, sent, total, state, message}]
  loadError = $state(false);
  urls = $state({}); // file_id -> blob: URL
  streams = $state({}); // file_id -> {url, expires_at} of a video
  #tus = new Map(); // key -> Upload
  #fetching = new Map(); // file_id -> Promise
  #disposed = false;

  constructor(sheetId) {
    this.sheetId = sheetId;
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

  /** Bytes sent so far, with the speed over the last seconds and the time left from it. */
  #progress(key, sent, total) {
    const now = performance.now();
    const u = this.uploads.find((x) => x.key === key);
    if (!u) return;
    // Samples of the last 5 s: a speed that follows the Wi-Fi without jumping at every chunk.
    const samples = [...(u.samples ?? []).filter((x) => now - x.t < 5000), { t: now, sent }];
    const first = samples[0];
    const dt = (now - first.t) / 1000;
    const speed = dt >= 0.5 && sent > first.sent ? (sent - first.sent) / dt : u.speed ?? 0;
    const left = speed > 0 ? Math.ceil((total - sent) / speed) : null;
    this.#patch(key, { sent, total, samples, speed, left });
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

  #patch(key, change) {
    this.uploads = this.uploads.map((u) => (u.key === key ? { ...u, ...change } : u));
  }

  /** Start uploading each chosen file to an indicator. */
  add(indicator, files) {
    for (const file of files) this.#start(indicator, file);
  }

  async #start(indicator, file) {
    const key = `u${++seq}`;
    this.uploads = [
      ...this.uploads,
      {
        key,
        indicator,
        name: file.name,
        type: file.type,
        sent: 0,
        total: file.size,
        speed: 0,
        left: null,
        state: 'uploading',
        message: '',
      },
    ];
    // tus-js-client is loaded only when something is uploaded (a separate chunk).
    let Upload;
    try {
      ({ Upload } = await import('tus-js-client'));
    } catch {
      this.#patch(key, { state: 'error', message: '' });
      return;
    }
    if (this.#disposed) return;
    let renew = false;
    const upload = new Upload(file, {
      endpoint: `${API_BASE}/uploads`,
      chunkSize: CHUNK,
      retryDelays: RETRY_DELAYS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      metadata: {
        filename: file.name,
        filetype: file.type || 'application/octet-stream',
        submission: String(this.sheetId),
        indicator,
      },
      headers: {},
      // Every request carries the token of the moment; a 401 refreshes it and retries.
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
      onProgress: (sent, total) => this.#progress(key, sent, total),
      onError: (err) => {
        const status = err?.originalResponse ? err.originalResponse.getStatus() : 0;
        this.#patch(key, { state: 'error', message: tusMessage(err), status });
      },
      onSuccess: () => this.#finished(key, upload),
    });
    this.#tus.set(key, upload);
    upload
      .findPreviousUploads()
      .then((previous) => {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      })
      .catch(() => {})
      .finally(() => {
        if (!this.#disposed) upload.start();
      });
  }

  async #finished(key, upload) {
    this.#patch(key, { state: 'finishing' });
    try {
      const path = new URL(upload.url, location.href).pathname;
      const st = await request('GET', path.startsWith(API_BASE) ? path.slice(API_BASE.length) : path);
      this.#tus.delete(key);
      await this.load();
      this.uploads = this.uploads.filter((u) => u.key !== key);
      return st?.file_id ?? null;
    } catch {
      this.#patch(key, { state: 'error', message: '' });
      return null;
    }
  }

  pause(key) {
    this.#tus.get(key)?.abort();
    this.#patch(key, { state: 'paused' });
  }

  resume(key) {
    const up = this.#tus.get(key);
    if (!up) return;
    this.#patch(key, { state: 'uploading', message: '' });
    if (up.url && this.uploads.find((u) => u.key === key)?.sent >= up.file.size) this.#finished(key, up);
    else up.start();
  }

  /** Give up an upload that failed or is paused (the server expires the rest). */
  dismiss(key) {
    const up = this.#tus.get(key);
    if (up) up.abort(true).catch(() => {});
    this.#tus.delete(key);
    this.uploads = this.uploads.filter((u) => u.key !== key);
  }

  dispose() {
    this.#disposed = true;
    for (const up of this.#tus.values()) up.abort();
    this.#tus.clear();
    for (const url of Object.values(this.urls)) URL.revokeObjectURL(url);
    this.urls = {};
  }
}
