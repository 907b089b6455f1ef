// Login, /me, refresh rotation with reuse detection, logout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_USERS,
  request,
  show,
  login,
  loginRaw,
  refresh,
  getSetCookie,
  isCleared,
  assertProblem,
  assertTokenResponse,
  assertRefreshCookie,
  decodeJwt,
  now,
  runTag,
} from './lib.mjs';

const RUN_TAG = runTag();

for (const [name, [role, level]] of Object.entries(DEMO_USERS)) {
  test(`login: ${name}/demo -> 200 token, user (${role}, ${level}) and refresh cookie`, async () => {
    const r = await loginRaw(name);
    const b = assertTokenResponse(r);
    assert.equal(b.user.login, name);
    assert.equal(b.user.role, role);
    assert.equal(b.user.org_unit.level, level);
    assert.ok(b.expires_in > 60 && b.expires_in <= 3600, `expires_in ${b.expires_in}`);
    assertRefreshCookie(getSetCookie(r.headers));
    // the access token carries the documented claims
    const { header, payload } = decodeJwt(b.access_token);
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.sub, String(b.user.id));
    assert.equal(payload.role, role);
    assert.ok(Number.isInteger(payload.iat) && Math.abs(payload.iat - now()) < 120, `iat ${payload.iat}`);
    assert.ok(Number.isInteger(payload.exp) && payload.exp > now(), `exp ${payload.exp}`);
    assert.ok(Math.abs(payload.exp - payload.iat - b.expires_in) <= 1, 'exp - iat != expires_in');
  });
}

test('login: the token response is not cacheable and holds no password hash', async () => {
  const r = await loginRaw('admin');
  assert.equal(r.status, 200, show(r));
  assert.doesNotMatch(r.text, /argon2|password_hash|"password"/i);
  // RFC 6749 5.1: token responses carry Cache-Control: no-store
  assert.match(r.headers.get('cache-control') || '', /no-store/i, `Cache-Control: ${r.headers.get('cache-control')}`);
});

test('me: GET /api/v1/me with the access token returns the login\'s user', async () => {
  for (const name of ['teacher', 'municipal']) {
    const s = await login(name);
    const r = await request('/api/v1/me', { token: s.token });
    assert.equal(r.status, 200, show(r));
    assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
    assert.deepEqual(r.json, s.user);
  }
});

test('me: teacher and doo coordinator belong to the same kindergarten', async () => {
  const t = await login('teacher');
  const d = await login('doo');
  assert.equal(t.user.org_unit.id, d.user.org_unit.id);
  assert.notEqual(t.user.id, d.user.id);
});

test('login: wrong password and unknown user are both 401 with the same title and detail', async () => {
  const wrong = await loginRaw('expert', 'not-the-password');
  const unknown = await loginRaw('no-such-user-' + process.pid, 'demo');
  const a = assertProblem(wrong, 401);
  const b = assertProblem(unknown, 401);
  assert.equal(a.title, b.title);
  assert.equal(a.detail, b.detail);
  assert.equal(a.type, b.type);
  for (const r of [wrong, unknown]) {
    const c = getSetCookie(r.headers);
    assert.ok(!c || isCleared(c), `a failed login set a refresh cookie: ${c?.raw}`);
    assert.ok(!r.json.access_token, 'a failed login returned a token');
  }
  // one failure does not lock the account
  const ok = await loginRaw('expert');
  assert.equal(ok.status, 200, show(ok));
});

test('login: the password is case-sensitive', async () => {
  const r = await loginRaw('doo', 'DEMO');
  assertProblem(r, 401);
});

test('refresh: rotates the cookie; the new access token works', async () => {
  const s = await login('teacher');
  const r = await refresh(s.cookie);
  const b = assertTokenResponse(r);
  assert.deepEqual(b.user, s.user);
  const c2 = getSetCookie(r.headers);
  assertRefreshCookie(c2);
  assert.notEqual(c2.value, s.refresh.value, 'refresh cookie not rotated');
  const me = await request('/api/v1/me', { token: b.access_token });
  assert.equal(me.status, 200, show(me));
  assert.equal(me.json.id, s.user.id);
  // the rotated cookie is itself usable once
  const r3 = await refresh(`vsok_refresh=${c2.value}`);
  assertTokenResponse(r3);
});

test('refresh: re-using a rotated token is 401 and revokes the whole family', async () => {
  const s = await login('doo');
  const r1 = await refresh(s.cookie);
  assertTokenResponse(r1);
  const fresh = getSetCookie(r1.headers);
  assertRefreshCookie(fresh);
  // the old (already used) token again: rejected
  const reuse = await refresh(s.cookie);
  assertProblem(reuse, 401);
  // and the newest token of the same family no longer works either
  const after = await refresh(`vsok_refresh=${fresh.value}`);
  assertProblem(after, 401);
  // another session of the same user is not affected
  const other = await login('doo');
  assertTokenResponse(await refresh(other.cookie));
});

