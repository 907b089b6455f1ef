// What the browser benchmarks on a slow line share (field.mjs, firstpaint.mjs): the
// stack's address (loopback only), the line a tablet has in a basement group room
// (400 kbit/s both ways, 400 ms, for CDP's Network.emulateNetworkConditions), calls of the
// API with the demo logins, and the median of the runs.

/** The stack's base URL from VSOK_BENCH_URL; exits 2 when it is not on this machine. */
export function benchBase(name) {
  const base = (process.env.VSOK_BENCH_URL || 'http://127.0.0.1:28080').replace(/\/+$/, '');
  if (!/^https?:\/\/(127\.|localhost|\[::1\])/.test(base)) {
    console.error(`bench ${name}: ${base} is not a loopback address; refusing`);
    process.exit(2);
  }
  return base;
}

export const LINE = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };

/** A JSON call of base's API; throws on a status other than 2xx. */
export async function api(base, method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** An access token of a demo login, waiting out nginx's per-address sign-in limit (429). */
export async function login(base, name) {
  for (let i = 0; ; i++) {
    try {
      return (await api(base, 'POST', '/auth/login', { body: { login: name, password: 'demo' } })).access_token;
    } catch (e) {
      if (i > 30 || !/-> 429/.test(e.message)) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
