// The production layout (README.md, "Deployment"): the configuration example, the systemd
// unit and the nginx site agree on where the state lives (/var/lib/vsok: the evidence that
// nginx serves, the signing key), vsokd may write exactly there, and nginx accepts the
// production site (`nginx -t`, rendered with a temporary certificate and prefix).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from './lib.mjs';
import { renderSite, nginxArgs, run } from './production-site.mjs';

const read = (p) => readFileSync(path.join(REPO, p), 'utf8');
const ENV_EXAMPLE = read('backend/deploy/vsokd.env.example');
const UNIT = read('backend/deploy/vsokd.service');
const SITE = read('nginx/production/vsok.conf');
const DEV = read('nginx/dev.conf.in');

/** KEY=value lines of an environment file (comments and blanks skipped). */
function envFile(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

/** Values of one directive of a systemd unit. */
const unitValues = (key) => [...UNIT.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1].trim());

const ENV = envFile(ENV_EXAMPLE);
const within = (p, dir) => p === dir || p.startsWith(`${dir}/`);

let tmp;
after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

test('production: every path of the configuration example is absolute; the state lives under /var/lib/vsok', () => {
  const paths = Object.entries(ENV).filter(([k]) => /(_DIR|_FILE|_SOCKET)$/.test(k));
  assert.ok(paths.length >= 5, JSON.stringify(paths));
  for (const [k, v] of paths) assert.ok(v.startsWith('/'), `${k}=${v} is not absolute`);
  assert.equal(ENV.VSOK_UPLOADS_DIR, '/var/lib/vsok/uploads');
  assert.ok(within(ENV.VSOK_JWT_KEY_FILE, '/var/lib/vsok'), ENV.VSOK_JWT_KEY_FILE);
});

test('production: the unit works in /var/lib/vsok and may write only there (and its socket directory)', () => {
  assert.deepEqual(unitValues('WorkingDirectory'), ['/var/lib/vsok']);
  assert.deepEqual(unitValues('StateDirectory'), ['vsok']); // /var/lib/vsok, owned by User=
  assert.deepEqual(unitValues('RuntimeDirectory'), ['vsok']); // /run/vsok
  assert.deepEqual(unitValues('ProtectSystem'), ['strict']);
  assert.deepEqual(unitValues('ReadWritePaths'), ['/var/lib/vsok']);
  assert.deepEqual(unitValues('EnvironmentFile'), ['/etc/vsok/vsokd.env']);
  const writable = ['/var/lib/vsok', '/run/vsok'];
  for (const k of ['VSOK_UPLOADS_DIR', 'VSOK_JWT_KEY_FILE', 'VSOK_SOCKET', 'VSOK_UPLOAD_SOCKET']) {
    assert.ok(writable.some((d) => within(ENV[k], d)), `${k}=${ENV[k]} is outside what vsokd may write`);
  }
  // the logs go to journald (stderr), nowhere on disk
  assert.deepEqual(unitValues('StandardError'), []);
});

test('production: nginx serves the evidence from VSOK_UPLOADS_DIR and talks to VSOK_SOCKET', () => {
  const alias = (loc) => new RegExp(`location ${loc} \\{[^}]*alias ([^;]+);`).exec(SITE)?.[1];
  assert.equal(alias('/_files/'), `${ENV.VSOK_UPLOADS_DIR}/objects/`);
  assert.equal(alias('/_derived/'), `${ENV.VSOK_UPLOADS_DIR}/derived/`);
  const passes = [...SITE.matchAll(/location ([^{]+)\{[^}]*fastcgi_pass ([^;]+);/g)].map((m) => [m[1].trim(), m[2]]);
  assert.ok(passes.length >= 4);
  // the tus location and the evidence's previews and copies go to the upload pool's socket,
  // every other one to the API's
  const uploadPool = ['/api/v1/uploads', '~ ^/api/v1/files/[0-9]+(/thumb)?$'];
  for (const [loc, p] of passes) {
    assert.equal(p, `unix:${uploadPool.includes(loc) ? ENV.VSOK_UPLOAD_SOCKET : ENV.VSOK_SOCKET}`, loc);
  }
  for (const l of uploadPool) assert.ok(passes.some(([loc]) => loc === l), l);
  assert.ok(ENV.VSOK_UPLOAD_SOCKET && ENV.VSOK_UPLOAD_SOCKET !== ENV.VSOK_SOCKET);
});

test('production: the site has the locations of the development configuration', () => {
  const locations = (text) => new Set([...text.matchAll(/^\s*location ([^{]+)\{/gm)].map((m) => m[1].trim()));
  const dev = locations(DEV);
  const prod = locations(SITE);
  for (const l of dev) assert.ok(prod.has(l), `location ${l} is missing in nginx/production/vsok.conf`);
  for (const l of prod) assert.ok(dev.has(l) || ['/', '/.well-known/acme-challenge/'].includes(l), `location ${l} is missing in nginx/dev.conf.in`);
});

test('production: nginx -t accepts the site with the snippets (temporary certificate and prefix)', async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'vsok-nginx-'));
  await renderSite(tmp, SITE, path.join(REPO, 'nginx', 'snippets'));
  const t = await run('nginx', ['-t', ...nginxArgs(tmp)]);
  assert.equal(t.code, 0, `nginx -t: ${t.stdout}${t.stderr}`);
  assert.match(t.stderr, /test is successful/);
});
