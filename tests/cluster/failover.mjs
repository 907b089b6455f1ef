// make test-cluster, the measuring part (tests/cluster/run.sh starts the cluster first):
//
// 0. costs: CPU time per request of each server (nginx, the vsokd hosts, the primary, the
//    replica), from /proc while wrk reads GET /api/v1/me alone and then while the
//    autosaving clients save alone: the per-core figures of docs/scaling.md.
// 1. a host dies under load: wrk reads GET /api/v1/me through nginx while autosaving clients
//    PATCH their sheets; host A's master and workers get SIGKILL, and A starts again later.
//    Reads must not fail (nginx repeats GET on host B); a write in flight may fail, with a
//    retryable status (502/503/504); every autosave that got a 2xx is in the database at the
//    end (each client re-reads its sheet after a failure and at the end: same version,
//    same answers as the saves it was told succeeded).
// 2. the replica stops: dashboards come from the primary (X-Vsok-Read-From) without an error;
//    it starts again: it catches up and takes the reads again; /health shows its lag.
//    With the replica held 2 s behind (MASTER_DELAY), a user who has just saved reads the
//    dashboards from the primary (their GTID is not on the replica yet), another from the
//    replica.
// 3. a photo uploaded through host A (B stopped) and finished through host B (A stopped) is
//    served through A (B stopped): the same bytes.
//
// Prints the counts and times, and one line "cluster: N checks passed, N failed"; exits 1 on
// any failure.
import http from 'node:http';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePng, seededRandom } from '../api/fixtures-uploads.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLUSTER = path.join(REPO, 'backend/deploy/cluster.sh');
const PORT = Number(process.env.CLUSTER_PORT || 38080);
const LOAD_SECONDS = Number(process.env.CLUSTER_LOAD_SECONDS || 24);
const SAVERS = Number(process.env.CLUSTER_SAVERS || 6);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const t0 = Date.now();
const at = () => ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
const note = (s) => console.log(`[${at()} s] ${s}`);

