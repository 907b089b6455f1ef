// The public questionnaire's rate limit (nginx limit_req per client address on
// /api/v1/public/, docs/api-survey.md). Named to run last, after zz-ratelimit: it exhausts
// the limit for this address with a token that does not exist (no link is touched), and
// waits for the limiter to let requests through again before it ends, so that the suites
// after it (e2e) are not refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, show, assertProblem, waitFor } from './lib.mjs';

const NO_SUCH_TOKEN = 'zzzzzzzzzzzzzzzzzzzzzzzzzz';
const attempt = () => request(`/api/v1/public/surveys/${NO_SUCH_TOKEN}`);

test('ratelimit: many rapid requests to the public questionnaire from one address get 429 problem+json', async () => {
  let limited;
  const seen = {};
  for (let round = 0; round < 10 && !limited; round++) {
    const rs = await Promise.all(Array.from({ length: 50 }, attempt));
    for (const r of rs) {
      seen[r.status] = (seen[r.status] || 0) + 1;
      if (r.status === 429 && !limited) limited = r;
      else assert.ok([404, 429].includes(r.status), `unexpected ${show(r)}`);
    }
  }
  assert.ok(limited, `no 429 after ${Object.values(seen).reduce((a, b) => a + b, 0)} requests: ${JSON.stringify(seen)}`);
  const p = assertProblem(limited, 429);
  assert.match(p.detail, /[а-я]/i, 'the parents read Russian');
  assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After');
  // the limit is on the public API only: the signed-in API and the page still answer
  const h = await request('/api/v1/health');
  assert.equal(h.status, 200, show(h));
  const page = await request(`/s/${NO_SUCH_TOKEN}`);
  assert.equal(page.status, 200, show(page));

  await waitFor(async () => (await attempt()).status === 404, {
    timeout: 120000,
    interval: 1000,
    what: 'the public limiter to let requests through again',
  });
});
