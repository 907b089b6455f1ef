// GET /api/v1/health: the liveness and database check used by the shell and the scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, show } from './lib.mjs';

test('health: 200 {status:"ok", db:"ok", version}', async () => {
  const r = await request('/api/v1/health');
  assert.equal(r.status, 200, show(r));
  assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
  assert.equal(r.json.status, 'ok');
  assert.equal(r.json.db, 'ok');
  assert.equal(typeof r.json.version, 'string');
  assert.ok(r.json.version.length > 0, 'version is empty');
});

test('health: answers the same on repeated calls (every worker has a database connection)', async () => {
  // more parallel calls than workers, so that each worker answers at least once in practice
  const rs = await Promise.all(Array.from({ length: 16 }, () => request('/api/v1/health')));
  for (const r of rs) {
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.db, 'ok');
  }
  assert.equal(new Set(rs.map((r) => r.json.version)).size, 1, 'version differs between calls');
});

test('health: a query string does not change the route', async () => {
  const r = await request('/api/v1/health?probe=1&x=%20');
  assert.equal(r.status, 200, show(r));
  assert.equal(r.json.status, 'ok');
});
