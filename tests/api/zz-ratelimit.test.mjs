// Login rate limit (nginx limit_req, per client address). Named to run last: it exhausts
// the limit for this address. Every attempt names another login that does not exist, so
// that neither an account nor a login name reaches its own back-off (which counts per login
// name, docs/api-org.md) and every 429 seen here is nginx's; it waits for the limiter to let
// logins through again before it ends, so that the suites after it (e2e) are not refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, show, assertProblem, waitFor } from './lib.mjs';

let seq = 0;
const attempt = () =>
  request('/api/v1/auth/login', { json: { login: `no-such-user-rl-${process.pid}-${++seq}`, password: 'x' } });

test('ratelimit: many rapid logins from one address get 429 problem+json', async () => {
  let limited;
  const seen = {};
  // bursts of parallel attempts; far more than any sane burst allowance
  for (let round = 0; round < 10 && !limited; round++) {
    const rs = await Promise.all(Array.from({ length: 40 }, attempt));
    for (const r of rs) {
      seen[r.status] = (seen[r.status] || 0) + 1;
      if (r.status === 429 && !limited) limited = r;
      else assert.ok([401, 429].includes(r.status), `unexpected ${show(r)}`);
    }
  }
  assert.ok(limited, `no 429 after ${Object.values(seen).reduce((a, b) => a + b, 0)} attempts: ${JSON.stringify(seen)}`);
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
