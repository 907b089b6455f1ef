// The signed-in session. The access token lives only in this module's memory; the
// refresh token is an httpOnly cookie the browser sends to /api/v1/auth by itself.
import { send, received, ApiError, NetworkError } from './api.js';

export const session = $state({
  status: 'loading', // 'loading' | 'anon' | 'authed'
  user: null, // GET /me: {id, login, full_name, role, must_change_password, org_unit: {id, name, level}}
  notice: null, // i18n key of a message for the login page (e.g. session expired)
});

let accessToken = null;

// A harmless marker (no secret) that this browser had a session, so that a dead refresh
// cookie on the next visit can be told apart from a first visit.
const MARK = 'vsok.session';
function mark(on) {
  try {
    if (on) localStorage.setItem(MARK, '1');
    else localStorage.removeItem(MARK);
  } catch {
    /* storage blocked: only the "session ended" notice is lost */
  }
}
function marked() {
  try {
    return localStorage.getItem(MARK) === '1';
  } catch {
    return false;
  }
}

/** Whether this browser was signed in when last used (no server call). */
export const wasSignedIn = marked;

// Who was signed in (no token: id, name, role, unit), so that a tablet that reloads while
// the server is unreachable still opens the sheets kept on it (src/features/forms/). The first
// request that reaches the server again refreshes the session or ends it.
const USER = 'vsok.user';
function remember(user) {
  try {
    if (user) {
      const { id, login, full_name, role, must_change_password, org_unit } = user;
      localStorage.setItem(USER, JSON.stringify({ id, login, full_name, role, must_change_password, org_unit }));
    } else localStorage.removeItem(USER);
  } catch {
    /* storage blocked: no offline start */
  }
}
function remembered() {
  try {
    const u = JSON.parse(localStorage.getItem(USER) || 'null');
    return u && typeof u.id === 'number' ? u : null;
  } catch {
    return null;
  }
}

// The refresh token rotates on every use and a re-used one revokes the whole family, so
// refreshes must never overlap: one in flight per page, and one at a time across tabs
// where the Web Locks API exists.
let refreshing = null;
function refreshOnce(sent) {
  if (!refreshing) {
    const run = () => {
      const answer = send('POST', '/auth/refresh');
      sent?.();
      return answer;
    };
    const early = takeEarly();
    if (early) sent?.();
    const p = early ?? (navigator.locks?.request ? navigator.locks.request('vsok-auth-refresh', run) : run());
    refreshing = p.finally(() => {
      refreshing = null;
    });
  } else sent?.();
  return refreshing;
}

/** The refresh index.html's early.js sent before the app's code arrived, taken once. */
function takeEarly() {
  const early = window.__vsokEarly?.resume;
  if (!early) return null;
  window.__vsokEarly.resume = undefined;
  return early.then(
    (res) => received(res),
    (e) => {
      throw new NetworkError(e);
    },
  );
}

async function begin(auth) {
  accessToken = auth.access_token;
  mark(true);
  // login and refresh answer with the user as GET /me does: one round trip less on a slow line
  session.user = auth.user ?? (await request('GET', '/me'));
  remember(session.user);
  session.notice = null;
  session.status = 'authed';
}

function end(notice) {
  accessToken = null;
  passwordChangedAt = 0;
  mark(false);
  remember(null);
  session.user = null;
  session.notice = notice;
  session.status = 'anon';
}

/**
 * Page load: try to resume the session from the refresh cookie. `sent` is called once the
 * refresh request is on its way (the app fetches the page's code after it, not before).
 */
export async function resume(sent) {
  try {
    await begin(await refreshOnce(sent));
  } catch (e) {
    accessToken = null;
    if (e instanceof ApiError && e.status === 401) end(marked() ? 'error.sessionExpired' : null);
    else if (e instanceof NetworkError && marked() && remembered()) {
      session.user = remembered();
      session.status = 'authed';
    } else {
      session.user = null;
      session.notice = errorKey(e);
      session.status = 'anon';
    }
  }
}

