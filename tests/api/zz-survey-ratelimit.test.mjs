// The public questionnaire's rate limit (nginx limit_req per client address on
// /api/v1/public/, docs/api-survey.md). Named to run last, after zz-ratelimit: it exhausts
// the limit for this address with a token that does not exist (no link is touched), and
// waits for the limiter to let requests through again before it ends, so that the suites
// after it (e2e) are not refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, show, assertProblem, waitFor, burstUntil429 } from './lib.mjs';

const NO_SUCH_TOKEN = 'zzzzzzzzzzzzzzzzzzzzzzzzzz';
const attempt = () => request(`/api/v1/public/surveys/${NO_SUCH_TOKEN}`);

test('ratelimit: many rapid requests to the public questionnaire from one address get 429 problem+json', async () => {
  const limited = await burstUntil429(attempt, { width: 50, allowed: [404] });
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
