// The parents' questionnaire is anonymous (docs/api-survey.md): nginx writes no line about
// its requests, neither in the access log nor in the error log, also when nginx answers
// itself from one of its error locations (@vsok_413, @vsok_502; @vsok_504 is the same
// mechanism). The rest of the site is still logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { VAR, request, show, waitFor, sleep } from './lib.mjs';

const ACCESS = path.join(VAR, 'log', 'nginx-access.log');
const ERRORS = path.join(VAR, 'log', 'nginx-error.log');

/** What a log file gets after now. */
function mark(file) {
  let from = 0;
  try {
    from = statSync(file).size;
  } catch {
    /* not written yet */
  }
  return () => {
    try {
      return readFileSync(file).subarray(from).toString('utf8');
    } catch {
      return '';
    }
  };
}

const oversize = () => JSON.stringify({ answers: { q1: 'x'.repeat(100 * 1024) } }); // > 64k

test('an oversize survey answer (nginx 413 from @vsok_413) leaves no line in the access or error log', async () => {
  const agent = `ops-survey-agent-${randomBytes(6).toString('hex')}`;
  const token = randomBytes(16).toString('base64url');
  const access = mark(ACCESS);
  const errors = mark(ERRORS);
  const paths = [
    `/api/v1/public/surveys/${token}/responses`,
    // the same location reached through an escaped path: nginx matches the decoded $uri
    `/api/v1/%70ublic/surveys/${token}/responses`,
  ];
  for (const p of paths) {
    const r = await request(p, { method: 'POST', body: oversize(), headers: { 'Content-Type': 'application/json', 'User-Agent': agent } });
    assert.equal(r.status, 413, show(r));
    assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, show(r));
  }
  // the same request elsewhere in the API is logged: the log works and nginx has written
  const control = `/api/v1/users?ops=${randomBytes(6).toString('hex')}`;
  const c = await request(control, { method: 'POST', body: 'x'.repeat(3 * 1024 * 1024), headers: { 'Content-Type': 'application/json', 'User-Agent': agent } });
  assert.equal(c.status, 413, show(c));
  await waitFor(() => access().includes(control), { timeout: 5000, interval: 50, what: 'the control line in the access log' });
  await sleep(100);
  const lines = access().split('\n').filter(Boolean);
  const leaks = lines.filter((l) => l.includes(token) || (l.includes(agent) && !l.includes(control)));
  assert.deepEqual(leaks, [], 'access log lines of the public questionnaire');
  assert.ok(!errors().includes(token), `error log lines of the public questionnaire:\n${errors()}`);
});

test('the survey page /s/ leaves no line in the access log, a 404 of the site does', async () => {
  const token = randomBytes(16).toString('base64url');
  const access = mark(ACCESS);
  const r = await request(`/s/${token}`);
  assert.equal(r.status, 200, show(r));
  const big = await request(`/s/${token}`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(big.status, 413, show(big));
  const control = `/assets/ops-missing-${randomBytes(6).toString('hex')}.js`;
  assert.equal((await request(control)).status, 404);
  await waitFor(() => access().includes(control), { timeout: 5000, interval: 50, what: 'the control line in the access log' });
  assert.ok(!access().includes(token), `access log lines of /s/:\n${access()}`);
});

test('vsokd unreachable (nginx 502 from @vsok_502): no line of the questionnaire in the access or error log', async () => {
  const sock = path.join(VAR, 'run', 'vsokd.sock');
  const agent = `ops-survey-agent-${randomBytes(6).toString('hex')}`;
  const token = randomBytes(16).toString('base64url');
  const control = `/api/v1/health?ops=${randomBytes(6).toString('hex')}`;
  const access = mark(ACCESS);
  const errors = mark(ERRORS);
  // nginx connects to the socket's path for every request: without it, connect() fails
  renameSync(sock, `${sock}.away`);
  let pub, ctl;
  try {
    pub = await request(`/api/v1/public/surveys/${token}`, { headers: { 'User-Agent': agent } });
    ctl = await request(control, { headers: { 'User-Agent': agent } });
  } finally {
    renameSync(`${sock}.away`, sock);
  }
  assert.equal(pub.status, 502, show(pub));
  assert.match(pub.headers.get('content-type') || '', /^application\/problem\+json/, show(pub));
  assert.equal(ctl.status, 502, show(ctl));
  await waitFor(() => access().includes(control), { timeout: 5000, interval: 50, what: 'the control line in the access log' });
  await waitFor(() => errors().includes(control), { timeout: 5000, interval: 50, what: 'the control line in the error log' });
  const leaks = access().split('\n').filter((l) => l.includes(token) || (l.includes(agent) && !l.includes(control)));
  assert.deepEqual(leaks, [], 'access log lines of the public questionnaire');
  assert.ok(!errors().includes(token), `error log lines of the public questionnaire:\n${errors()}`);
  assert.equal((await request('/api/v1/health')).status, 200, 'vsokd answers again');
});
