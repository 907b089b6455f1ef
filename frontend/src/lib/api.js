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

/**
 * One request, no retries. `token` adds a Bearer header; `body` is sent as JSON.
 * Resolves to the parsed JSON body (null for 204 or a non-JSON body).
 */
export async function send(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
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