/** Sign in; throws ApiError / NetworkError for the caller to show (see errorKey). */
export async function login(loginName, password) {
  const auth = await send('POST', '/auth/login', { body: { login: loginName, password } });
  await begin(auth);
}

/**
 * Sign out. A network failure is thrown and the user stays signed in (the refresh cookie
 * would otherwise survive on a shared tablet); any answer from the server ends the session.
 */
export async function logout() {
  try {
    await send('POST', '/auth/logout', { token: accessToken });
  } catch (e) {
    if (e instanceof NetworkError) throw e;
  }
  end(null);
}

/**
 * Authenticated request: a 401 is retried once after a refresh; when the refresh itself
 * is refused the session has ended and the app goes back to the login page. `extra`
 * passes `raw`, `contentType` and `blob` on to send().
 */
async function authed(method, path, body, extra) {
  const token = accessToken;
  try {
    return await send(method, path, { ...extra, body, token });
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
  let auth;
  try {
    // Another request may already have refreshed while this one was in flight.
    auth = accessToken && accessToken !== token ? { access_token: accessToken } : await refreshOnce();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) end('error.sessionExpired');
    throw e;
  }
  accessToken = auth.access_token;
  return send(method, path, { ...extra, body, token: accessToken });
}

/**
 * The current access token for a request made outside request() (the tus uploads):
 * refreshed first when there is none yet or `renew` says the server refused it.
 */
export async function accessTokenNow({ renew = false } = {}) {
  if (!accessToken || renew) {
    const stale = accessToken;
    try {
      // Another request may already have refreshed meanwhile.
      const auth = stale && accessToken !== stale ? { access_token: accessToken } : await refreshOnce();
      accessToken = auth.access_token;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) end('error.sessionExpired');
      throw e;
    }
  }
  return accessToken;
}

/** The API refuses everything but /me and /me/password until a temporary password is changed. */
export function isPasswordChangeRequired(e) {
  return e instanceof ApiError && e.status === 403 && /\/password-change-required$/.test(e.problem?.type || '');
}

// Just after a password change, a server worker may still hold the old "must change" flag
// for a few seconds (its per-worker cache of the user's row); such answers are retried.
const SETTLE_MS = 12_000;
let passwordChangedAt = 0;

export async function request(method, path, body, extra = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await authed(method, path, body, extra);
    } catch (e) {
      if (!isPasswordChangeRequired(e)) throw e;
      if (Date.now() - passwordChangedAt < SETTLE_MS && attempt < 10) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      // The server says the password must be changed first: the app shows only that page.
      if (session.user && !session.user.must_change_password) {
        session.user = { ...session.user, must_change_password: true };
      }
      throw e;
    }
  }
}

/** Change the signed-in user's own password; clears the "must change" state. */
export async function changePassword(oldPassword, newPassword) {
  await request('POST', '/me/password', { old_password: oldPassword, new_password: newPassword });
  passwordChangedAt = Date.now();
  if (session.user) session.user = { ...session.user, must_change_password: false };
}

/** Fetch a file with the bearer token and hand it to the browser as a download. */
export async function download(path, fallbackName) {
  const { blob, filename } = await request('GET', path, undefined, { blob: true });
  saveBlob(blob, filename || fallbackName);
}

/** Offer a Blob as a file download (an object URL on a temporary link). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** i18n key for an error from the API client. */
export function errorKey(e, { credentials = false } = {}) {
  if (e instanceof NetworkError) return 'error.network';
  if (e instanceof ApiError) {
    if (e.status === 401) return credentials ? 'error.badCredentials' : 'error.sessionExpired';
    if (e.status === 429) return 'error.rateLimited';
    if (e.status === 404) return 'error.notFound';
    if (e.status === 403) return 'error.forbidden';
    if (e.status === 409) return 'error.conflict';
    if (e.status === 413) return 'error.tooLarge';
    if (e.status === 400 || e.status === 422) return 'error.badRequest';
  }
  return 'error.server';
}