function cluster(...args) {
  return new Promise((resolve, reject) =>
    execFile(CLUSTER, args, { env: { ...process.env, CLUSTER_PORT: String(PORT) } }, (err, stdout, stderr) =>
      err ? reject(new Error(`cluster.sh ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim()),
    ),
  );
}

/** One request through nginx; resolves { status, headers, json, text, body } or { status: 0, error }. */
function call(method, p, { token, json, body, headers = {}, cookie } = {}) {
  return new Promise((resolve) => {
    const data = json !== undefined ? Buffer.from(JSON.stringify(json)) : body;
    const h = { Accept: 'application/json', ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (cookie) h.Cookie = cookie;
    if (json !== undefined) h['Content-Type'] = 'application/json';
    if (data) h['Content-Length'] = data.length;
    const req = http.request({ host: '127.0.0.1', port: PORT, method, path: p.startsWith('/') ? p : `/api/v1/${p}`, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString();
        let parsed;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, json: parsed, text, body: buf });
      });
      res.on('error', (e) => resolve({ status: 0, error: e.message, text: '' }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.message, text: '' }));
    req.setTimeout(30000, () => req.destroy(new Error('timed out')));
    req.end(data);
  });
}

async function must(method, p, opts = {}, status = 200) {
  const r = await call(method, p, opts);
  if (r.status !== status) throw new Error(`${method} ${p}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

async function login(who) {
  for (let i = 0; i < 60; i++) {
    const r = await call('POST', 'auth/login', { json: { login: who, password: 'demo' } });
    if (r.status === 200) return r.json.access_token;
    await sleep(1000);
  }
  throw new Error(`login ${who} failed`);
}

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
const RESPONDENTS = ['doo', 'expert'];

// ---------------------------------------------------------------- fixtures
const tok = {};
for (const who of ['region', 'admin', ...RESPONDENTS]) tok[who] = await login(who);
const qs = (await must('GET', 'instruments', { token: tok.region })).json.items.find((m) => m.code === 'QS');
const def = (await must('GET', `instruments/${qs.id}`, { token: tok.region })).json.definition;
const codes = [];
const indicators = [];
for (const s of def.sections)
  for (const i of s.indicators) {
    indicators.push(i.code);
    for (const it of i.items) if (it.type === 'check') codes.push(it.code);
  }
const camp = (
  await must('POST', 'campaigns', { token: tok.region, json: { title: `Кластер ${Date.now().toString(36)}`, year: Number(day(0).slice(0, 4)), opens_on: day(-1), closes_on: day(30), instrument_ids: [qs.id] } }, 201)
).json;
const sheets = [];
for (const who of RESPONDENTS) {
  const units = [];
  for (const level of ['kindergarten', 'group']) units.push(...(await must('GET', `units?level=${level}&limit=100`, { token: tok[who] })).json.items.filter((u) => u.active));
  for (const u of units) {
    if (sheets.length >= SAVERS) break;
    const r = await call('POST', 'submissions', { token: tok[who], json: { campaign_id: camp.id, instrument_id: qs.id, target_unit_id: u.id } });
    if (r.status === 201) sheets.push({ id: r.json.id, version: r.json.version, token: tok[who], who, answers: {}, round: 0 });
  }
}
note(`fixtures: campaign ${camp.id}, ${sheets.length} sheets of QS (${codes.length} check items)`);

// ---------------------------------------------------------------- 1. a host dies under load

/** An autosaving client: PATCH 20 changed answers, again and again, until stop. */
function changed(sheet) {
  const delta = {};
  const start = (sheet.round++ * 23) % codes.length;
  for (let k = 0; k < 20; k++) {
    const c = codes[(start + k) % codes.length];
    delta[c] = sheet.answers[c] === 'met' ? 'not_met' : 'met';
  }
  return delta;
}

const saves = { confirmed: 0, failed: 0, failedStatus: {}, committedAnyway: 0, notRetryable: [], lost: [] };

/** After a failed save: what does the server hold? Either the state before it or after it. */
async function resync(sheet, delta) {
  for (let i = 0; i < 50; i++) {
    const r = await call('GET', `submissions/${sheet.id}`, { token: sheet.token });
    if (r.status !== 200) {
      await sleep(200);
      continue;
    }
    if (r.json.version === sheet.version) return; // not applied
    if (r.json.version === sheet.version + 1) {
      Object.assign(sheet.answers, delta);
      sheet.version = r.json.version;
      saves.committedAnyway++;
      return;
    }
    saves.lost.push(`sheet ${sheet.id}: server version ${r.json.version}, client ${sheet.version}`);
    sheet.version = r.json.version;
    return;
  }
  saves.lost.push(`sheet ${sheet.id}: could not be read after a failed save`);
}

async function saver(sheet, until) {
  while (Date.now() < until) {
    const delta = changed(sheet);
    const r = await call('PATCH', `submissions/${sheet.id}`, { token: sheet.token, json: { base_version: sheet.version, answers: delta } });
    if (r.status === 200) {
      Object.assign(sheet.answers, delta);
      sheet.version = r.json.version;
      saves.confirmed++;
      continue;
    }
    saves.failed++;
    saves.failedStatus[r.status] = (saves.failedStatus[r.status] || 0) + 1;
    const retryable = [502, 503, 504].includes(r.status) && (r.headers?.['retry-after'] || r.status === 504);
    if (!retryable) saves.notRetryable.push(`${r.status} ${r.error || r.text.slice(0, 120)}`);
    await resync(sheet, delta);
    await sleep(200);
  }
}

function wrk(seconds, token) {
  return new Promise((resolve) => {
    const p = spawn('wrk', ['-t2', '-c8', `-d${seconds}s`, '--timeout', '10s', '-H', `Authorization: Bearer ${token}`, `http://127.0.0.1:${PORT}/api/v1/me`]);
    let out = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (out += b));
    p.on('exit', () => {
      const num = (re) => Number((re.exec(out) || [])[1] || 0);
      const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      resolve({
        requests: num(/(\d+) requests in/),
        non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
        socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
        rps: Number((/Requests\/sec:\s+([\d.]+)/.exec(out) || [])[1] || 0),
        out,
      });
    });
  });
}

// ---------------------------------------------------------------- 0. costs
const CL = path.join(REPO, 'var/cluster');
const pidIn = (f) => Number(readFileSync(path.join(CL, f), 'utf8').trim());
/** Every process: [pid, ppid, pgrp, cpu ticks (user + system)]. */
function processes() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out.push([Number(d), Number(f[1]), Number(f[2]), Number(f[11]) + Number(f[12])]);
    } catch {
      /* gone */
    }
  }
  return out;
}
/** CPU ticks of each tier of the cluster (children of a process count with it). */
function cpuByTier() {
  const ps = processes();
  const hosts = [pidIn('host-a/run/vsokd.pid'), pidIn('host-b/run/vsokd.pid')];
  const nginx = pidIn('nginx/nginx/nginx.pid');
  const primary = pidIn('primary/run/mysqld.pid');
  const replica = pidIn('replica/run/mysqld.pid');
  const sum = (pred) => ps.filter(pred).reduce((a, p) => a + p[3], 0);
  return {
    nginx: sum((p) => p[0] === nginx || p[1] === nginx),
    vsokd: sum((p) => hosts.includes(p[2])),
    primary: sum((p) => p[0] === primary),
    replica: sum((p) => p[0] === replica),
  };
}
async function measure(name, run) {
  const before = cpuByTier();
  const start = Date.now();
  const n = await run();
  const secs = (Date.now() - start) / 1000;
  const after = cpuByTier();
  const ms = (t) => ((after[t] - before[t]) * 10) / n; // 100 ticks a second
  const total = ['nginx', 'vsokd', 'primary', 'replica'].reduce((a, t) => a + ms(t), 0);
  note(
    `cost ${name}: ${n} requests, ${(n / secs).toFixed(0)}/s; CPU ms per request: nginx ${ms('nginx').toFixed(3)}, vsokd ${ms('vsokd').toFixed(3)}, ` +
      `primary ${ms('primary').toFixed(3)}, replica ${ms('replica').toFixed(3)}; all servers ${total.toFixed(3)} ms = ${(1000 / total).toFixed(0)} requests per core-second`,
  );
}
await measure('GET /me (wrk -t2 -c8, 8 s)', async () => (await wrk(8, tok.region)).requests);
await measure(`autosave of 20 answers (${sheets.length} clients, 8 s)`, async () => {
  const before = saves.confirmed;
  await Promise.all(sheets.map((s) => saver(s, Date.now() + 8000)));
  return saves.confirmed - before;
});
saves.confirmed = 0;

note(`load: wrk GET /me (2 threads, 8 connections) and ${sheets.length} autosaving clients for ${LOAD_SECONDS} s`);
const loadEnd = Date.now() + LOAD_SECONDS * 1000;
const load = Promise.all([wrk(LOAD_SECONDS, tok.region), ...sheets.map((s) => saver(s, loadEnd))]);
await sleep(6000);
note(await cluster('kill-host', 'A'));
const killedAt = Date.now();
await sleep(8000);
const restart = Date.now();
await cluster('start-host', 'A');
note(`host A started again (${((Date.now() - restart) / 1000).toFixed(1)} s to its socket; down ${((Date.now() - killedAt) / 1000).toFixed(1)} s)`);
const [w] = await load;
note(`wrk GET /me: ${w.requests} requests (${w.rps.toFixed(0)}/s), non-2xx ${w.non2xx}, socket errors ${w.socketErrors}`);
note(`autosaves: ${saves.confirmed} confirmed, ${saves.failed} failed (${JSON.stringify(saves.failedStatus)}), of which ${saves.committedAnyway} committed although the client got no answer`);
check(w.requests > 0 && w.non2xx === 0 && w.socketErrors === 0, `GET /me under a host kill: ${w.requests} requests, ${w.non2xx} non-2xx, ${w.socketErrors} socket errors`);
check(saves.confirmed > 0, `autosaves confirmed under load: ${saves.confirmed}`);
check(saves.notRetryable.length === 0, `failed autosaves all retryable (502/503/504 with Retry-After): ${saves.notRetryable.slice(0, 3).join('; ') || 'yes'}`);
// every confirmed save is in the database: the server holds each sheet exactly as its client
let mismatches = 0;
for (const s of sheets) {
  const r = await must('GET', `submissions/${s.id}`, { token: s.token });
  const server = r.json.answers || {};
  const same = r.json.version === s.version && Object.entries(s.answers).every(([k, v]) => (server[k]?.value ?? server[k]) === v);
  if (!same) mismatches++;
}
check(saves.lost.length === 0 && mismatches === 0, `nothing confirmed lost: ${sheets.length} sheets hold every confirmed save (${mismatches} differ; ${saves.lost.join('; ') || 'no unexpected versions'})`);

// ---------------------------------------------------------------- 2. the replica stops and starts
const DASH = `dashboards/units/1/children?campaign=${camp.id}`;
async function readFrom(token, cookie) {
  const r = await call('GET', DASH, { token, cookie });
  return { status: r.status, from: r.headers?.['x-vsok-read-from'] };
}
async function waitFrom(want, limitMs) {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    const r = await readFrom(tok.region);
    if (r.status === 200 && r.from === want) return Date.now() - start;
    await sleep(100);
  }
  return -1;
}
check((await waitFrom('replica', 15000)) >= 0, 'dashboards read from the replica while it keeps up');
let stopAt = Date.now();
await cluster('stop-replica');
note(`replica stopped (${((Date.now() - stopAt) / 1000).toFixed(1)} s)`);
const down = { n: 0, primary: 0, bad: 0 };
const writesWhileDown = sheets.map((s) => saver(s, Date.now() + 4000));
for (const end = Date.now() + 4000; Date.now() < end; ) {
  const r = await readFrom(tok.region);
  down.n++;
  if (r.status === 200 && r.from === 'primary') down.primary++;
  else down.bad++;
}
await Promise.all(writesWhileDown);
const h1 = (await must('GET', 'health')).json.replica;
/** /health from several workers in a row agreeing that the dashboards read the replica. */
async function healthOnReplica(limitMs) {
  let row = 0;
  let last;
  for (const start = Date.now(); Date.now() - start < limitMs && row < 8; ) {
    last = (await must('GET', 'health')).json.replica;
    row = last && last.lag_seconds !== null && last.lag_seconds <= last.max_lag_seconds && last.dashboards === 'replica' ? row + 1 : 0;
    if (row < 8) await sleep(50);
  }
  return { ok: row >= 8, last };
}
check(down.bad === 0 && down.primary === down.n, `replica down: ${down.n} dashboard reads, ${down.primary} from the primary, ${down.bad} failed or from elsewhere`);
check(h1 && h1.lag_seconds === null && h1.dashboards === 'primary', `/health with the replica down: ${JSON.stringify(h1)}`);
const startAt = Date.now();
await cluster('start-replica');
const started = Date.now() - startAt;
const catchStart = Date.now();
note(await cluster('wait-replica', '60'));
const caught = Date.now() - catchStart;
const back = await waitFrom('replica', 60000);
note(`replica started in ${(started / 1000).toFixed(1)} s, caught up with the primary's GTID position ${(caught / 1000).toFixed(1)} s later; dashboards from the replica ${(back / 1000).toFixed(1)} s after that`);
check(back >= 0, `the replica catches up and takes the reads again`);
const h2 = await healthOnReplica(15000);
check(h2.ok, `/health after it is back: ${JSON.stringify(h2.last)}`);

