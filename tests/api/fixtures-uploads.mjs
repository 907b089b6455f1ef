// Helpers for the evidence suite (tests/api/uploads.test.mjs) and the uploads bench
// (tests/bench/uploads.mjs): real PNG files made here (node:zlib, no image packages), the
// official tus-js-client wrapped in a promise, a paced HTTP stack for it (so that an
// abort lands in the middle of a chunk), raw tus requests that cut the connection, a
// seeded random generator, and a look at what lies on disk and in the vsokd log.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import { readdirSync, lstatSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { seededRandom } from './lib.mjs';

export { tus };

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

// ---------------------------------------------------------------------------------------
// Random bytes (seeded: tests/api/lib.mjs, seededRandom)

export { seededRandom };

/** n pseudo-random bytes from rnd (fast enough for a few MiB). */
export function randomBuffer(n, rnd) {
  const buf = Buffer.allocUnsafe(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) buf.writeUInt32LE((rnd() * 4294967296) >>> 0, i);
  for (; i < n; i++) buf[i] = (rnd() * 256) | 0;
  return buf;
}

// ---------------------------------------------------------------------------------------
// PNG

function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/**
 * A valid PNG (8-bit RGB, filter 0 on every row) of width × height random pixels: random
 * data does not compress, so the file is about 3 × width × height bytes.
 */
export function makePng(width, height, rnd) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const row = 1 + width * 3;
  const raw = randomBuffer(row * height, rnd);
  for (let y = 0; y < height; y++) raw[y * row] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Checks the structure of a PNG made by makePng (signature, chunk CRCs, IEND last). */
export function assertPng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let p = 8;
  let last;
  while (p < buf.length) {
    const len = buf.readUInt32BE(p);
    const td = buf.subarray(p + 4, p + 8 + len);
    assert.equal(buf.readUInt32BE(p + 8 + len), crc32(td) >>> 0, `CRC of chunk ${td.subarray(0, 4)}`);
    last = td.subarray(0, 4).toString('latin1');
    p += 12 + len;
  }
  assert.equal(p, buf.length, 'chunks fill the file');
  assert.equal(last, 'IEND');
}

// ---------------------------------------------------------------------------------------
// tus-js-client

/** The HTTP status of a tus-js-client error (DetailedError), or undefined. */
export const tusStatus = (err) => err?.originalResponse?.getStatus?.();

/**
 * Uploads `data` (Buffer or fs.ReadStream) with tus-js-client. Resolves { upload, url, id,
 * chunks: [bytes accepted after each PATCH] }; rejects with the client's error. opts:
 * endpoint, token, metadata, chunkSize, uploadUrl, uploadSize, urlStorage, httpStack,
 * retryDelays (default null: fail at once), onShouldRetry(err, attempt, options) (the
 * client's own hook: return whether to retry), onUpload(upload) (called before start, e.g. to
 * abort it later), onProgress, onChunk(bytesAccepted), resume (true: look for a previous
 * upload in urlStorage first).
 */
export function tusUpload(data, opts) {
  const chunks = [];
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(data, {
      endpoint: opts.endpoint,
      uploadUrl: opts.uploadUrl ?? null,
      chunkSize: opts.chunkSize ?? Infinity,
      retryDelays: opts.retryDelays === undefined ? null : opts.retryDelays,
      headers: { Authorization: `Bearer ${opts.token}` },
      metadata: opts.metadata,
      uploadSize: opts.uploadSize ?? null,
      ...(opts.urlStorage ? { urlStorage: opts.urlStorage, storeFingerprintForResuming: true } : {}),
      ...(opts.httpStack ? { httpStack: opts.httpStack } : {}),
      ...(opts.onShouldRetry ? { onShouldRetry: opts.onShouldRetry } : {}),
      removeFingerprintOnSuccess: true,
      onProgress: opts.onProgress,
      onChunkComplete: (_size, accepted) => {
        chunks.push(accepted);
        opts.onChunk?.(accepted);
      },
      onSuccess: () => resolve({ upload, url: upload.url, id: idOf(upload.url), chunks }),
      onError: (err) => {
        err.upload = upload;
        err.chunks = chunks;
        reject(err);
      },
    });
    opts.onUpload?.(upload);
    const go = async () => {
      if (opts.resume) {
        const previous = await upload.findPreviousUploads();
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      }
      upload.start();
    };
    go().catch(reject);
  });
}

