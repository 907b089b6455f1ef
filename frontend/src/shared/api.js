// Low-level HTTP client for /api/v1. Errors come back as RFC 9457 problem+json
// ({type, title, status, detail, errors}); they are thrown as ApiError.
// A failed fetch (no network, server unreachable) is thrown as NetworkError.

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem && typeof problem === 'object' ? problem : null;
    this.retryAfter = retryAfter;
  }
}

export class NetworkError extends Error {
  constructor(cause) {
    super('network error');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** The file name from a Content-Disposition header (filename*= first), or null. */
function dispositionName(header) {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain form */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : null;
}

/**
 * One request, no retries. `token` adds a Bearer header; `body` is sent as JSON, or `raw`
 * (a Blob, ArrayBuffer or string) as is with `contentType`. With `blob: true` the answer
 * is `{blob, filename}`; otherwise the parsed JSON body (null for 204 or a non-JSON body).
 */
export async function send(method, path, { body, raw, contentType, token, blob = false } = {}) {
  const headers = { Accept: blob ? '*/*' : 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (raw !== undefined) {
    headers['Content-Type'] = contentType || 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;

  let res;
  try {
    res = await fetch(API_BASE + path, init);
  } catch (e) {
    throw new NetworkError(e);
  }
  return received(res, blob);
}

/**
 * The answer to a request made by send() or by index.html's early.js (a Response): the
 * parsed JSON body, `{blob, filename}` with `blob`, or an ApiError thrown.
 */
export async function received(res, blob = false) {
  if (blob && res.ok) {
    try {
      return { blob: await res.blob(), filename: dispositionName(res.headers.get('Content-Disposition')) };
    } catch (e) {
      throw new NetworkError(e);
    }
  }

  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (res.status !== 204 && type.includes('json')) {
    try {
      data = await res.json();
    } catch (e) {
      if (res.ok) throw new NetworkError(e); // body cut off mid-way
    }
  }
  if (!res.ok) throw new ApiError(res.status, data, res.headers.get('Retry-After'));
  return data;
}
