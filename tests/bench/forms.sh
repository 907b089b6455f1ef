#!/usr/bin/env bash
# make bench, forms part: latency of the two heavy form requests through nginx, with 50
# concurrent clients, next to GET /api/v1/me measured the same way in the same run:
#
#   - autosave: PATCH /api/v1/submissions/{id} with 200 changed answers of the quality
#     scale (QS, 350 check items), each client on its own sheet with the base_version the
#     previous save returned (a 409 counts as an error: the figures must be of real saves);
#   - submit: POST /api/v1/submissions/{id}/submit of a complete 350-item sheet (full
#     check, scoring, the scores stored per indicator, area and overall), in waves: all
#     clients submit at once, then the regional coordinator returns every sheet (timed as
#     "return") so that it can be submitted again.
#
# The client is a small node script (http keep-alive agent, one connection per client),
# so the baseline GET /me goes through the same client, nginx and concurrency: the ratios
# say what a save or a submit costs compared with the lightest authenticated request.
#
# Fixtures, through the API: the region coordinator makes a campaign with the latest
# published QS; 50 sheets are started for different targets by the kindergarten
# coordinators and experts of the demo data (groups and kindergartens in their scope; the
# experts' sheets are personal); more campaigns are made if the demo data has fewer than
# 50 targets. Nothing is deleted afterwards: run it against a stack you can throw away
# (make bench wipes var/bench each time).
#
#   VSOK_BENCH_URL              the stack (default http://127.0.0.1:28080; loopback only)
#   VSOK_BENCH_FORMS_CLIENTS    concurrent clients and sheets (50)
#   VSOK_BENCH_FORMS_ANSWERS    changed answers per autosave (200)
#   VSOK_BENCH_FORMS_SAVES      measured autosaves per client (40), within
#   VSOK_BENCH_FORMS_SECONDS    the time limit of each measured phase (10)
#   VSOK_BENCH_FORMS_WAVES      submit waves (10)
#
# Exit 1 when any measured request did not answer 2xx (or the run overran its bound).
set -euo pipefail
cd "$(dirname "$0")/../.."

