// Evidence uploads under faults (docs/api-evidence.md, "Faults"): the worker holding the
// last chunk killed, MariaDB killed, a database error at completion, a full disk under
// vsokd and under nginx, and partial/ on another filesystem than nginx's body temp
// directory. Each ends with the client (raw HEAD + PATCH, or tus-js-client) holding the
// same SHA-256 file and nothing orphaned on disk.
//
// The completion is held at its INSERT into evidence_files by a gap lock that a second
// MariaDB connection (the private instance's admin account) takes, so that the fault lands
// in the window between the bytes reaching objects/ and the commit. The disk faults mount
// small tmpfs filesystems over directories of the test stack (root only; unmounted after
// each test), the way a full /var/lib/vsok or a separately mounted uploads directory looks.
// Test files run one at a time (tests/run-all.sh), so no other suite uploads meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, statfsSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { BASE, VAR, request, login, assertProblem, show, dbctl, waitFor, alive, workerPids, runTag, testSeed } from './lib.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay } from './fixtures-forms.mjs';
import { API, apiClient, Conformance } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { sha256, seededRandom, makePng, tusUpload, tusStatus, listFiles, exists, objectPath, hashedHow } from './fixtures-uploads.mjs';

const ENDPOINT = `${BASE}${API}/uploads`;
const RUN = runTag('f');
const SEED = testSeed();
const rnd = seededRandom(SEED);
const UPLOADS = path.join(VAR, 'uploads');
const PARTIAL = path.join(UPLOADS, 'partial');
const BODY_TEMP = path.join(VAR, 'nginx', 'client_body_temp');
const LOG = path.join(VAR, 'log', 'vsokd.log');
const SOCK = path.join(VAR, 'run', 'mysqld.sock');
const TUS = { 'Tus-Resumable': '1.0.0' };
const KiB = 1024;

const T = {};
const C = new Conformance(loadSpec());
const { api } = apiClient({ tokens: T, conformance: C, checkAll: false, timeout: 60000 });
let SHEET;
let INDICATOR;
const mounted = new Set();

// ---------------------------------------------------------------------------------------
// Calls

async function create(length, { who = 'teacher', filetype = 'image/png' } = {}) {
  const meta = { filename: `fault-${RUN}.png`, filetype, submission: String(SHEET.id), indicator: INDICATOR };
  const h = {
    ...TUS,
    'Upload-Length': String(length),
    'Upload-Metadata': Object.entries(meta)
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(','),
  };
  const r = await api(who, 'POST', '/uploads', { headers: h });
  assert.equal(r.status, 201, `create: ${show(r)}`);
  return /\/([0-9a-f]{32})$/.exec(r.headers.get('location'))[1];
}

/** A raw tus PATCH. */
const rawPatch = (id, offset, body) =>
  api('teacher', 'PATCH', `/uploads/${id}`, { headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }, body });

/** A raw tus PATCH answered by vsokd (or nginx's 507), checked against backend/openapi.yaml. */
const patch = async (id, offset, body) => C.check('PATCH', '/uploads/{id}', await rawPatch(id, offset, body));

async function offsetOf(id) {
  const r = await api('teacher', 'HEAD', `/uploads/${id}`, { headers: TUS });
  assert.equal(r.status, 200, `HEAD ${id}: ${r.status}`);
  return Number(r.headers.get('upload-offset'));
}

const partialPath = (id) => path.join(PARTIAL, id);
const objects = () => listFiles(path.join(UPLOADS, 'objects'));

/** The upload resumed by tus-js-client from the URL (HEAD, then the rest); checks the result. */
async function resumeAndCheck(id, png, { chunkSize = 64 * KiB, onShouldRetry, retryDelays = [0, 200, 500, 1000, 2000, 4000] } = {}) {
  const res = await tusUpload(png, {
    endpoint: ENDPOINT,
    uploadUrl: `${ENDPOINT}/${id}`,
    token: T.teacher.token,
    metadata: { filename: `fault-${RUN}.png`, filetype: 'image/png', submission: String(SHEET.id), indicator: INDICATOR },
    chunkSize,
    retryDelays,
    onShouldRetry,
  });
  assert.equal(res.id, id, 'the client continued the same upload');
  return checkFinished(id, png);
}

