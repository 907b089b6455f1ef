// Responses against backend/openapi.yaml: every documented operation is routed, and every
// answer the other suites rely on has a documented status, media type and body shape.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  request,
  requestRetry429,
  show,
  login,
  loginRaw,
  refresh,
  getSetCookie,
} from './lib.mjs';
import { loadSpec, validate } from './openapi.mjs';
import { assertConforms } from './client.mjs';

let spec;
let base; // "/api/v1"

before(() => {
  spec = loadSpec();
  base = new URL(spec.servers?.[0]?.url ?? '/', 'http://x').pathname.replace(/\/$/, '');
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Asserts that response r of `method templatePath` is documented and matches its schema. */
const conforms = (method, templatePath, r) => assertConforms(spec, method, templatePath, r);

test('openapi: the spec reads, and every documented operation is routed (not 404/405)', async () => {
  assert.match(String(spec.openapi), /^3\./);
  const ops = [];
  for (const [p, item] of Object.entries(spec.paths || {})) {
    for (const m of METHODS) if (item[m]) ops.push([m, p]);
  }
  assert.ok(ops.length >= 5, `only ${ops.length} operations documented`);
  for (const [m, p] of ops) {
    const url = base + p.replace(/\{[^}]+\}/g, '1');
    const opts = { method: m.toUpperCase() };
    if (m === 'post' || m === 'put' || m === 'patch') {
      opts.body = '{}';
      opts.headers = { 'Content-Type': 'application/json' };
    }
    const r = await requestRetry429(url, opts);
    assert.notEqual(r.status, 405, `${m.toUpperCase()} ${p}: 405 (${show(r)})`);
    if (!/\{/.test(p)) assert.notEqual(r.status, 404, `${m.toUpperCase()} ${p}: 404, not routed (${show(r)})`);
    assert.ok(r.status < 500, `${m.toUpperCase()} ${p}: ${show(r)}`);
  }
});

test('openapi: health', async () => {
  conforms('get', '/health', await request(base + '/health'));
});

test('openapi: login 200, 401, 400, 415, 413 and a type error', async () => {
  const post = (body, ct = 'application/json') =>
    requestRetry429(base + '/auth/login', { method: 'POST', body, headers: { 'Content-Type': ct } });
  conforms('post', '/auth/login', await loginRaw('teacher'));
  conforms('post', '/auth/login', await loginRaw('teacher', 'wrong-password'));
  conforms('post', '/auth/login', await post('{"login":'));
  conforms('post', '/auth/login', await post('{"login":"a","password":"b"}', 'text/plain'));
  conforms('post', '/auth/login', await post(JSON.stringify({ login: 'a', password: 'x'.repeat(1024 * 1024 + 1) })));
  conforms('post', '/auth/login', await post(JSON.stringify({ login: 1, password: 'x' })));
});

test('openapi: refresh 200 and 401, logout 204', async () => {
  const s = await login('doo');
  const r = await refresh(s.cookie);
  conforms('post', '/auth/refresh', r);
  conforms('post', '/auth/refresh', await refresh(undefined));
  const c = getSetCookie(r.headers);
  conforms('post', '/auth/logout', await request(base + '/auth/logout', { method: 'POST', cookie: `vsok_refresh=${c.value}` }));
});

test('openapi: me 200 and 401', async () => {
  const s = await login('expert');
  conforms('get', '/me', await request(base + '/me', { token: s.token }));
  conforms('get', '/me', await request(base + '/me'));
  conforms('get', '/me', await request(base + '/me', { token: s.token + 'x' }));
});

test('openapi: every route of backend/src/server/routes.c is documented', async () => {
  const { readFileSync } = await import('node:fs');
  const src = readFileSync(new URL('../../backend/src/server/routes.c', import.meta.url), 'utf8');
  const routes = [...src.matchAll(/\{"([A-Z]+)",\s*"(\/api\/v1[^"]*)"/g)].map(([, m, p]) => [m.toLowerCase(), p]);
  assert.ok(routes.length >= 5, 'no routes found in routes.c');
  const missing = routes.filter(([m, p]) => !spec.paths?.[p.slice(base.length)]?.[m]);
  assert.deepEqual(missing, [], `routes missing from openapi.yaml: ${missing.map((r) => r.join(' ')).join(', ')}`);
});

test('openapi: units list, search, one unit, children, validation and not-found', async () => {
  const s = await login('municipal');
  const roots = await request(base + '/units', { token: s.token });
  conforms('get', '/units', roots);
  assert.ok(roots.json.items.length >= 1);
  conforms('get', '/units', await request(base + '/units?q=%D1%81%D0%B0%D0%B4&level=kindergarten', { token: s.token }));
  conforms('get', '/units', await request(base + '/units?level=planet', { token: s.token }));
  const id = roots.json.items[0].id;
  const one = await request(`${base}/units/${id}`, { token: s.token });
  conforms('get', '/units/{id}', one);
  assert.equal(one.json.id, id);
  conforms('get', '/units/{id}/children', await request(`${base}/units/${id}/children`, { token: s.token }));
  conforms('get', '/units/{id}', await request(`${base}/units/999999999`, { token: s.token }));
});

test('openapi: audit page', async () => {
  const s = await login('region');
  const r = await request(base + '/audit?limit=5', { token: s.token });
  conforms('get', '/audit', r);
  assert.ok(r.json.items.some((e) => e.action === 'auth.login'), 'the login itself is audited');
  conforms('get', '/audit', await request(base + '/audit?limit=0', { token: s.token }));
});

test('openapi: answers outside the documented operations (404, 405) are Problem documents', async () => {
  const problem = spec.components?.schemas?.Problem;
  assert.ok(problem, 'components.schemas.Problem missing');
  for (const r of [await request(base + '/nope'), await request(base + '/health', { method: 'DELETE' })]) {
    assert.ok([404, 405].includes(r.status), show(r));
    const errs = validate(spec, problem, r.json);
    assert.deepEqual(errs, [], `${errs.join('\n')}\n${show(r)}`);
  }
});
