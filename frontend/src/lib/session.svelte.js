// The signed-in session. The access token lives only in this module's memory; the
// refresh token is an httpOnly cookie the browser sends to /api/v1/auth by itself.
import { send, ApiError, NetworkError } from './api.js';

export const session = $state({
  status: 'loading', // 'loading' | 'anon' | 'authed'
  user: null, // GET /me: {id, login, full_name, role, org_unit: {id, name, level}}
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

// The refresh token rotates on every use and a re-used one revokes the whole family, so
// refreshes must never overlap: one in flight per page, and one at a time across tabs
// where the Web Locks API exists.
let refreshing = null;
function refreshOnce() {
  if (!refreshing) {
    const run = () => send('POST', '/auth/refresh');
    const p = navigator.locks?.request ? navigator.locks.request('vsok-auth-refresh', run) : run();
    refreshing = p.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function begin(auth) {
  accessToken = auth.access_token;
  mark(true);
  session.user = await request('GET', '/me');
  session.notice = null;
  session.status = 'authed';
}

function end(notice) {
  accessToken = null;
  mark(false);
  session.user = null;
  session.notice = notice;
  session.status = 'anon';
}

/** Page load: try to resume the session from the refresh cookie. */
export async function resume() {
  try {
    await begin(await refreshOnce());
  } catch (e) {
    accessToken = null;
    if (e instanceof ApiError && e.status === 401) end(marked() ? 'error.sessionExpired' : null);
    else {
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
 * is refused the session has ended and the app goes back to the login page.
 */
export async function request(method, path, body) {
  const token = accessToken;
  try {
    return await send(method, path, { body, token });
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
  return send(method, path, { body, token: accessToken });
}

/** i18n key for an error from the API client. */
export function errorKey(e, { credentials = false } = {}) {
  if (e instanceof NetworkError) return 'error.network';
  if (e instanceof ApiError) {
    if (e.status === 401) return credentials ? 'error.badCredentials' : 'error.sessionExpired';
    if (e.status === 429) return 'error.rateLimited';
    if (e.status === 400 || e.status === 422) return 'error.badRequest';
  }
  return 'error.server';
}