/** The upload is complete, its file is the source's bytes, one object, no partial left. */
async function checkFinished(id, png) {
  const st = await api('teacher', 'GET', `/uploads/${id}`);
  assert.equal(st.status, 200, show(st));
  assert.equal(st.json.complete, true, show(st));
  const f = await fetch(`${BASE}${API}/files/${st.json.file_id}`, { headers: { Authorization: `Bearer ${T.teacher.token}` } });
  assert.equal(f.status, 200);
  const bytes = Buffer.from(await f.arrayBuffer());
  assert.equal(sha256(bytes), sha256(png), 'the stored file has the source’s SHA-256');
  assert.ok(exists(objectPath(UPLOADS, sha256(png))), 'its object is in place');
  assert.ok(!exists(partialPath(id)), 'no partial file left');
  const rows = await query(`SELECT COUNT(*) FROM evidence_files WHERE sha256 = UNHEX('${sha256(png)}')`);
  assert.deepEqual(rows, [['1']], 'one file row for these bytes');
  return st.json.file_id;
}

// ---------------------------------------------------------------------------------------
// The database's admin account (the test stack's private instance: unix_socket as root)

const ADMIN = ['--no-defaults', '--protocol=SOCKET', `--socket=${SOCK}`, '--user=root', '-B', '-N', 'vsok'];

const adminSql = (sql) => execFileSync('mariadb', [...ADMIN, '-e', sql], { encoding: 'utf8', timeout: 30000 });

/**
 * A second connection that holds the gap above the last evidence_files row (REPEATABLE
 * READ, FOR UPDATE): an INSERT of a new file waits for it. release() rolls back and closes.
 */
async function holdFileInserts() {
  const child = spawn('mariadb', [...ADMIN, '-n'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  child.stdin.on('error', () => {});
  child.stdin.write(
    'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nBEGIN;\n' +
      'SELECT COUNT(*) FROM evidence_files WHERE id > (SELECT COALESCE(MAX(id), 0) FROM evidence_files) FOR UPDATE;\n' +
      "SELECT 'locked';\n",
  );
  await waitFor(() => out.includes('locked'), { timeout: 10000, what: `the lock (${out})` });
  return {
    async release() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end('ROLLBACK;\n');
        await exited;
      }
    },
  };
}

/** The MariaDB thread id of the vsokd connection waiting on its INSERT into evidence_files. */
function waitingInsert() {
  return waitFor(
    () => {
      const rows = adminSql("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO evidence_files%'").trim();
      return rows ? Number(rows.split('\n')[0]) : null;
    },
    { timeout: 20000, interval: 50, what: 'the completion waiting on its INSERT' },
  );
}

/** Where a worker waiting for a request sleeps (epoll; the name depends on the kernel). */
const IDLE_WCHAN = ['do_epoll_wait', 'ep_poll'];

/**
 * The pid of the one worker busy with a request: the others wait for one in epoll
 * (/proc/<pid>/wchan); it waits for MariaDB's answer to its INSERT.
 */
function busyWorker() {
  return waitFor(
    () => {
      const busy = workerPids().filter((p) => {
        try {
          return !IDLE_WCHAN.includes(readFileSync(`/proc/${p}/wchan`, 'utf8').trim());
        } catch {
          return false;
        }
      });
      return busy.length === 1 ? busy[0] : null;
    },
    { timeout: 20000, interval: 50, what: 'one busy worker' },
  );
}

/** An upload of png with everything but its last chunk sent; returns { id, at }. */
async function almostDone(png, last = 16 * KiB) {
  const id = await create(png.length);
  const at = png.length - last;
  const r = await patch(id, 0, png.subarray(0, at));
  assert.equal(r.status, 204, show(r));
  return { id, at };
}

