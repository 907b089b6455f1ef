// The release artefact (docs/install.md): the Debian package that `make dist` builds (and
// `make test` before the suites). Nothing is installed into the system: the package is
// unpacked into a temporary root (dpkg-deb -x), and its own vsok-admin and vsokd run from
// there against the test stack's MariaDB, in a database, users, configuration and state of
// their own, the way an administrator sets up a new server.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import path from 'node:path';
import { request as httpsRequest } from 'node:https';
import { REPO, VAR, alive, waitFor, freePort } from './lib.mjs';
import { renderSite, nginxArgs, run } from './production-site.mjs';
import { fcgiRequest } from './fcgi-client.mjs';

const ok = (r, what) => assert.equal(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);

const DIST = path.join(REPO, 'build', 'dist');
const debs = existsSync(DIST) ? readdirSync(DIST).filter((f) => /^vsok_.*\.deb$/.test(f)) : [];
const DEB = path.join(DIST, debs[0] ?? 'vsok_missing.deb');
const TMP = mkdtempSync(path.join(VAR, 'dist-'));
const ROOT = path.join(TMP, 'root'); // the unpacked package
const STATE = path.join(TMP, 'state'); // /var/lib/vsok
const RUN = path.join(TMP, 'run'); // /run/vsok
const ENV_FILE = path.join(ROOT, 'etc', 'vsok', 'vsokd.env');
const ADMIN = path.join(ROOT, 'usr', 'sbin', 'vsok-admin');
const VSOKD = path.join(ROOT, 'usr', 'sbin', 'vsokd');
const DB_SOCKET = path.join(VAR, 'run', 'mysqld.sock');
const tag = randomBytes(4).toString('hex');
const DB = { name: `vsok_dist_${tag}`, owner: `vd_${tag}_own`, app: `vd_${tag}_app` };
const MIGRATIONS = readdirSync(path.join(REPO, 'sql', 'migrations')).filter((f) => f.endsWith('.sql'));

const field = async (name) => (await run('dpkg-deb', ['--field', DEB, name])).stdout.trim();
const admin = (args, input) => run(ADMIN, args, { env: { ...process.env, VSOK_ENV_FILE: ENV_FILE }, input });
/** The MariaDB of the test stack as its administrator (the OS user, through the socket). */
const rootSql = (sql) => run('mariadb', ['--no-defaults', '--protocol=SOCKET', `--socket=${DB_SOCKET}`, `--user=${userInfo().username}`, '--batch', '-e', sql]);

let vsokd;
const NGINX = path.join(TMP, 'nginx');
after(async () => {
  const nginxPid = path.join(NGINX, 'nginx.pid');
  if (existsSync(nginxPid)) {
    const pid = Number(readFileSync(nginxPid, 'utf8'));
    await run('nginx', ['-s', 'quit', ...nginxArgs(NGINX)]);
    await waitFor(() => !alive(pid), { timeout: 20000, what: 'the throwaway nginx stopped' });
  }
  if (vsokd && vsokd.exitCode === null) {
    vsokd.kill('SIGTERM');
    await new Promise((ok_) => vsokd.on('exit', ok_));
  }
  await rootSql(`DROP DATABASE IF EXISTS \`${DB.name}\`; DROP USER IF EXISTS '${DB.owner}'@'localhost', '${DB.app}'@'localhost'`);
  rmSync(TMP, { recursive: true, force: true });
});

test('dist: make dist left one package, which unpacks', async () => {
  assert.equal(debs.length, 1, `build/dist should hold one vsok_*.deb (make dist): ${debs.join(', ')}`);
  ok(await run('dpkg-deb', ['-x', DEB, ROOT]), 'dpkg-deb -x');
  assert.ok(statSync(VSOKD).mode & 0o111, 'vsokd is executable');
});

