// Access-token verification on GET /api/v1/me: HS256 pinned, signature, exp, claims.
// Tokens are crafted with node:crypto and the stack's real key ($VSOK_TEST_VAR/secrets/jwt.key);
// the first test proves the crafting is right, so that every 401 after it is meaningful.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  request,
  show,
  login,
  assertProblem,
  signJwt,
  decodeJwt,
  b64json,
  jwtKey,
  randomKey,
  now,
} from './lib.mjs';

let session; // teacher's real login
let key; // the stack's HMAC key
let claims; // valid claims for the teacher, fresh iat/exp

const me = (token) => request('/api/v1/me', { token });
const meRaw = (authorization) =>
  request('/api/v1/me', authorization === undefined ? {} : { headers: { Authorization: authorization } });

before(async () => {
  session = await login('teacher');
  key = jwtKey();
  const { payload } = decodeJwt(session.token);
  claims = { ...payload, iat: now(), exp: now() + 300 };
});

test('tokens: the real token has sub (decimal string), role, org (int), iat, exp', () => {
  const { header, payload } = decodeJwt(session.token);
  assert.equal(header.alg, 'HS256');
  assert.equal(typeof payload.sub, 'string');
  assert.match(payload.sub, /^[1-9][0-9]*$/);
  assert.equal(payload.sub, String(session.user.id));
  assert.equal(payload.role, session.user.role);
  assert.ok(Number.isInteger(payload.org), `org ${payload.org}`);
  assert.ok(Number.isInteger(payload.iat));
  assert.ok(Number.isInteger(payload.exp));
});

test('tokens: a token crafted here with the real key and valid claims is accepted', async () => {
  const r = await me(signJwt(claims, key));
  assert.equal(r.status, 200, `crafted token rejected, so the 401s below prove nothing: ${show(r)}`);
  assert.equal(r.json.id, session.user.id);
  assert.equal(r.json.login, 'teacher');
});

test('tokens: no Authorization header -> 401', async () => {
  assertProblem(await meRaw(undefined), 401);
});

test('tokens: garbage -> 401', async () => {
  for (const a of [
    'Bearer garbage',
    'Bearer a.b.c',
    'Bearer ',
    'Bearer',
    'Bearer ' + 'x'.repeat(5000),
    'Bearer ....',
    `Basic ${Buffer.from('teacher:demo').toString('base64')}`,
    session.token, // no scheme
  ]) {
    const r = await meRaw(a);
    assertProblem(r, 401);
  }
});

test('tokens: a valid token under another scheme name is not accepted', async () => {
  assertProblem(await meRaw(`Token ${session.token}`), 401);
});

test('tokens: expired -> 401', async () => {
  const t = signJwt({ ...claims, iat: now() - 1000, exp: now() - 60 }, key);
  assertProblem(await me(t), 401);
});

test('tokens: exp equal to now -> 401', async () => {
  const t = signJwt({ ...claims, iat: now() - 100, exp: now() }, key);
  assertProblem(await me(t), 401);
});

test('tokens: iat in the future beyond a minute of clock skew -> 401; within it -> 200', async () => {
  assertProblem(await me(signJwt({ ...claims, iat: now() + 86400, exp: now() + 86400 + 300 }, key)), 401);
  assertProblem(await me(signJwt({ ...claims, iat: now() + 300, exp: now() + 600 }, key)), 401);
  const r = await me(signJwt({ ...claims, iat: now() + 20, exp: now() + 300 }, key));
  assert.equal(r.status, 200, `a token issued 20 s ahead (clock skew) was refused: ${show(r)}`);
});

test('tokens: tampered payload (role -> administrator, signature kept) -> 401', async () => {
  const [h, , s] = session.token.split('.');
  const { payload } = decodeJwt(session.token);
  const forged = `${h}.${b64json({ ...payload, role: 'administrator' })}.${s}`;
  assertProblem(await me(forged), 401);
  // same for another user id
  const forged2 = `${h}.${b64json({ ...payload, sub: '1' })}.${s}`;
  if (payload.sub !== '1') assertProblem(await me(forged2), 401);
});

test('tokens: tampered signature -> 401', async () => {
  const [h, p, s] = session.token.split('.');
  const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
  assertProblem(await me(`${h}.${p}.${flipped}`), 401);
  assertProblem(await me(`${h}.${p}.`), 401);
  assertProblem(await me(`${h}.${p}`), 401);
});

test('tokens: signed with a wrong key -> 401', async () => {
  assertProblem(await me(signJwt(claims, randomKey())), 401);
  // the hex text of the key used as the HMAC key instead of its bytes is also a wrong key
  assertProblem(await me(signJwt(claims, Buffer.from(key.toString('hex')))), 401);
});

test('tokens: alg none with an empty signature -> 401', async () => {
  for (const header of [{ alg: 'none' }, { alg: 'none', typ: 'JWT' }, { alg: 'None' }, { alg: 'NONE' }]) {
    const t = signJwt(claims, key, { alg: 'none', header });
    assert.ok(t.endsWith('.'));
    assertProblem(await me(t), 401);
  }
  // none with a (valid HS256) signature left in place
  const [, p, s] = signJwt(claims, key).split('.');
  assertProblem(await me(`${b64json({ alg: 'none', typ: 'JWT' })}.${p}.${s}`), 401);
});

test('tokens: HS512 (and HS384) signed with the right key -> 401', async () => {
  assertProblem(await me(signJwt(claims, key, { alg: 'HS512' })), 401);
  assertProblem(await me(signJwt(claims, key, { alg: 'HS384' })), 401);
});

test('tokens: HS256 signature under an RS256 header -> 401', async () => {
  const input = `${b64json({ alg: 'RS256', typ: 'JWT' })}.${b64json(claims)}`;
  const { createHmac } = await import('node:crypto');
  const t = `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  assertProblem(await me(t), 401);
});

test('tokens: without exp -> 401', async () => {
  const { exp, ...noExp } = claims;
  assert.ok(exp);
  assertProblem(await me(signJwt(noExp, key)), 401);
});

test('tokens: exp of the wrong type -> 401', async () => {
  assertProblem(await me(signJwt({ ...claims, exp: String(claims.exp) }, key)), 401);
});

test('tokens: without sub, or sub not a number -> 401', async () => {
  const { sub, ...noSub } = claims;
  assert.ok(sub);
  assertProblem(await me(signJwt(noSub, key)), 401);
  assertProblem(await me(signJwt({ ...claims, sub: 'teacher' }, key)), 401);
});

test('tokens: a well-signed token for a user id that does not exist -> 401', async () => {
  assertProblem(await me(signJwt({ ...claims, sub: '999999999' }, key)), 401);
});