// ---------------------------------------------------------------------------------------
// Small filesystems

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Mounts a tmpfs of `size` over dir (kept empty); returns false when this cannot be done here. */
function mountTmpfs(dir, size) {
  if (!isRoot()) return false;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0750`, `vsok-test-${RUN}`, dir], { stdio: 'pipe' });
  } catch {
    return false;
  }
  mounted.add(dir);
  return true;
}

function unmount(dir) {
  if (!mounted.has(dir)) return;
  execFileSync('umount', [dir], { stdio: 'pipe' });
  mounted.delete(dir);
}

/**
 * One small tmpfs under both partial/ and nginx's body temp directory (bind mounts of two of
 * its directories), as when the whole state directory sits on one full disk. Returns the
 * tmpfs's own mount point, or null when this cannot be done here.
 */
function mountShared(size) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'vsok-fs-'));
  if (!mountTmpfs(base, size)) {
    rmSync(base, { recursive: true, force: true });
    return null;
  }
  for (const [sub, dir] of [
    ['partial', PARTIAL],
    ['body', BODY_TEMP],
  ]) {
    mkdirSync(path.join(base, sub));
    execFileSync('mount', ['--bind', path.join(base, sub), dir], { stdio: 'pipe' });
    mounted.add(dir);
  }
  return base;
}

function unmountShared(base) {
  unmount(PARTIAL);
  unmount(BODY_TEMP);
  unmount(base);
  rmSync(base, { recursive: true, force: true });
}

/** Fills the filesystem of dir until about `leave` bytes are free; returns the filler's path. */
function fill(dir, leave) {
  const filler = path.join(dir, `.filler-${RUN}`);
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  writeFileSync(filler, Buffer.alloc(Math.max(0, free - leave)));
  return filler;
}

// ---------------------------------------------------------------------------------------

before(async () => {
  for (const l of ['teacher', 'region', 'doo']) T[l] = await login(l);
  const list = (await api('teacher', 'GET', '/instruments')).json;
  const qs = list.items.find((m) => m.code === 'QS');
  const def = (await api('teacher', 'GET', `/instruments/${qs.id}`)).json.definition;
  INDICATOR = def.sections[0].indicators[0].code;
  const camp = await request(`${API}/campaigns`, {
    token: T.region.token,
    json: { title: `Сбои загрузок ${RUN}`, year: Number(isoDay(0).slice(0, 4)), opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: [qs.id] },
  });
  assert.equal(camp.status, 201, show(camp));
  const kids = (await api('teacher', 'GET', `/units/${T.teacher.user.org_unit.id}/children`)).json;
  const group = kids.items.find((u) => u.level === 'group' && u.active);
  // the parents of the group consent to photos (another suite may have added a group without
  // consent that now sorts first; docs/api-evidence.md, "Consent")
  const consent = await request(`${API}/units/${group.id}/consent`, { method: 'PUT', token: T.doo.token, json: { consented: true, date: isoDay(0) } });
  assert.equal(consent.status, 200, show(consent));
  const sheet = await request(`${API}/submissions`, { token: T.teacher.token, json: { campaign_id: camp.json.id, instrument_id: qs.id, target_unit_id: group.id } });
  assert.equal(sheet.status, 201, show(sheet));
  SHEET = sheet.json;
  console.log(`# uploads-faults: seed ${SEED}`);
});

after(async () => {
  for (const dir of [...mounted].reverse()) {
    try {
      unmount(dir);
    } catch (e) {
      console.error(`umount ${dir}: ${e.message}`);
    }
  }
  // the database back, whatever failed
  await dbctl('start').catch((e) => console.error(e.message));
});

/**
 * An upload of png whose last chunk is held at its INSERT into evidence_files while
 * `fault(thread)` runs (thread: the MariaDB thread of that INSERT). Returns { id, at, r: the
 * last chunk's answer }.
 */
async function faultAtCompletion(png, fault, { check = true } = {}) {
  const { id, at } = await almostDone(png);
  const lock = await holdFileInserts();
  let r;
  try {
    const last = (check ? patch : rawPatch)(id, at, png.subarray(at));
    await fault(await waitingInsert());
    r = await last;
  } finally {
    await lock.release();
  }
  return { id, at, r };
}

/** The objects added since `before` are exactly the one of png. */
function assertOneNewObject(before, png) {
  assert.deepEqual(
    objects().filter((o) => !before.includes(o)),
    [path.relative(path.join(UPLOADS, 'objects'), objectPath(UPLOADS, sha256(png)))],
    'exactly one new object: the file’s',
  );
}

test('the worker holding the last chunk killed at completion: HEAD + PATCH again end with the same file, nothing orphaned', async () => {
  const png = makePng(200, 150, rnd);
  const before = objects();
  const killWorker = async () => {
    const pid = await busyWorker();
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeout: 10000, what: `worker ${pid} gone` });
  };
  // answered by nginx (502), not checked against the API's spec
  const { id, at, r } = await faultAtCompletion(png, killWorker, { check: false });
  assert.equal(r.status, 502, `the answer of the killed worker: ${show(r)}`);
  assert.equal(await offsetOf(id), at, 'nothing was committed: HEAD reports the offset before the last chunk');
  assert.ok(exists(objectPath(UPLOADS, sha256(png))), 'the bytes had reached objects/ before the commit');
  await resumeAndCheck(id, png);
  assertOneNewObject(before, png);
  assert.equal(hashedHow(LOG, id), 'while appending', 'the hash kept for the confirmed offset completed it: the file was not read again');
});