// read-your-writes: the replica held 2 s behind the primary
await cluster('sql-replica', '-e', 'STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 2; START SLAVE');
check((await waitFrom('replica', 15000)) >= 0, 'a replica 2 s behind still serves the dashboards (within VSOK_DB_REPLICA_MAX_LAG)');
const mine = sheets.find((s) => s.who === 'doo');
const delta = changed(mine);
const w1 = await must('PATCH', `submissions/${mine.id}`, { token: mine.token, json: { base_version: mine.version, answers: delta } });
Object.assign(mine.answers, delta);
mine.version = w1.json.version;
const set = [w1.headers['set-cookie'] || []].flat().find((c) => c.startsWith('vsok_gtid='));
check(Boolean(set), `a write answers with the GTID of its commit: ${set ? set.split(';')[0] : 'no cookie'}`);
const gtidCookie = set ? set.split(';')[0] : '';
const ryw = await readFrom(mine.token, gtidCookie);
const other = await readFrom(tok.region);
check(ryw.status === 200 && ryw.from === 'primary', `the writer's next dashboard read waits for its GTID, then falls back to the primary: ${ryw.from}`);
check(other.status === 200 && other.from === 'replica', `another user's read stays on the replica: ${other.from}`);
await cluster('sql-replica', '-e', 'STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE');
await sleep(2500);
const later = await readFrom(mine.token, gtidCookie);
check(later.status === 200 && later.from === 'replica', `once the replica has applied it, the writer reads from the replica: ${later.from}`);

