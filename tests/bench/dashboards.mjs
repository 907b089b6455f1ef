// make bench, dashboards part: latency of the dashboard views at the scale of a large
// region (docs/api-dashboards.md), next to GET /api/v1/me measured the same way in the same
// run: with a tenth of the municipalities and with all of them (the lists asked for one
// page of the same size), and when the data under the same children doubles.
//
// Fixtures: a campaign through the API (QS and PQ), then bulk SQL (it would take an hour
// through the API): MUNICIPALITIES municipalities under the region, each with KG/2
// kindergartens of GROUPS groups (20 children enrolled each); one approved QS
// self-assessment per kindergarten with a score row per indicator, area and overall; 10
// parent responses per kindergarten. POST /admin/rollups/rebuild computes the rollups
// (its rows and time are reported). Measured: MEASURED sequential requests per view (one
// keep-alive client, after a warm-up, the views in turn) as the regional coordinator, and
// the rows MariaDB read per request (Handler_read_*, the stack's own server), which says
// what a request costs whatever else the machine is doing. Round 1: M/10 municipalities;
// round 2: all M (full / tenth, one page of M/10 children listed); round 3: another KG/2
// kindergartens per municipality, the rollups rebuilt, and everything measured again: the
// same children, twice the data under them.
//
//   VSOK_BENCH_URL, VSOK_BENCH_VAR   the stack (loopback only)
//   VSOK_BENCH_DASH_MUNICIPALITIES (50)  VSOK_BENCH_DASH_KG (30 per municipality at the
//   end)  VSOK_BENCH_DASH_GROUPS (8 per kindergarten)  VSOK_BENCH_DASH_REQUESTS (300 rounds)
//
// Exit 1 when a measured request did not answer 200. Aim: region-level views p99 < 50 ms.
import http from 'node:http';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const URL_ = new URL(process.env.VSOK_BENCH_URL || 'http://127.0.0.1:28080');
if (!/^(127\.|localhost$|\[::1\]$)/.test(URL_.hostname)) {
  console.error(`dashboards bench: ${URL_.href} is not a loopback address; refusing`);
  process.exit(2);
}
const VAR = path.resolve(process.env.VSOK_BENCH_VAR || 'var/bench');
const M = Number(process.env.VSOK_BENCH_DASH_MUNICIPALITIES || 50);
const KG = Number(process.env.VSOK_BENCH_DASH_KG || 30);
const GROUPS = Number(process.env.VSOK_BENCH_DASH_GROUPS || 8);
const N = Number(process.env.VSOK_BENCH_DASH_REQUESTS || 300);
const TAG = `bench${Date.now().toString(36)}`;
const AIM_P99 = 50;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** POST /admin/rollups/rebuild answers 202 and the worker rebuilds after it: the finished run. */
async function rebuild(admin) {
  const r = await call('POST', '/api/v1/admin/rollups/rebuild', admin);
  if (r.status !== 202) throw new Error(`rebuild: ${r.status} ${r.text}`);
  for (;;) {
    await new Promise((res) => setTimeout(res, 200));
    const g = await call('GET', '/api/v1/admin/rollups/rebuild', admin);
    if (g.status !== 200 || g.json?.state === 'running') continue;
    if (g.json?.state !== 'finished') throw new Error(`rebuild: ${g.status} ${g.text}`);
    return g;
  }
}

function call(method, p, token, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: URL_.hostname,
        port: URL_.port || 80,
        path: p,
        method,
        agent,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, text, json });
        });
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function sql(text) {
  const password = readFileSync(path.join(VAR, 'secrets', 'db.password'), 'utf8').trim();
  return new Promise((resolve, reject) => {
    execFile(
      'mariadb',
      ['--no-defaults', '--default-character-set=utf8mb4', '-S', path.join(VAR, 'run', 'mysqld.sock'), '-u', 'vsok', `-p${password}`, 'vsok', '-B', '-N', '-e', text],
      { maxBuffer: 64 << 20, timeout: 600000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim())),
    );
  });
}