test('a database error at completion → 503 with Retry-After, the bytes kept; PATCH again completes it', async () => {
  const png = makePng(180, 160, rnd);
  // the INSERT fails: error 1317, query interrupted
  const { id, at, r } = await faultAtCompletion(png, (thread) => adminSql(`KILL QUERY ${thread}`));
  assertProblem(r, 503);
  assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After: ${r.headers.get('retry-after')}`);
  assert.equal(r.headers.get('tus-resumable'), '1.0.0');
  assert.equal(await offsetOf(id), at, 'the upload is kept at the offset before the last chunk');
  assert.ok(statSync(partialPath(id)).size >= at, 'its bytes are kept');
  const again = await patch(id, at, png.subarray(at));
  assert.equal(again.status, 204, show(again));
  await checkFinished(id, png);
  assert.equal(hashedHow(LOG, id), 'while appending', 'the last chunk sent twice is hashed once: the file was not read again');
});

test('MariaDB killed (SIGKILL) at completion → 503; HEAD meanwhile 423, so tus-js-client retries the same upload and finishes it with the same file once the database is back', async () => {
  const png = makePng(220, 140, rnd);
  const before = objects();
  const killDb = async () => {
    const pid = Number(readFileSync(path.join(VAR, 'run', 'mysqld.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeout: 20000, what: 'mariadbd gone' });
  };
  let started;
  const startDb = () => (started ??= dbctl('start'));
  try {
    const { id, r } = await faultAtCompletion(png, killDb);
    assertProblem(r, 503);
    assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After: ${r.headers.get('retry-after')}`);
    assert.ok(exists(partialPath(id)), 'the bytes are kept');
    // tus-js-client starts a new upload after any other answer to HEAD than 2xx and 423
    const h = await api('teacher', 'HEAD', `/uploads/${id}`, { headers: TUS });
    assert.equal(h.status, 423, `HEAD without the database: ${h.status}`);
    assert.ok(Number(h.headers.get('retry-after')) > 0, 'Retry-After');
    assert.equal(h.headers.get('tus-resumable'), '1.0.0');
    C.check('GET', '/uploads/{id}', await api('teacher', 'GET', `/uploads/${id}`)); // 503
    // the client resumes while the database is down; it is started at the first refusal
    const seen = [];
    await resumeAndCheck(id, png, {
      retryDelays: [200, 500, 1000, 2000, 4000, 8000, 8000, 8000],
      onShouldRetry: (err) => {
        seen.push(tusStatus(err));
        startDb();
        return true;
      },
    });
    assert.equal(seen[0], 423, `the client's first refusal: ${seen}`);
    assertOneNewObject(before, png);
  } finally {
    await startDb();
  }
});

test('partial/ on another filesystem than nginx’s body temp directory: chunks are appended (no EXDEV), the file completes', async (t) => {
  if (!mountTmpfs(PARTIAL, '16m')) return t.skip('needs root to mount a tmpfs');
  try {
    const png = makePng(300, 300, rnd);
    const id = await create(png.length);
    const first = await patch(id, 0, png.subarray(0, 64 * KiB));
    assert.equal(first.status, 204, `a chunk copied across filesystems: ${show(first)}`);
    assert.equal(statSync(partialPath(id)).size, 64 * KiB);
    await resumeAndCheck(id, png, { chunkSize: 64 * KiB });
  } finally {
    unmount(PARTIAL);
  }
});