/** The 32-hex id at the end of an upload URL (absolute or a path). */
export function idOf(url) {
  const m = /\/api\/v1\/uploads\/([^/?#]+)$/.exec(String(url || ''));
  return m ? m[1] : undefined;
}

/**
 * An HTTP stack for tus-js-client (the interface of its node stack) that writes request
 * bodies in small pieces with a pause between them and reports each piece to
 * onBytes(method, written, total, request). A test calls upload.abort() from there, so
 * that the connection is cut while a chunk is only partly sent, like a tablet losing
 * Wi-Fi.
 */
export class PacedHttpStack {
  constructor({ piece = 16 * 1024, pauseMs = 2, onBytes } = {}) {
    this.piece = piece;
    this.pauseMs = pauseMs;
    this.onBytes = onBytes;
  }

  createRequest(method, url) {
    return new PacedRequest(this, method, url);
  }

  getName() {
    return 'PacedHttpStack';
  }
}

class PacedRequest {
  constructor(stack, method, url) {
    this.stack = stack;
    this.method = method;
    this.url = url;
    this.headers = {};
    this.req = null;
    this.aborted = false;
    this.progress = () => {};
  }

  getMethod() {
    return this.method;
  }

  getURL() {
    return this.url;
  }

  setHeader(k, v) {
    this.headers[k] = v;
  }

  getHeader(k) {
    return this.headers[k];
  }

  setProgressHandler(fn) {
    this.progress = fn;
  }

  getUnderlyingObject() {
    return this.req;
  }

  abort() {
    this.aborted = true;
    if (this.req) this.req.destroy();
    return Promise.resolve();
  }

  async send(body = null) {
    let buf = null;
    if (body && typeof body.pipe === 'function') {
      const parts = [];
      for await (const c of body) parts.push(c);
      buf = Buffer.concat(parts);
    } else if (body) {
      buf = Buffer.from(body);
    }
    return new Promise((resolve, reject) => {
      const headers = { ...this.headers };
      if (buf) headers['Content-Length'] = String(buf.length);
      const req = http.request(this.url, { method: this.method, headers, agent: false });
      this.req = req;
      req.on('response', (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          resolve({
            getStatus: () => res.statusCode,
            getHeader: (h) => res.headers[h.toLowerCase()],
            getBody: () => Buffer.concat(parts).toString('utf8'),
            getUnderlyingObject: () => res,
          });
        });
      });
      req.on('error', reject);
      if (!buf) {
        req.end();
        return;
      }
      let off = 0;
      const next = () => {
        if (this.aborted) return;
        if (off >= buf.length) {
          req.end();
          return;
        }
        const n = Math.min(this.stack.piece, buf.length - off);
        req.write(buf.subarray(off, off + n));
        off += n;
        this.progress(off);
        this.stack.onBytes?.(this.method, off, buf.length, this);
        setTimeout(next, this.stack.pauseMs);
      };
      next();
    });
  }
}

/**
 * A raw tus request with node:http: sends `headers` and the first `send` bytes of `body`
 * (all of it by default); with cut: true, destroys the connection right after instead of
 * waiting for the answer. Resolves { status, headers, text } or { cut: true }.
 */
export function rawTus(url, { method = 'PATCH', headers = {}, body, send, cut = false } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (body) h['Content-Length'] = String(body.length);
    const req = http.request(url, { method, headers: h, agent: false });
    req.on('error', (e) => (cut ? resolve({ cut: true, error: e.code }) : reject(e)));
    req.on('response', (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
    });
    if (body) {
      const n = send ?? body.length;
      req.write(body.subarray(0, n), () => {
        // the bytes are with the kernel: drop the connection before any answer
        if (cut) {
          resolve({ cut: true });
          req.destroy();
        }
      });
      if (!cut) req.end();
    } else {
      req.end();
    }
  });
}

// ---------------------------------------------------------------------------------------
// Disk

/** Every regular file (and symlink) below dir, as paths relative to dir; [] when missing. */
export function listFiles(dir, skip = []) {
  const out = [];
  const walk = (d, rel) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (skip.includes(r)) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full, r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** true when path exists (without following a final symlink). */
export function exists(p) {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The object path of a SHA-256 hex under an uploads directory. */
export const objectPath = (uploadsDir, hex) => path.join(uploadsDir, 'objects', hex.slice(0, 2), hex.slice(2, 4), hex);

/**
 * How the completion of upload `id` took its SHA-256, from the vsokd log (logFile):
 * 'while appending' (carried along with the chunks, the file not read again) or 'by reading
 * the file again' (docs/api-evidence.md, "One pass over the bytes"); null when not logged.
 */
export function hashedHow(logFile, id) {
  const line = new RegExp(`uploads: ${id} stored as [0-9a-f]{64} \\([^)]*, hashed (while appending|by reading the file again)\\)`);
  const m = line.exec(readFileSync(logFile, 'utf8'));
  return m ? m[1] : null;
}