test('dist: the files hold the built front end and every migration, and nothing of Node.js', async () => {
  const list = (await run('dpkg-deb', ['--contents', DEB])).stdout
    .split('\n')
    .map((l) => /\s\.(\/\S*)$/.exec(l)?.[1])
    .filter(Boolean);
  const has = new Set(list);
  for (const p of ['/usr/sbin/vsokd', '/usr/sbin/vsok-admin', '/usr/share/vsok/www/index.html', '/usr/share/vsok/www/survey/index.html', '/usr/share/vsok/sql/db.sh', '/lib/systemd/system/vsokd.service', '/etc/vsok/vsokd.env', '/etc/nginx/sites-available/vsok.conf']) {
    assert.ok(has.has(p), `${p} is not in the package`);
  }
  for (const m of MIGRATIONS) assert.ok(has.has(`/usr/share/vsok/sql/migrations/${m}`), `migration ${m} is not in the package`);
  // the front end is the one frontend/dist holds, file for file
  const walk = (dir, rel = '') =>
    readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
  const built = walk(path.join(REPO, 'frontend', 'dist'));
  for (const f of built) assert.ok(has.has(`/usr/share/vsok/www/${f}`), `frontend/dist/${f} is not in the package`);
  assert.equal(readFileSync(path.join(ROOT, 'usr/share/vsok/www/index.html'), 'utf8'), readFileSync(path.join(REPO, 'frontend/dist/index.html'), 'utf8'));
  assert.ok(!has.has('/usr/share/vsok/sql/seed/demo.sql'), 'the demo data is not for a server');
  for (const p of list) {
    assert.ok(!/(^|\/)(node_modules|package(-lock)?\.json)(\/|$)|\.[mc]js$/.test(p), `Node.js file in the package: ${p}`);
    if (p.endsWith('.js')) assert.ok(p.startsWith('/usr/share/vsok/www/'), `script outside the front end: ${p}`);
  }
  for (const p of list.filter((q) => !q.endsWith('/'))) {
    const abs = path.join(ROOT, p);
    if (!(statSync(abs).mode & 0o111)) continue;
    const head = readFileSync(abs).subarray(0, 64).toString('latin1');
    assert.ok(!/^#!.*\bnode\b/.test(head), `${p} is a Node.js script`);
  }
});

test('dist: the package depends on the package of every library vsokd links, and the programs it runs', async () => {
  const depends = (await field('Depends')).split(/[,|]/).map((d) => d.trim().split(/[\s(]/)[0]);
  const needed = [...(await run('readelf', ['-d', VSOKD])).stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  assert.ok(needed.includes('libfcgi.so.0') && needed.includes('libmariadb.so.3'), needed.join(' '));
  const ldd = new Map([...(await run('ldd', [VSOKD])).stdout.matchAll(/^\s*(\S+) => (\/\S+)/gm)].map((m) => [m[1], m[2]]));
  const files = needed.map((lib) => {
    const file = ldd.get(lib) ?? (lib.startsWith('ld-linux') ? `/lib64/${lib}` : undefined);
    assert.ok(file, `ldd does not resolve ${lib}`);
    return [lib, [file, file.startsWith('/usr/') ? file.slice(4) : `/usr${file}`, realpathSync(file)]];
  });
  // one dpkg -S for every candidate path (merged /usr: a library is known under one of them)
  const owners = new Map();
  const found = await run('dpkg', ['-S', ...new Set(files.flatMap(([, c]) => c))]);
  for (const m of found.stdout.matchAll(/^([^:,\s]+)(?::[^:\s]+)?: (\S+)$/gm)) owners.set(m[2], m[1]);
  for (const [lib, candidates] of files) {
    const owner = candidates.map((c) => owners.get(c)).find(Boolean);
    assert.ok(owner, `no package holds ${candidates[0]} (${lib})`);
    assert.ok(depends.includes(owner), `${lib} comes from ${owner}, which Depends does not name: ${depends.join(', ')}`);
  }
  for (const tool of ['mariadb-client', 'nginx', 'libvips-tools']) assert.ok(depends.includes(tool), `Depends lacks ${tool}`);
  const all = `${await field('Depends')} ${await field('Recommends')}`;
  assert.ok(!/\bnode(js)?\b|\bnpm\b/.test(all), all);
  const info = (await run('dpkg-deb', ['--info', DEB])).stdout;
  assert.match(info, /^ Depends: .*libmariadb3/m);
});

test('dist: the configuration files are conffiles; the unit and the site use the packaged vsokd and front end', async () => {
  const ctrl = path.join(TMP, 'DEBIAN');
  ok(await run('dpkg-deb', ['--control', DEB, ctrl]), 'dpkg-deb --control');
  const conffiles = readFileSync(path.join(ctrl, 'conffiles'), 'utf8').trim().split('\n');
  for (const f of ['/etc/vsok/vsokd.env', '/etc/nginx/sites-available/vsok.conf', '/etc/nginx/snippets/vsok-security-headers.conf']) {
    assert.ok(conffiles.includes(f), `${f} is not a conffile: ${conffiles.join(' ')}`);
  }
  for (const s of ['postinst', 'prerm', 'postrm']) ok(await run('sh', ['-n', path.join(ctrl, s)]), `sh -n ${s}`);
  ok(await run('bash', ['-n', ADMIN]), 'bash -n vsok-admin');
  const unit = readFileSync(path.join(ROOT, 'lib/systemd/system/vsokd.service'), 'utf8');
  const exec = /^ExecStart=(\S+)/m.exec(unit)?.[1];
  assert.ok(exec && existsSync(path.join(ROOT, exec)), `ExecStart=${exec} is not in the package`);
  assert.match(unit, /^EnvironmentFile=\/etc\/vsok\/vsokd\.env$/m);
  const site = readFileSync(path.join(ROOT, 'etc/nginx/sites-available/vsok.conf'), 'utf8');
  const roots = [...site.matchAll(/^\s*root (\S+);/gm)].map((m) => m[1]).filter((r) => !r.includes('letsencrypt'));
  assert.deepEqual(roots, ['/usr/share/vsok/www']);
  assert.ok(existsSync(path.join(ROOT, roots[0], 'index.html')));
});

/** The packaged vsokd.env, edited as an administrator would for this server. */
function configure() {
  const etc = path.dirname(ENV_FILE);
  const set = {
    VSOK_SOCKET: path.join(RUN, 'vsokd.sock'),
    VSOK_UPLOAD_SOCKET: path.join(RUN, 'vsokd-upload.sock'),
    VSOK_DB_SOCKET: DB_SOCKET,
    VSOK_DB_NAME: DB.name,
    VSOK_DB_USER: DB.app,
    VSOK_DB_PASSWORD_FILE: path.join(etc, 'db-app.password'),
    VSOK_DB_OWNER: DB.owner,
    VSOK_DB_OWNER_PASSWORD_FILE: path.join(etc, 'db.password'),
    VSOK_JWT_KEY_FILE: path.join(STATE, 'jwt.key'),
    VSOK_UPLOADS_DIR: path.join(STATE, 'uploads'),
    VSOK_CONFIG_DIR: etc,
  };
  let text = readFileSync(ENV_FILE, 'utf8');
  for (const [k, v] of Object.entries(set)) {
    const re = new RegExp(`^${k}=.*$`, 'm');
    assert.match(text, re, `the packaged vsokd.env has no ${k}`);
    text = text.replace(re, `${k}=${v}`);
  }
  writeFileSync(ENV_FILE, `${text}VSOK_WORKERS=1\nVSOK_UPLOAD_WORKERS=1\n`);
  const env = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return { ...env, VSOK_WORKERS: '1', VSOK_UPLOAD_WORKERS: '1' };
}

let serviceEnv;

/** The package version that `vsokd version` gives (docs/install.md, "Building it"). */
function debianVersionOf(version) {
  const q = (s) => s.replace(/[.+~]/g, '\\$&');
  const [, base, dirty] = /^(.*?)(-dirty)?$/.exec(version);
  const tail = dirty ? '\\.dirty' : '';
  let m;
  if (/^[0-9a-f]{7,40}$/.test(base)) return new RegExp(`^0\\+git\\d{8}\\.\\d{6}\\.g${base}${tail}$`);
  if ((m = /^v?([0-9][A-Za-z0-9.~]*)-([0-9]+)-g([0-9a-f]+)$/.exec(base))) return new RegExp(`^${q(m[1])}\\+${m[2]}\\.g${m[3]}${tail}$`);
  if ((m = /^v?([0-9][A-Za-z0-9.~]*)$/.exec(base))) return new RegExp(`^${q(m[1])}${tail}$`);
  throw new Error(`vsokd version ${version} is neither a tag nor a commit`);
}

test('dist: vsok-admin init-db sets up a new database and applies every migration; migrate again applies nothing', async () => {
  serviceEnv = configure();
  const init = await admin(['init-db']);
  ok(init, 'vsok-admin init-db');
  assert.match(init.stdout, new RegExp(`${MIGRATIONS.length} migration\\(s\\) applied`));
  assert.match(init.stdout, new RegExp(`${DB.app}@localhost: \\d+ table grant`));
  assert.equal(statSync(serviceEnv.VSOK_DB_OWNER_PASSWORD_FILE).mode & 0o777, 0o600);
  const n = await admin(['shell', '--skip-column-names', '-e', 'SELECT COUNT(*) FROM schema_migrations']);
  ok(n, 'vsok-admin shell');
  assert.equal(Number(n.stdout.trim()), MIGRATIONS.length);
  const again = await admin(['migrate']);
  ok(again, 'vsok-admin migrate');
  assert.match(again.stdout, /database is up to date/);
  const created = await admin(['create-admin', 'distadmin', 'Проверка Пакета', 'Пакетная область'], 'пакет-пароль-2026\n');
  ok(created, 'vsok-admin create-admin');
});

test('dist: the packaged vsokd starts on the new database; health reports the package version; the administrator signs in', async () => {
  assert.ok(serviceEnv, 'the database step ran');
  const version = (await run(VSOKD, ['version'])).stdout.trim();
  assert.ok(version.length > 0);
  const debVersion = await field('Version');
  assert.match(debVersion, debianVersionOf(version), `package version ${debVersion} for vsokd ${version}`);
  assert.ok(path.basename(DEB).startsWith(`vsok_${debVersion}_`), DEB);
  assert.match(await field('Description'), new RegExp(`vsokd version ${version.replace(/[.+]/g, '\\$&')}\\.`));

  // as systemd would: the environment file only, the state directory as working directory
  execFileSync('install', ['-d', '-m', '0750', STATE, RUN]);
  vsokd = spawn(VSOKD, [], { env: { PATH: process.env.PATH, ...serviceEnv }, cwd: STATE, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  vsokd.stderr.on('data', (d) => (log += d));
  const sock = serviceEnv.VSOK_SOCKET;
  const health = await waitFor(
    async () => {
      if (vsokd.exitCode !== null) throw new Error(`vsokd exited ${vsokd.exitCode}: ${log}`);
      if (!existsSync(sock)) return null;
      const r = await fcgiRequest(sock, { uri: '/api/v1/health' });
      return r.status === 200 ? r : null;
    },
    { timeout: 30000, what: `the packaged vsokd's health (${log})` },
  );
  const body = JSON.parse(health.body);
  assert.deepEqual(body, { status: 'ok', db: 'ok', version });
  assert.ok(existsSync(serviceEnv.VSOK_UPLOAD_SOCKET), 'the upload pool listens');
  assert.ok(existsSync(serviceEnv.VSOK_JWT_KEY_FILE), 'the signing key is made in the state directory');

  const login = await fcgiRequest(sock, {
    method: 'POST',
    uri: '/api/v1/auth/login',
    body: JSON.stringify({ login: 'distadmin', password: 'пакет-пароль-2026' }),
  });
  assert.equal(login.status, 200, login.body);
  const token = JSON.parse(login.body).access_token;
  const me = await fcgiRequest(sock, { uri: '/api/v1/me', headers: { HTTP_AUTHORIZATION: `Bearer ${token}` } });
  assert.equal(me.status, 200, me.body);
  assert.equal(JSON.parse(me.body).role, 'administrator');
});

/** GET over HTTPS from the throwaway nginx (its certificate is self-signed). */
function httpsGet(port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: urlPath, servername: 'vsok.example.ru', rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('dist: the packaged nginx site serves the packaged front end and passes the API to the packaged vsokd', async () => {
  assert.ok(vsokd && vsokd.exitCode === null, 'the packaged vsokd runs');
  const [http, https] = [await freePort(), await freePort()];
  const www = path.join(ROOT, 'usr/share/vsok/www');
  const site = readFileSync(path.join(ROOT, 'etc/nginx/sites-available/vsok.conf'), 'utf8').replace(/^\s*listen \[::\]:.*$/gm, '');
  await renderSite(NGINX, site, path.join(ROOT, 'etc/nginx/snippets'), {
    asRoot: process.getuid() === 0,
    replace: {
      'listen 80;': `listen 127.0.0.1:${http};`,
      'listen 443 ssl': `listen 127.0.0.1:${https} ssl`,
      '/usr/share/vsok/www': www,
      'unix:/run/vsok/': `unix:${RUN}/`,
      '/var/lib/vsok/uploads/': `${serviceEnv.VSOK_UPLOADS_DIR}/`,
    },
  });
  ok(await run('nginx', nginxArgs(NGINX)), 'nginx with the packaged site');
  const page = await httpsGet(https, '/dashboards');
  assert.equal(page.status, 200, page.body);
  assert.equal(page.body, readFileSync(path.join(www, 'index.html'), 'utf8'));
  assert.match(page.headers['content-security-policy'] ?? '', /default-src 'self'/);
  const survey = await httpsGet(https, '/s/any-token');
  assert.equal(survey.body, readFileSync(path.join(www, 'survey/index.html'), 'utf8'));
  const health = await httpsGet(https, '/api/v1/health');
  assert.equal(health.status, 200, health.body);
  assert.equal(JSON.parse(health.body).version, (await run(VSOKD, ['version'])).stdout.trim());
});