test('disk full under vsokd → 507 problem+json, the partial file cut back to the offset, ENOSPC logged; the client resumes once space is freed', async (t) => {
  const base = mountShared('4m');
  if (!base) return t.skip('needs root to mount a tmpfs');
  try {
    const png = makePng(500, 400, rnd); // about 600 KB
    const id = await create(png.length);
    assert.equal((await patch(id, 0, png.subarray(0, 100 * KiB))).status, 204);
    // room for nginx's copy of the next chunk (300 KiB), not for vsokd's as well
    const filler = fill(base, 400 * KiB);
    const logBefore = statSync(LOG).size;
    const r = await patch(id, 100 * KiB, png.subarray(100 * KiB, 400 * KiB));
    assertProblem(r, 507);
    assert.equal(r.json.type, '/problems/insufficient-storage');
    assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
    assert.equal(r.headers.get('tus-resumable'), '1.0.0');
    assert.equal(await offsetOf(id), 100 * KiB, 'the offset stays');
    assert.equal(statSync(partialPath(id)).size, 100 * KiB, 'the partial file is cut back to the confirmed offset');
    const log = readFileSync(LOG, 'utf8').slice(logBefore);
    assert.match(log, new RegExp(`append to \\S*${id} failed: No space left on device`), `the log names ENOSPC:\n${log}`);

    // tus-js-client: 507 is retried; the space is freed at the first retry
    const seen = [];
    await resumeAndCheck(id, png, {
      chunkSize: 300 * KiB,
      onShouldRetry: (err) => {
        seen.push(tusStatus(err));
        rmSync(filler, { force: true });
        return true;
      },
    });
    assert.deepEqual(seen, [507], 'one 507, then the upload went on');
    assert.equal(hashedHow(LOG, id), 'while appending', 'the chunk cut back by the full disk left the kept hash as it was');
  } finally {
    unmountShared(base);
  }
});

test('disk full under nginx (its body temp directory) → 507 problem+json, not nginx’s HTML 500; the same chunk passes once space is freed', async (t) => {
  if (!mountTmpfs(BODY_TEMP, '1m')) return t.skip('needs root to mount a tmpfs');
  try {
    const png = makePng(300, 200, rnd);
    const id = await create(png.length);
    const filler = fill(BODY_TEMP, 64 * KiB);
    const r = await patch(id, 0, png.subarray(0, 256 * KiB));
    assertProblem(r, 507);
    assert.equal(r.json.type, '/problems/insufficient-storage');
    assert.equal(r.headers.get('tus-resumable'), '1.0.0');
    assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
    assert.equal(await offsetOf(id), 0, 'nothing stored');
    rmSync(filler, { force: true });
    const again = await patch(id, 0, png.subarray(0, 256 * KiB));
    assert.equal(again.status, 204, show(again));
    assert.ok(!existsSync(filler));
    unmount(BODY_TEMP);
    await resumeAndCheck(id, png);
  } finally {
    unmount(BODY_TEMP);
  }
});

test('bytes confirmed earlier but no longer on disk → 409 with the offset of what is there; the client sends the rest again, the file is whole', async () => {
  const png = makePng(160, 120, rnd);
  const id = await create(png.length);
  assert.equal((await patch(id, 0, png.subarray(0, 20 * KiB))).status, 204);
  assert.equal((await patch(id, 20 * KiB, png.subarray(20 * KiB, 40 * KiB))).status, 204);
  // the partial file loses its tail (a restore from an older copy, a disk repaired)
  execFileSync('truncate', ['-s', String(12 * KiB), partialPath(id)]);
  const r = await patch(id, 40 * KiB, png.subarray(40 * KiB));
  assertProblem(r, 409);
  assert.equal(r.headers.get('upload-offset'), String(12 * KiB), '409 says where the bytes on disk end');
  assert.equal(await offsetOf(id), 12 * KiB, 'HEAD agrees');
  assert.deepEqual(await query(`SELECT sha256_state IS NULL FROM uploads WHERE id = '${id}'`), [['1']], 'the hash state of the old offset is dropped');
  rmSync(partialPath(id));
  assert.equal((await patch(id, 12 * KiB, png.subarray(12 * KiB))).status, 409, 'a partial file gone: back to 0');
  assert.equal(await offsetOf(id), 0);
  await resumeAndCheck(id, png);
});