test('refresh: one token presented several times at once is honoured at most once', async () => {
  const s = await login('teacher');
  const rs = await Promise.all(Array.from({ length: 6 }, () => refresh(s.cookie)));
  const ok = rs.filter((r) => r.status === 200);
  assert.ok(ok.length <= 1, `${ok.length} parallel refreshes with the same token succeeded`);
  for (const r of rs) if (r.status !== 200) assertProblem(r, 401);
  // the others were re-use: the family is revoked, the winner's new token included
  for (const r of ok) {
    const c = getSetCookie(r.headers);
    assertProblem(await refresh(`vsok_refresh=${c.value}`), 401);
  }
});

test('refresh: no cookie, or an unknown token, is 401', async () => {
  assertProblem(await refresh(undefined), 401);
  assertProblem(await refresh('vsok_refresh=' + 'A'.repeat(43)), 401);
  assertProblem(await refresh('vsok_refresh='), 401);
  assertProblem(await refresh('other_cookie=abc'), 401);
});

test('logout: 204, clears the cookie, and the refresh token no longer works', async () => {
  const s = await login('region');
  const r = await request('/api/v1/auth/logout', { method: 'POST', cookie: s.cookie });
  assert.equal(r.status, 204, show(r));
  assert.equal(r.text, '');
  const c = getSetCookie(r.headers);
  assert.ok(isCleared(c), `cookie not cleared: ${c?.raw}`);
  assert.equal(c.attrs.path, '/api/v1/auth', `cleared cookie with another Path: ${c.raw}`);
  assertProblem(await refresh(s.cookie), 401);
});

// The back-off counts per login name whether or not an account has it (docs/api-org.md,
// "Sign-in and passwords"): an unknown login is refused after the same number of failures
// as an existing one, so the answers do not tell which logins exist. A fresh account, so
// that no demo login is locked.
test('login back-off: five failures lock the name for existing and unknown logins alike (429 + Retry-After)', async () => {
  const admin = await login('admin');
  const teacher = await login('teacher');
  const name = `bo.${RUN_TAG}`;
  const made = await request('/api/v1/users', {
    method: 'POST',
    token: admin.token,
    json: { login: name, full_name: 'Перебор Пароля', role: 'teacher', org_unit_id: teacher.user.org_unit.id, password: 'Lesnaya-Tropa-26' },
  });
  assert.equal(made.status, 201, show(made));
  // nginx's own limit per address answers 429 about:blank: wait that one out and try again,
  // so that only the back-off's answers are counted
  const once = async (who, password) => {
    for (;;) {
      const r = await loginRaw(who, password, { retry429: false });
      if (r.status !== 429 || /too-many-attempts/.test(r.json?.type || '')) return r;
      await new Promise((ok) => setTimeout(ok, 1000 * (Number(r.headers.get('retry-after')) || 1)));
    }
  };
  const tries = async (who) => {
    const out = [];
    for (let i = 0; i < 6; i++) out.push(await once(who, `wrong-${i}-password`));
    return out;
  };
  const known = await tries(name);
  const unknown = await tries(`nobody.${RUN_TAG}`);
  for (const [what, rs] of [['existing', known], ['unknown', unknown]]) {
    assert.deepEqual(rs.map((r) => r.status), [401, 401, 401, 401, 401, 429], `${what} login: ${rs.map(show).at(-1)}`);
    const p = assertProblem(rs[5], 429);
    assert.match(p.type, /\/problems\/too-many-attempts$/);
    const wait = Number(rs[5].headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 30, `Retry-After ${rs[5].headers.get('retry-after')}`);
  }
  assert.equal(known[5].json.title, unknown[5].json.title);
  // the lock holds even for the right password, and other logins are not affected
  assert.equal((await once(name, 'Lesnaya-Tropa-26')).status, 429);
  assert.equal((await once(name.toUpperCase(), 'Lesnaya-Tropa-26')).status, 429, 'the name compares like logins do');
  assert.equal((await once('teacher', 'demo')).status, 200);
  // a manager's password reset lifts the lock
  const reset = await request(`/api/v1/users/${made.json.id}/password`, { method: 'POST', token: admin.token, json: { password: 'Gornaya-Reka-27' } });
  assert.equal(reset.status, 200, show(reset));
  assert.equal((await once(name, 'Gornaya-Reka-27')).status, 200);
  await request(`/api/v1/users/${made.json.id}`, { method: 'PATCH', token: admin.token, json: { active: false } });
});