// ---------------------------------------------------------------- 3. an upload across hosts
const rnd = seededRandom(18);
const png = makePng(160, 120, rnd);
const sheet = sheets.find((s) => s.who === 'doo');
const b64 = (s) => Buffer.from(String(s)).toString('base64');
const meta = [`filename ${b64('cluster.png')}`, `filetype ${b64('image/png')}`, `submission ${b64(sheet.id)}`, `indicator ${b64(indicators[0])}`].join(',');
const tusHeaders = { 'Tus-Resumable': '1.0.0' };
const half = Math.floor(png.length / 2);
// nginx leaves a server that failed out for fail_timeout (5 s): after each switch of hosts
// wait that long, so that the one running is the one tried.
async function only(host) {
  const other = host === 'A' ? 'B' : 'A';
  await cluster('start-host', host);
  await cluster('stop-host', other);
  await sleep(5500);
}
await only('A');
const created = await must('POST', 'uploads', { token: sheet.token, headers: { ...tusHeaders, 'Upload-Length': String(png.length), 'Upload-Metadata': meta } }, 201);
const loc = new URL(created.headers.location, `http://127.0.0.1:${PORT}`).pathname;
await must('PATCH', loc, { token: sheet.token, headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, body: png.subarray(0, half) }, 204);
note(`upload: created and first ${half} bytes through host A (B stopped)`);
await only('B');
const head = await must('HEAD', loc, { token: sheet.token, headers: tusHeaders });
check(head.headers['upload-offset'] === String(half), `host B sees the offset host A stored: ${head.headers['upload-offset']}`);
await must('PATCH', loc, { token: sheet.token, headers: { ...tusHeaders, 'Upload-Offset': String(half), 'Content-Type': 'application/offset+octet-stream' }, body: png.subarray(half) }, 204);
note(`upload: finished through host B (A stopped)`);
await only('A');
const ev = (await must('GET', `submissions/${sheet.id}/evidence`, { token: sheet.token })).json;
const item = (ev.items || []).find((i) => i.name === 'cluster.png');
const file = item ? await call('GET', `files/${item.file_id}`, { token: sheet.token }) : { status: 0, body: Buffer.alloc(0) };
const hash = (b) => createHash('sha256').update(b).digest('hex');
check(file.status === 200 && hash(file.body) === hash(png), `the photo is served through host A (B stopped): ${file.status}, ${file.body.length} of ${png.length} bytes, same SHA-256: ${hash(file.body) === hash(png)}`);
await cluster('start-host', 'B');

console.log(`\ncluster: ${passed} checks passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failed ? 1 : 0);