test('the SHA-256 is carried from chunk to chunk: chunks of odd sizes, bytes a killed worker wrote past the offset cut off, the last chunk sent twice → the stored hash is sha256sum of the file, which was not read again', async () => {
  const png = makePng(230, 170, rnd);
  const id = await create(png.length);
  // offsets on and off the 64-byte blocks of SHA-256
  const stops = [1, 64, 65, 4097 + Math.floor(rnd() * 3000), 20 * KiB + 3, 48 * KiB + Math.floor(rnd() * 64)];
  let at = 0;
  for (const stop of stops) {
    assert.equal((await patch(id, at, png.subarray(at, stop))).status, 204, `chunk ${at}-${stop}`);
    at = stop;
    const [[received, kept]] = await query(`SELECT received, LENGTH(sha256_state) FROM uploads WHERE id = '${id}'`);
    assert.deepEqual([received, kept], [String(at), '32'], 'the hash state is kept with the offset it belongs to');
    if (stop === 20 * KiB + 3) {
      // a worker killed after its write and before its commit leaves bytes past the offset
      appendFileSync(partialPath(id), randomBytes(5000));
    }
  }
  // the last chunk: its completion fails at the INSERT, then the chunk is sent again
  const lock = await holdFileInserts();
  let r;
  try {
    const last = patch(id, at, png.subarray(at));
    adminSql(`KILL QUERY ${await waitingInsert()}`);
    r = await last;
  } finally {
    await lock.release();
  }
  assertProblem(r, 503);
  assert.equal((await patch(id, at, png.subarray(at))).status, 204);
  await checkFinished(id, png);
  const object = objectPath(UPLOADS, sha256(png));
  assert.equal(execFileSync('sha256sum', [object], { encoding: 'utf8' }).split(' ')[0], sha256(png), 'sha256sum of the stored file');
  const [[stored]] = await query(`SELECT LOWER(HEX(f.sha256)) FROM uploads u JOIN evidence_files f ON f.id = u.file_id WHERE u.id = '${id}'`);
  assert.equal(stored, sha256(png), 'the recorded SHA-256 is that of the file');
  assert.equal(hashedHow(LOG, id), 'while appending', 'the completion took the carried hash: the file was not read again');
});

test('an upload without a kept hash state (begun before it was kept, its offset set back) is hashed by reading the file again at completion, and the log says so', async () => {
  const png = makePng(150, 130, rnd);
  const id = await create(png.length);
  const at = 10 * KiB + 7;
  assert.equal((await patch(id, 0, png.subarray(0, at))).status, 204);
  adminSql(`UPDATE uploads SET sha256_state = NULL WHERE id = '${id}'`);
  assert.equal((await patch(id, at, png.subarray(at, 2 * at))).status, 204);
  assert.deepEqual(await query(`SELECT sha256_state IS NULL FROM uploads WHERE id = '${id}'`), [['1']], 'no state is made up for bytes not hashed');
  assert.equal((await patch(id, 2 * at, png.subarray(2 * at))).status, 204);
  await checkFinished(id, png);
  assert.equal(hashedHow(LOG, id), 'by reading the file again');
});

test('`vsokd sweep` removes what a stopped worker left: the partial file of a finished upload, an unfinished copy into objects/', async () => {
  const png = makePng(90, 90, rnd);
  const { id, at } = await almostDone(png);
  assert.equal((await patch(id, at, png.subarray(at))).status, 204);
  await checkFinished(id, png);
  // what a worker killed right after the commit leaves: the partial name of the object's bytes
  execFileSync('ln', [objectPath(UPLOADS, sha256(png)), partialPath(id)]);
  // and what a worker stopped while copying into objects/ leaves (two filesystems), two days old
  const tmp = `${objectPath(UPLOADS, sha256(png))}.tmp99999`;
  writeFileSync(tmp, png.subarray(0, 100));
  const old = new Date(Date.now() - 2 * 86400 * 1000);
  utimesSync(tmp, old, old);
  const kept = await create(png.length); // an unfinished upload: its partial file stays
  assert.equal((await patch(kept, 0, png.subarray(0, 1000))).status, 204);
  const sw = await vsokd(['sweep'], { VSOK_UPLOADS_DIR: UPLOADS });
  assert.equal(sw.code, 0, `vsokd sweep: ${sw.stdout}\n${sw.stderr}`);
  const out = sw.stdout;
  assert.match(out, /expired upload/, out);
  assert.ok(!exists(partialPath(id)), 'the left-over partial file is gone');
  assert.ok(exists(partialPath(kept)), 'an unfinished upload keeps its bytes');
  assert.ok(!exists(tmp), 'the unfinished copy into objects/ is gone');
  await checkFinished(id, png);
  await api('teacher', 'DELETE', `/uploads/${kept}`, { headers: TUS });
});

test('responses match backend/openapi.yaml', () => {
  assert.ok(C.checked > 10, `only ${C.checked} responses checked`);
  assert.deepEqual(C.distinct(), [], `responses that do not match the spec:\n${C.distinct().join('\n')}`);
});
