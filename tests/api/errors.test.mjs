// Bad input and unknown routes: always problem+json with the right status, never 5xx.
// Also the security headers that nginx adds to every answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, request, requestRetry429, show, assertProblem } from './lib.mjs';

const LOGIN = '/api/v1/auth/login';
const post = (body, contentType = 'application/json') =>
  requestRetry429(LOGIN, { method: 'POST', body, headers: { 'Content-Type': contentType } });

/** errors[] of a validation problem names `field`. */
function assertFieldError(p, field) {
  assert.ok(Array.isArray(p.errors), `errors[] missing: ${JSON.stringify(p)}`);
  assert.ok(
    p.errors.some((e) => e && typeof e.field === 'string' && e.field.replace(/^\/|^\$\./, '') === field && typeof e.message === 'string'),
    `errors[] does not name "${field}": ${JSON.stringify(p.errors)}`,
  );
}

test('errors: malformed JSON on login -> 400', async () => {
  for (const body of ['{"login":"teacher","password":', '{login:teacher}', 'not json', '{"login":"a","password":"b"}x']) {
    assertProblem(await post(body), 400);
  }
});

test('errors: empty body on login -> 400', async () => {
  assertProblem(await post(''), [400, 422]);
});

test('errors: wrong content type (text/plain) -> 415', async () => {
  assertProblem(await post(JSON.stringify({ login: 'teacher', password: 'demo' }), 'text/plain'), 415);
  assertProblem(await post(JSON.stringify({ login: 'teacher', password: 'demo' }), 'application/x-www-form-urlencoded'), 415);
});

test('errors: missing content type with a JSON body -> 415', async () => {
  const r = await requestRetry429(LOGIN, { method: 'POST', body: Buffer.from('{"login":"teacher","password":"demo"}') });
  assertProblem(r, 415);
});

test('errors: application/json with a charset parameter is accepted', async () => {
  const r = await post(JSON.stringify({ login: 'no-such-user-cs', password: 'x' }), 'application/json; charset=utf-8');
  // 401 (wrong login), not 415
  assertProblem(r, 401);
});

test('errors: body over 1 MiB -> 413', async () => {
  const pad = 'x'.repeat(1024 * 1024 + 16);
  const r = await post(JSON.stringify({ login: 'teacher', password: pad }));
  assertProblem(r, 413);
});

test('errors: body just under 1 MiB is not refused for its size', async () => {
  const body = JSON.stringify({ login: 'no-such-user-big', password: 'x'.repeat(1024 * 1024 - 200) });
  assert.ok(Buffer.byteLength(body) < 1024 * 1024);
  const r = await post(body);
  assert.notEqual(r.status, 413, show(r));
  assert.ok(r.status >= 400 && r.status < 500, show(r));
  assertProblem(r, r.status);
});