async function login(l) {
  const r = await call('POST', '/api/v1/auth/login', null, { login: l, password: 'demo' });
  if (r.status !== 200) throw new Error(`login ${l}: ${r.status} ${r.text}`);
  return r.json.access_token;
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/**
 * Latency of every view, interleaved (one request of each in turn, N rounds), so that a
 * machine busy with other work slows them alike and the ratios to GET /me stay readable.
 */
async function measureAll(views, token) {
  for (let i = 0; i < 10; i++) for (const [, p] of views) await call('GET', p, token);
  const times = views.map(() => []);
  const bad = views.map(() => 0);
  for (let i = 0; i < N; i++) {
    for (const [k, [name, p]] of views.entries()) {
      const t = process.hrtime.bigint();
      const r = await call('GET', p, token);
      times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.status !== 200 && bad[k]++ === 0) console.error(`${name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  return views.map(([name], k) => {
    const xs = times[k].sort((a, b) => a - b);
    return { name, p50: pct(xs, 50), p99: pct(xs, 99), bad: bad[k] };
  });
}

/** Rows the server's storage engine read (Handler_read_*: this stack's own MariaDB). */
const reads = async () => Number(await sql("SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME LIKE 'HANDLER_READ%'"));

/** Rows read per request of p: the work a request does, whatever else the machine does. */
async function rowsPerRequest(p, token, k = 20) {
  const a = await reads();
  for (let i = 0; i < k; i++) await call('GET', p, token);
  const b = await reads();
  const c = await reads(); // what reading the counters costs by itself
  return Math.max(0, (b - a - (c - b)) / k);
}

// --- fixtures ----------------------------------------------------------------------------

/** Municipalities of the bench under the region, numbered from..to. */
async function addMunicipalities(region, from, to) {
  await sql(`
    INSERT INTO org_units (parent_id, level, path, name) SELECT ${region}, 'municipality', CONCAT('/${TAG}/m/', seq, '/'), CONCAT('${TAG} м ', LPAD(seq, 3, '0')) FROM seq_${from}_to_${to};
    UPDATE org_units SET path = CONCAT('/${region}/', id, '/') WHERE path LIKE '/${TAG}/m/%';`);
}

/** perMunicipality kindergartens in every municipality of the bench (onlyEmpty: in those without any yet). */
async function addKindergartens(region, campaign, qs, pq, codes, perMunicipality, round, onlyEmpty = false) {
  const m = `'${TAG} м %'`;
  const empty = onlyEmpty ? 'AND NOT EXISTS (SELECT 1 FROM org_units x WHERE x.parent_id = mu.id)' : '';
  await sql(`
    INSERT INTO org_units (parent_id, level, path, name)
      SELECT mu.id, 'kindergarten', CONCAT('/${TAG}/k/', mu.id, '/${round}/', s.seq, '/'), CONCAT('${TAG} сад ', mu.id, '-${round}-', s.seq)
      FROM org_units mu JOIN seq_1_to_${perMunicipality} s WHERE mu.level = 'municipality' AND mu.name LIKE ${m} ${empty};
    UPDATE org_units k JOIN org_units mu ON mu.id = k.parent_id SET k.path = CONCAT(mu.path, k.id, '/') WHERE k.path LIKE '/${TAG}/k/%';
    INSERT INTO org_units (parent_id, level, path, name, children_enrolled)
      SELECT k.id, 'group', CONCAT('/${TAG}/g/', k.id, '/', s.seq, '/'), CONCAT('Группа ', s.seq), 20
      FROM org_units k JOIN seq_1_to_${GROUPS} s WHERE k.level = 'kindergarten' AND k.name LIKE '${TAG} сад %-${round}-%';
    UPDATE org_units g JOIN org_units k ON k.id = g.parent_id SET g.path = CONCAT(k.path, g.id, '/') WHERE g.path LIKE '/${TAG}/g/%';
    INSERT INTO submissions (campaign_id, instrument_id, target_unit_id, kindergarten_id, respondent_role, status, answers, created_by)
      SELECT ${campaign}, ${qs}, k.id, k.id, 'doo_coordinator', 'approved', '{}', 1
      FROM org_units k WHERE k.level = 'kindergarten' AND k.name LIKE '${TAG} сад %-${round}-%';
    INSERT INTO submission_scores (submission_id, kind, code, level, score)
      SELECT s.id, j.kind, j.code,
             IF(j.kind = 'indicator', 1 + (s.id + j.n) % 5, NULL),
             IF(j.kind = 'indicator', 1 + (s.id + j.n) % 5, 1 + ((s.id * 7 + j.n) % 40) / 10)
      FROM submissions s JOIN org_units k ON k.id = s.target_unit_id
      JOIN JSON_TABLE('${JSON.stringify(codes)}', '$[*]' COLUMNS (n FOR ORDINALITY, kind VARCHAR(16) PATH '$.kind', code VARCHAR(64) PATH '$.code')) j
      WHERE s.campaign_id = ${campaign} AND k.name LIKE '${TAG} сад %-${round}-%';
    INSERT INTO survey_responses (campaign_id, instrument_id, kindergarten_id, answers, answered_on)
      SELECT ${campaign}, ${pq}, k.id, CONCAT('{"PQ.1.1.1": ', 1 + (k.id + s.seq) % 5, ', "PQ.2.1.1": ', 1 + s.seq % 5, ', "PQ.5.1.1": "yes"}'), CURRENT_DATE
      FROM org_units k JOIN seq_1_to_10 s WHERE k.level = 'kindergarten' AND k.name LIKE '${TAG} сад %-${round}-%';
  `);
}

async function main() {
  const admin = await login('admin');
  const token = await login('region');
  const me = await call('GET', '/api/v1/me', token);
  const ins = (await call('GET', '/api/v1/instruments', token)).json.items;
  const qs = ins.find((i) => i.code === 'QS');
  const pq = ins.find((i) => i.code === 'PQ');
  const def = (await call('GET', `/api/v1/instruments/${qs.id}`, token)).json.definition;
  const codes = [];
  for (const s of def.sections) for (const i of s.indicators) codes.push({ kind: 'indicator', code: i.code });
  for (const s of def.sections) codes.push({ kind: 'section', code: s.code });
  codes.push({ kind: 'overall', code: def.code });
  const today = new Date().toISOString().slice(0, 10);
  const camp = await call('POST', '/api/v1/campaigns', token, {
    title: `Бенчмарк ${TAG}`,
    year: Number(today.slice(0, 4)),
    opens_on: today,
    closes_on: `${today.slice(0, 4)}-12-31`,
    instrument_ids: [qs.id, pq.id],
  });
  if (camp.status !== 201) throw new Error(`campaign: ${camp.status} ${camp.text}`);
  const campaign = camp.json.id;
  const region = Number(me.json.org_unit.id);
  const TENTH = Math.max(1, Math.round(M / 10));
  await addMunicipalities(region, 1, TENTH);
  const firstMunicipality = Number(await sql(`SELECT MIN(id) FROM org_units WHERE name LIKE '${TAG} м %'`));
  // a page of the lists: as many units as the tenth region has municipalities (a region
  // holds the demo's municipalities too, so the first page is full in both rounds)
  const page = `&limit=${TENTH}`;

  const views = [
    ['GET /me (baseline)', '/api/v1/me'],
    ['region children', `/api/v1/dashboards/units/${region}/children?campaign=${campaign}${page}`],
    ['region children, groups', `/api/v1/dashboards/units/${region}/children?campaign=${campaign}&source=group${page}`],
    ['region children, area below 2', `/api/v1/dashboards/units/${region}/children?campaign=${campaign}&section=QS.6&below=2&sort=-overall${page}`],
    ['region breakdown', `/api/v1/dashboards/units/${region}/breakdown?campaign=${campaign}`],
    ['region completion', `/api/v1/dashboards/units/${region}/completion?campaign=${campaign}${page}`],
    ['region parents', `/api/v1/dashboards/units/${region}/parents?campaign=${campaign}${page}`],
    ['municipality children', `/api/v1/dashboards/units/${firstMunicipality}/children?campaign=${campaign}`],
  ];
  const rounds = [];
  let failed = 0;
  // round 1: a tenth of the municipalities; round 2: all of them (ten times the data, the
  // same page listed); round 3: twice the kindergartens under the same municipalities
  for (const round of [1, 2, 3]) {
    if (round === 2) await addMunicipalities(region, TENTH + 1, M);
    await addKindergartens(region, campaign, qs.id, pq.id, codes, KG / 2, round, round === 2);
    const counts = (await sql(`SELECT SUM(level = 'kindergarten'), SUM(level = 'group') FROM org_units WHERE active = 1`)).split('\t').map(Number);
    const rb = await rebuild(admin);
    const results = await measureAll(views, token);
    for (const [k, [, p]] of views.entries()) results[k].rows = await rowsPerRequest(p, token);
    failed += results.reduce((a, r) => a + r.bad, 0);
    rounds.push({ counts, rebuild: rb.json, results });
  }

  console.log(`\n==== dashboards: ${N} rounds of one request per view in turn, one keep-alive client (ms)`);
  for (const [i, r] of rounds.entries()) {
    console.log(`\n-- round ${i + 1}: ${r.counts[0]} active kindergartens, ${r.counts[1]} groups; rebuild ${r.rebuild.rows} rows in ${r.rebuild.ms} ms`);
    const base = r.results[0].p50;
    console.log(`${'view'.padEnd(32)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'p50 / GET me'.padStart(13)} ${'rows read'.padStart(10)}`);
    for (const x of r.results)
      console.log(`${x.name.padEnd(32)} ${x.p50.toFixed(2).padStart(7)} ${x.p99.toFixed(2).padStart(7)} ${(x.p50 / base).toFixed(2).padStart(13)} ${x.rows.toFixed(0).padStart(10)}`);
  }
  console.log(`\n-- full / tenth, round 2 / round 1 (ten times the municipalities, one page of ${TENTH} listed)`);
  console.log(`${'view'.padEnd(32)} ${'rows read'.padStart(10)} ${'p99'.padStart(7)} ${'p99 / GET me'.padStart(13)}`);
  let worst = 0;
  for (let k = 1; k < views.length; k++) {
    const [a, b] = [rounds[0].results[k], rounds[1].results[k]];
    const p99 = b.p99 / a.p99;
    const rel = (b.p99 / rounds[1].results[0].p99) / (a.p99 / rounds[0].results[0].p99);
    worst = Math.max(worst, p99);
    console.log(`${views[k][0].padEnd(32)} ${(b.rows / Math.max(1, a.rows)).toFixed(2).padStart(10)} ${p99.toFixed(2).padStart(7)} ${rel.toFixed(2).padStart(13)}`);
  }
  console.log(`full/tenth p99 at most ${worst.toFixed(2)} (aim < 1.5): ${worst < 1.5 ? 'met' : 'MISSED'}`);
  console.log(`\n-- growth, round 3 / round 2 (twice the kindergartens under the same children)`);
  console.log(`${'view'.padEnd(32)} ${'rows read'.padStart(10)} ${'p50 / GET me'.padStart(13)}`);
  for (let k = 1; k < views.length; k++) {
    const [a, b] = [rounds[1].results[k], rounds[2].results[k]];
    const ratio = (b.p50 / rounds[2].results[0].p50) / (a.p50 / rounds[1].results[0].p50);
    console.log(`${views[k][0].padEnd(32)} ${(b.rows / Math.max(1, a.rows)).toFixed(2).padStart(10)} ${ratio.toFixed(2).padStart(13)}`);
  }
  const regionP99 = Math.max(...rounds[2].results.filter((x) => x.name.startsWith('region')).map((x) => x.p99));
  console.log(`\nregion-level p99 at full size: ${regionP99.toFixed(2)} ms (aim < ${AIM_P99} ms): ${regionP99 < AIM_P99 ? 'met' : 'MISSED'}`);
  if (failed) {
    console.error(`dashboards bench: ${failed} requests did not answer 200`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`dashboards bench: ${e.stack || e}`);
  process.exit(1);
});
