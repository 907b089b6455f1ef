// One access-log line per request in $VSOK_TEST_VAR/log/vsokd.log:
// time, method, path, status, duration, user id. Secrets never reach the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { VAR, request, show, login, loginRaw, waitFor } from './lib.mjs';

const LOG = path.join(VAR, 'log', 'vsokd.log');
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Marks the end of the log now; .text() returns what was written after the mark. */
function mark() {
  const from = statSync(LOG).size;
  return {
    text: () => readFileSync(LOG).subarray(from).toString('utf8'),
    lines() {
      return this.text().split('\n').filter(Boolean);
    },
  };
}

/** Waits until the log written after `m` has `n` lines matching `re`; returns them. */
function waitLines(m, re, n = 1) {
  return waitFor(
    () => {
      const l = m.lines().filter((x) => re.test(x));
      return l.length >= n ? l : null;
    },
    { timeout: 5000, interval: 50, what: `${n} log line(s) matching ${re}` },
  );
}

test('log: a request gets one line with time, method, path, status and duration', async () => {
  const p = `/api/v1/nope-${randomBytes(6).toString('hex')}`;
  const m = mark();
  const r = await request(p);
  assert.equal(r.status, 404, show(r));
  const [line] = await waitLines(m, new RegExp(esc(p)));
  assert.match(line, /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/, `no time: ${line}`);
  assert.match(line, new RegExp(`\\bGET ${esc(p)}(\\s|$)`), `no method and path: ${line}`);
  assert.match(line, /\s404\s/, `no status: ${line}`);
  assert.match(line, /\s\d+(\.\d+)?\s*(ms|us|µs|s)(\s|$)/, `no duration: ${line}`);
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(m.lines().filter((x) => x.includes(p)).length, 1, `not exactly one line:\n${m.text()}`);
});

test('log: exactly one access line per request', async () => {
  const m = mark();
  for (let i = 0; i < 5; i++) assert.equal((await request('/api/v1/health')).status, 200);
  const re = /\bGET \/api\/v1\/health\s+200\s/;
  await waitLines(m, re, 5);
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(m.lines().filter((x) => re.test(x)).length, 5, m.text());
});

test('log: an authenticated request names its user id; tokens never reach the log', async () => {
  const m = mark();
  const s = await login('expert');
  const r = await request('/api/v1/me', { token: s.token });
  assert.equal(r.status, 200, show(r));
  const lines = await waitLines(m, /\bGET \/api\/v1\/me\s+200\s/);
  assert.match(lines[0], new RegExp(`\\b(user|uid|user_id)[=:]\\s*"?${s.user.id}\\b`), `no user id ${s.user.id}: ${lines[0]}`);
  const text = m.text();
  assert.ok(!text.includes(s.token.split('.')[2]), 'an access token is in the log');
  assert.ok(!text.includes(s.refresh.value), 'a refresh token is in the log');
});

test('log: a failed login never writes the password', async () => {
  const secret = `pw-${randomBytes(8).toString('hex')}`;
  const m = mark();
  const r = await loginRaw(`no-such-user-${randomBytes(4).toString('hex')}`, secret);
  assert.equal(r.status, 401, show(r));
  await waitLines(m, /\bPOST \/api\/v1\/auth\/login\s+401\s/);
  assert.ok(!m.text().includes(secret), 'the password is in the log');
});