URL=${VSOK_BENCH_URL:-http://127.0.0.1:28080}
URL=${URL%/}
hostport=${URL#*://}
hostport=${hostport%%/*}
HOST=${hostport%:*}
case $HOST in
127.* | localhost | '[::1]') ;;
*) echo "bench forms: $URL is not a loopback address; refusing" >&2; exit 2 ;;
esac
command -v node >/dev/null || { echo "bench forms: node not found (make deps)" >&2; exit 1; }
curl -fsS -m 5 "$URL/api/v1/health" >/dev/null || { echo "bench forms: no healthy stack at $URL" >&2; exit 1; }

export BENCH_URL=$URL
export BENCH_CLIENTS=${VSOK_BENCH_FORMS_CLIENTS:-50}
export BENCH_ANSWERS=${VSOK_BENCH_FORMS_ANSWERS:-200}
export BENCH_SAVES=${VSOK_BENCH_FORMS_SAVES:-40}
export BENCH_SECONDS=${VSOK_BENCH_FORMS_SECONDS:-10}
export BENCH_WAVES=${VSOK_BENCH_FORMS_WAVES:-10}

# the whole run is bounded: 3 measured phases of at most BENCH_SECONDS, setup and margin
exec timeout --kill-after=5 $((BENCH_SECONDS * 3 + 25)) node --input-type=module - <<'EOF'
import http from 'node:http';

const base = new URL(process.env.BENCH_URL);
const CLIENTS = Number(process.env.BENCH_CLIENTS);
const ANSWERS = Number(process.env.BENCH_ANSWERS);
const SAVES = Number(process.env.BENCH_SAVES);
const LIMIT_MS = Number(process.env.BENCH_SECONDS) * 1000;
const WAVES = Number(process.env.BENCH_WAVES);
const RESPONDENTS = ['doo', 'doo2', 'doo3', 'expert', 'expert2'];

const die = (msg) => {
  console.error(`bench forms: ${msg}`);
  process.exit(1);
};
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS + 5 });

/** One request; resolves { status, json, ms }. */
function call(method, path, token, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (data) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': data.length });
    const t0 = process.hrtime.bigint();
    const req = http.request(
      { host: base.hostname, port: base.port || 80, method, path: `/api/v1${path}`, headers, agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json, text, ms });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.end(data);
  });
}

async function must(method, path, token, body, status = 200) {
  const r = await call(method, path, token, body);
  if (r.status !== status) die(`${method} ${path}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

async function login(who) {
  for (let i = 0; i < 60; i++) {
    const r = await call('POST', '/auth/login', null, { login: who, password: 'demo' });
    if (r.status === 200) return r.json.access_token;
    if (r.status !== 429) die(`login ${who}: ${r.status} ${r.text.slice(0, 200)}`);
    await new Promise((ok) => setTimeout(ok, 1000));
  }
  die(`login ${who}: still rate-limited`);
}

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

// ---- fixtures ---------------------------------------------------------------------------
const tok = {};
for (const who of ['region', ...RESPONDENTS]) tok[who] = await login(who);
const qs = (await must('GET', '/instruments', tok.region)).items.find((m) => m.code === 'QS');
if (!qs) die('no published QS instrument');
const def = (await must('GET', `/instruments/${qs.id}`, tok.region)).definition;
const codes = [];
for (const s of def.sections) for (const i of s.indicators) for (const it of i.items) if (it.type === 'check') codes.push(it.code);
if (codes.length < ANSWERS) die(`QS has ${codes.length} check items, fewer than ${ANSWERS}`);

// targets in each respondent's scope (kindergartens and groups), taken in turn
const lists = [];
for (const who of RESPONDENTS) {
  const units = [];
  for (const level of ['kindergarten', 'group']) {
    units.push(...(await must('GET', `/units?level=${level}&limit=100`, tok[who])).items.filter((u) => u.active));
  }
  lists.push(units.map((u) => ({ who, unit: u.id })));
}
const pairs = [];
for (let k = 0; lists.some((l) => k < l.length); k++) for (const l of lists) if (k < l.length) pairs.push(l[k]);
if (!pairs.length) die('no targets for the quality scale in the demo data');

const tag = `${Date.now().toString(36)}`;
const sheets = [];
for (let c = 0; sheets.length < CLIENTS; c++) {
  const camp = await must(
    'POST',
    '/campaigns',
    tok.region,
    { title: `Бенчмарк анкет ${tag}-${c}`, year: Number(day(0).slice(0, 4)), opens_on: day(-1), closes_on: day(30), instrument_ids: [qs.id] },
    201,
  );
  for (const p of pairs.slice(0, CLIENTS - sheets.length)) {
    const doc = await must('POST', '/submissions', tok[p.who], { campaign_id: camp.id, instrument_id: qs.id, target_unit_id: p.unit }, 201);
    sheets.push({ id: doc.id, version: doc.version, token: tok[p.who], who: p.who, answers: {}, round: 0 });
  }
}
const users = new Set(sheets.map((s) => s.who)).size;

// ---- measuring ----------------------------------------------------------------------------
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
const rows = [];
function row(name, lat, wallMs, bad) {
  const s = [...lat].sort((a, b) => a - b);
  const r = { name, requests: s.length, p50: pct(s, 50), p99: pct(s, 99), rps: s.length / (wallMs / 1000), bad };
  rows.push(r);
  return r;
}

/**
 * Runs `step(sheet, i)` (returns a response) for every client (of `over`) in parallel,
 * `count` times per client or until the phase's time limit; returns { lat, wall, bad }.
 */
async function phase(count, step, { expect = 200, limit = LIMIT_MS, over = sheets } = {}) {
  const lat = [];
  const bad = [];
  const t0 = Date.now();
  await Promise.all(
    over.map(async (sheet) => {
      for (let i = 0; i < count && Date.now() - t0 < limit; i++) {
        const r = await step(sheet, i);
        lat.push(r.ms);
        if (r.status !== expect) bad.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    }),
  );
  return { lat, wall: Date.now() - t0, bad };
}

/** 200 answers that differ from what the sheet holds: a window over the items, flipped. */
function changed(sheet, n = ANSWERS) {
  const delta = {};
  const start = (sheet.round++ * 151) % codes.length;
  for (let k = 0; k < n; k++) {
    const c = codes[(start + k) % codes.length];
    delta[c] = sheet.answers[c] === 'met' ? 'not_met' : 'met';
  }
  return delta;
}

async function save(sheet, delta) {
  const r = await call('PATCH', `/submissions/${sheet.id}`, sheet.token, { base_version: sheet.version, answers: delta });
  if (r.status === 200) {
    sheet.version = r.json.version;
    Object.assign(sheet.answers, delta);
  }
  return r;
}

// baseline: GET /me, same client, same concurrency (after a short warm-up)
await phase(20, (s) => call('GET', '/me', s.token), { limit: 1000 });
const me = await phase(200, (s) => call('GET', '/me', s.token), { limit: Math.min(LIMIT_MS, 5000) });
const rMe = row('GET /api/v1/me (baseline)', me.lat, me.wall, me.bad);

// autosave: one unmeasured save each, then the measured ones
await phase(1, (s) => save(s, changed(s)));
const sv = await phase(SAVES, (s) => save(s, changed(s)));
const rSave = row(`PATCH autosave, ${ANSWERS} answers`, sv.lat, sv.wall, sv.bad);

// the stored sheet is what the clients sent, at the version they hold
const probe = sheets[0];
const back = await must('GET', `/submissions/${probe.id}`, probe.token);
if (back.version !== probe.version) die(`sheet ${probe.id}: version ${back.version}, the client holds ${probe.version}`);
if (JSON.stringify(Object.entries(back.answers).sort()) !== JSON.stringify(Object.entries(probe.answers).sort())) {
  die(`sheet ${probe.id}: stored answers differ from the ones sent`);
}

// submit: complete every sheet (unmeasured), then waves of submit + return
await phase(1, (s) => {
  const rest = {};
  for (const c of codes) if (!s.answers[c]) rest[c] = 'met';
  return save(s, rest);
});
const sub = { lat: [], wall: 0, bad: [] };
const ret = { lat: [], wall: 0, bad: [] };
let scored = 0;
const submitStep = async (s) => {
  const r = await call('POST', `/submissions/${s.id}/submit`, s.token, { base_version: s.version });
  if (r.status === 200) {
    s.version = r.json.version;
    s.submitted = true;
    if (r.json.status === 'submitted' && r.json.scores?.overall?.mean > 0) scored++;
  }
  return r;
};
const returnStep = async (s) => {
  const r = await call('POST', `/submissions/${s.id}/return`, tok.region, { comment: 'Повторная отправка (нагрузочный тест)' });
  if (r.status === 200) {
    s.version = r.json.version;
    s.submitted = false;
  }
  return r;
};
const t0 = Date.now();
for (let w = 0; w < WAVES && Date.now() - t0 < LIMIT_MS; w++) {
  // return what is submitted (a sheet whose submit failed is submitted again as it is)
  const done = sheets.filter((s) => s.submitted);
  if (done.length) {
    const p = await phase(1, returnStep, { over: done });
    ret.lat.push(...p.lat);
    ret.wall += p.wall;
    ret.bad.push(...p.bad);
  }
  const p = await phase(1, submitStep);
  sub.lat.push(...p.lat);
  sub.wall += p.wall;
  sub.bad.push(...p.bad);
}
if (scored !== sub.lat.length - sub.bad.length) die(`${sub.lat.length - sub.bad.length - scored} submits answered without scores`);
const rSub = row(`POST submit (check + score ${codes.length})`, sub.lat, sub.wall, sub.bad);
if (ret.lat.length) row('POST return (review)', ret.lat, ret.wall, ret.bad);

// ---- report -----------------------------------------------------------------------------
console.log(
  `bench forms: quality scale (${codes.length} check items), ${sheets.length} sheets of ${users} users, ` +
    `${CLIENTS} concurrent clients (node, keep-alive) through nginx`,
);
const f = (v, w, d = 2) => v.toFixed(d).padStart(w);
console.log(`\n${''.padEnd(36)} ${'req/s'.padStart(10)} ${'p50 ms'.padStart(10)} ${'p99 ms'.padStart(10)} ${'requests'.padStart(10)} ${'non-2xx'.padStart(8)}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(36)} ${f(r.rps, 10, 0)} ${f(r.p50, 10)} ${f(r.p99, 10)} ${String(r.requests).padStart(10)} ${String(r.bad.length).padStart(8)}`);
}
console.log('');
for (const r of [rSave, rSub]) {
  console.log(
    `${(r.name.split(',')[0].split(' (')[0] + ' / GET /me:').padEnd(36)} p50 x${(r.p50 / rMe.p50).toFixed(1)}, ` +
      `p99 x${(r.p99 / rMe.p99).toFixed(1)}, req/s ${((100 * r.rps) / rMe.rps).toFixed(1)}%`,
  );
}
// one line for run.sh's summary
console.log(
  `RESULT me_rps=${rMe.rps.toFixed(1)} me_p99_ms=${rMe.p99.toFixed(2)} save_rps=${rSave.rps.toFixed(1)} ` +
    `save_p99_ms=${rSave.p99.toFixed(2)} submit_rps=${rSub.rps.toFixed(1)}`,
);
let status = 0;
for (const r of rows) {
  if (r.bad.length) {
    console.error(`bench forms: ${r.name}: ${r.bad.length} non-2xx answers, e.g. ${r.bad[0]}`);
    status = 1;
  }
}
agent.destroy();
process.exitCode = status; // (process.exit could cut the report short on a pipe)
EOF