test('errors: invalid UTF-8 inside JSON -> 400', async () => {
  const body = Buffer.concat([
    Buffer.from('{"login":"'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('","password":"demo"}'),
  ]);
  assertProblem(await post(body), 400);
});

test('errors: NUL escaped inside a string does not pass as a login', async () => {
  const r = await post('{"login":"teacher\\u0000x","password":"demo"}');
  assert.ok([400, 401, 422].includes(r.status), show(r));
  assertProblem(r, r.status);
});

test('errors: wrong JSON types -> 400 or 422 with errors[] naming the field', async () => {
  const p1 = assertProblem(await post(JSON.stringify({ login: 123, password: 'demo' })), [400, 422]);
  assertFieldError(p1, 'login');
  const p2 = assertProblem(await post(JSON.stringify({ login: 'teacher', password: ['demo'] })), [400, 422]);
  assertFieldError(p2, 'password');
  const p3 = assertProblem(await post(JSON.stringify({ login: 'teacher', password: null })), [400, 422]);
  assertFieldError(p3, 'password');
});

test('errors: missing field -> 400 or 422 with errors[] naming it', async () => {
  const p = assertProblem(await post(JSON.stringify({ login: 'teacher' })), [400, 422]);
  assertFieldError(p, 'password');
  const q = assertProblem(await post(JSON.stringify({ password: 'demo' })), [400, 422]);
  assertFieldError(q, 'login');
});

test('errors: JSON that is not an object -> 400 or 422', async () => {
  for (const body of ['[]', '"teacher"', '42', 'null', 'true', '[{"login":"teacher","password":"demo"}]']) {
    assertProblem(await post(body), [400, 422]);
  }
});

test('errors: hostile inputs never give a 5xx', async () => {
  const bodies = [
    '['.repeat(100000),
    '{"a":'.repeat(50000),
    '{"login":"' + '\\ud800'.repeat(10) + '","password":"x"}',
    '{"login":"teacher","password":"demo","login":"admin"}',
    '{"login":"' + 'л'.repeat(5000) + '","password":"x"}',
    '{"login":"teacher","password":"' + 'x'.repeat(100000) + '"}',
    '\u0000\u0000\u0000',
    '{"login":1e999,"password":"x"}',
  ];
  for (const body of bodies) {
    const r = await post(body);
    assert.ok(r.status >= 400 && r.status < 500, `${body.slice(0, 40)}: ${show(r)}`);
    assertProblem(r, r.status);
  }
});

test('errors: unknown route /api/v1/nope -> 404', async () => {
  assertProblem(await request('/api/v1/nope'), 404);
  assertProblem(await request('/api/v1/me/extra'), 404);
  assertProblem(await request('/api/v2/health'), 404);
  assertProblem(await request('/api/v1/nope', { method: 'POST', json: {} }), 404);
});

test('errors: wrong method (DELETE /api/v1/health) -> 405 with Allow', async () => {
  const r = await request('/api/v1/health', { method: 'DELETE' });
  assertProblem(r, 405);
  const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase());
  assert.ok(allow.includes('GET'), `Allow: ${r.headers.get('allow')}`);
  assert.ok(!allow.includes('DELETE'), `Allow: ${r.headers.get('allow')}`);
});

test('errors: GET on the login endpoint -> 405 with Allow: POST', async () => {
  const r = await requestRetry429(LOGIN);
  assertProblem(r, 405);
  const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase());
  assert.ok(allow.includes('POST'), `Allow: ${r.headers.get('allow')}`);
});

test('errors: path tricks do not reach another route', async () => {
  for (const p of ['/api/v1/health/../me', '/api/v1//me', '/api/v1/%6De']) {
    const r = await request(p);
    // either normalised to a route that then needs a token, or not found — never 200 without auth
    assert.notEqual(r.status, 200, `${p}: ${show(r)}`);
    assert.ok(r.status < 500, `${p}: ${show(r)}`);
  }
});

// --- security headers (nginx, one snippet, on every answer) ---

function assertSecurityHeaders(r, where) {
  assert.equal((r.headers.get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${where}: nosniff`);
  const csp = r.headers.get('content-security-policy') || '';
  assert.match(csp, /frame-ancestors\s+'none'/, `${where}: CSP ${csp}`);
  const directives = Object.fromEntries(
    csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k.toLowerCase(), v]),
  );
  const scriptSrc = directives['script-src'] || directives['default-src'];
  assert.ok(scriptSrc, `${where}: CSP without script-src or default-src: ${csp}`);
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), `${where}: CSP allows inline script: ${csp}`);
  assert.ok(r.headers.get('referrer-policy'), `${where}: Referrer-Policy missing`);
}

test('headers: security headers on / (the SPA)', async () => {
  const r = await fetch(BASE + '/');
  await r.text();
  assert.ok(r.status === 200, `GET / -> ${r.status}`);
  assertSecurityHeaders(r, '/');
});

test('headers: security headers on /api responses, errors included', async () => {
  assertSecurityHeaders(await request('/api/v1/health'), '/api/v1/health');
  assertSecurityHeaders(await request('/api/v1/nope'), '/api/v1/nope (404)');
  assertSecurityHeaders(await request('/api/v1/me'), '/api/v1/me (401)');
});
