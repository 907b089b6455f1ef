// Login rate limit (nginx limit_req, per client address). Named to run last: it exhausts
// the limit for this address. Every attempt names another login that does not exist, so
// that neither an account nor a login name reaches its own back-off (which counts per login
// name, docs/api-org.md) and every 429 seen here is nginx's; it waits for the limiter to let
// logins through again before it ends, so that the suites after it (e2e) are not refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, show, assertProblem, waitFor, burstUntil429 } from './lib.mjs';

let seq = 0;
const attempt = () =>
  request('/api/v1/auth/login', { json: { login: `no-such-user-rl-${process.pid}-${++seq}`, password: 'x' } });

test('ratelimit: many rapid logins from one address get 429 problem+json', async () => {
  // bursts of parallel attempts; far more than any sane burst allowance
  const limited = await burstUntil429(attempt, { width: 40, allowed: [401] });
  assertProblem(limited, 429);
  // the limit is on login only: other endpoints still answer
  const h = await request('/api/v1/health');
  assert.equal(h.status, 200, show(h));

  // the limiter drains: a login attempt is judged on its merits again (401, not 429)
  await waitFor(async () => (await attempt()).status === 401, {
    timeout: 120000,
    interval: 1000,
    what: 'the login limiter to let requests through again',
  });
});
