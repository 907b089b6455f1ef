// How a figure is made (docs/api-dashboards.md) on a small data set scored by hand, and the
// rebuild of the rollups:
// - a municipality's group figure is the mean over its kindergartens, each the mean of its
//   groups (the example: groups 4.0 and 3.667 in K1, 2.333 in K2 → (3.833 + 2.333) / 2
//   = 3.083, shown 3,1, n = 2 kindergartens), not the mean over the three sheets (3.333);
// - an overall of 3.972 (shown 4,0) counts at level 4, at the kindergarten and above it;
// - the rollups kept on every submit, return, approval and group move equal a rebuild;
// - a second rebuild while one runs is refused: 409 from the API, exit 3 from the command.
// Sheets go through the API (the server scores them); the rebuild's lease (job_leases) is
// taken by the test itself, as another host's rebuild would hold it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { login, assertProblem, VAR, runTag, request, show, REPO, rebuildRollups } from './lib.mjs';
import { API, apiClient, Conformance, expect } from './client.mjs';
import { loadSpec } from './openapi.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { query, readyUser, mariadb } from './fixtures-org.mjs';
import { answerOtherRequired, isoDay } from './fixtures-forms.mjs';

const RUN = runTag('r');
const PASSWORD = `Roll-${RUN}-Pw-9x!`;
const YEAR = Number(isoDay(0).slice(0, 4));

const C = new Conformance(loadSpec());
const T = {};
const { api } = apiClient({ tokens: T, conformance: C });
const U = {};
const P = {};
let QS; // {id, def}
let CAMP;
const SHEET = {};

const dash = (who, view, unit, q = {}) => api(who, 'GET', `/dashboards/units/{id}/${view}`, { id: U[unit]?.id ?? unit, q: { campaign: CAMP.id, ...q } });

async function unit(name, parent) {
  U[name] = expect(await api('admin', 'POST', '/units', { json: { parent_id: parent, name: `${RUN} ${name}` } }), 201, `unit ${name}`);
}

async function user(name, role, unitName) {
  const u = await readyUser(api, { login: `${RUN}${name}`.toLowerCase(), full_name: `${name} ${RUN}`, role, org_unit_id: U[unitName].id, password: PASSWORD });
  P[name] = u.id;
  T[name] = u.token;
}

// ---------------------------------------------------------------------------------------
// Sheets of known levels: level(areaIndex, indicatorIndexInArea) for every indicator; the
// answers meet the check items of levels 2..L only, so the cumulative rule gives L.

function answersFor(level) {
  const a = {};
  QS.def.sections.forEach((s, si) =>
    s.indicators.forEach((ind, ii) => {
      for (const item of ind.items) if (item.type === 'check') a[item.code] = item.level <= level(si, ii) ? 'met' : 'not_met';
    }),
  );
  // every other required item of the scale gets a plain answer
  return answerOtherRequired(QS.def, a);
}

/** The exact overall of a sheet: the mean of its areas' means of levels. */
function overallOf(level) {
  const areas = QS.def.sections.map((s, si) => s.indicators.reduce((x, _, ii) => x + level(si, ii), 0) / s.indicators.length);
  return areas.reduce((a, b) => a + b, 0) / areas.length;
}

async function fill(name, who, target, level) {
  const doc = expect(await api(who, 'POST', '/submissions', { json: { campaign_id: CAMP.id, instrument_id: QS.id, target_unit_id: U[target].id } }), 201, `start ${name}`);
  SHEET[name] = { id: doc.id, version: doc.version, who };
  await submit(name, level);
}

async function submit(name, level) {
  const s = SHEET[name];
  s.version = expect(await api(s.who, 'PATCH', '/submissions/{id}', { id: s.id, json: { base_version: s.version, answers: answersFor(level) } }), 200, `save ${name}`).version;
  const sub = expect(await api(s.who, 'POST', '/submissions/{id}/submit', { id: s.id, json: { base_version: s.version } }), 200, `submit ${name}`);
  s.version = sub.version;
  s.overall = overallOf(level);
}

async function review(name, who, action) {
  const json = action === 'return' ? { comment: 'Уточните' } : {};
  SHEET[name].version = expect(await api(who, 'POST', `/submissions/{id}/${action}`, { id: SHEET[name].id, json }), 200, `${action} ${name}`).version;
}

const near = (a, b, what) => assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-9, `${what}: ${a}, expected ${b}`);
const shown = (v) => Math.floor(v * 10 + 0.5 + 1e-9) / 10; // one decimal, halves up
const levels = (...at) => [1, 2, 3, 4, 5, 6, 7].map((l) => at.filter((x) => x === l).length);

// The levels of the data set: QS has areas of 3, 4 and 5 indicators.
const LV = {
  all4: () => 4,
  // six areas at 4, the other three at 3: overall (24 + 9) / 9 = 3.667
  g1b: (si) => (si < 6 ? 4 : 3),
  // three areas at 3, six at 2: overall 21 / 9 = 2.333
  g2a: (si) => (si < 3 ? 3 : 2),
  g2b: () => 1,
  g2bAgain: (si) => (si === 0 ? 5 : 3),
  // everything at 4 but one indicator at 3 in an area of four: overall 4 − 1/36 = 3.972
  k1self: (si, ii) => (QS.def.sections[si].indicators.length === 4 && si === QS.def.sections.findIndex((s) => s.indicators.length === 4) && ii === 0 ? 3 : 4),
};

// ---------------------------------------------------------------------------------------
// Rollups of this run against a rebuild

async function rollupRows() {
  const out = {};
  for (const [table, order] of [
    ['rollup_results', 'campaign_id, instrument_id, source, unit_id, kind, code'],
    ['rollup_completion', 'campaign_id, instrument_id, source, unit_id'],
  ]) {
    out[table] = (await query(`SELECT * FROM ${table} WHERE campaign_id = ${Number(CAMP.id)} ORDER BY ${order}`)).map((r) => r.join('|'));
  }
  return out;
}

async function assertRollupsEqualRebuild(what) {
  const kept = await rollupRows();
  assert.ok(kept.rollup_results.length > 0, `${what}: rollups of this run exist`);
  const r = expect(await rebuildRollups((m) => api('admin', m, '/admin/rollups/rebuild')), 200, `${what}: rebuild`);
  assert.ok(Number.isInteger(r.rows) && r.rows > 0, JSON.stringify(r));
  const rebuilt = await rollupRows();
  for (const table of Object.keys(kept)) assert.deepEqual(kept[table], rebuilt[table], `${what}: ${table} kept on each change differs from the rebuild`);
}

// ---------------------------------------------------------------------------------------

before(async () => {
  for (const l of ['admin', 'region']) T[l] = (await login(l)).token;
  const list = expect(await api('region', 'GET', '/instruments'), 200, 'instruments');
  const meta = list.items.find((m) => m.code === 'QS');
  QS = { id: meta.id, def: expect(await api('region', 'GET', '/instruments/{id}', { id: meta.id }), 200, 'QS').definition };
  const region = Number((await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0]);
  U.region = { id: region };
  await unit('M', region);
  await unit('K1', U.M.id);
  await unit('K2', U.M.id);
  await unit('G1a', U.K1.id);
  await unit('G1b', U.K1.id);
  await unit('G2a', U.K2.id);
  await unit('G2b', U.K2.id);
  await user('m', 'municipal_coordinator', 'M');
  await user('c1', 'doo_coordinator', 'K1');
  await user('c2', 'doo_coordinator', 'K2');
  await user('t1', 'teacher', 'K1');
  await user('t2', 'teacher', 'K2');
  CAMP = expect(
    await api('region', 'POST', '/campaigns', {
      json: { title: `Сводные ${RUN}`, year: YEAR, opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: [QS.id] },
    }),
    201,
    'campaign',
  );
  await fill('G1a', 't1', 'G1a', LV.all4);
  await review('G1a', 'c1', 'approve');
  await fill('G1b', 't1', 'G1b', LV.g1b);
  await review('G1b', 'c1', 'approve');
  await fill('G2a', 't2', 'G2a', LV.g2a);
  await review('G2a', 'c2', 'approve');
  await fill('K1', 'c1', 'K1', LV.k1self);
  await review('K1', 'm', 'approve');
});

after(async () => {
  const units = Object.entries(U).filter(([k]) => k !== 'region').map(([, u]) => Number(u.id));
  if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
  const users = Object.values(P).map(Number);
  if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
});

test('the sheet values are the ones meant: 4, 3.667, 2.333 and 3.972', () => {
  near(SHEET.G1a.overall, 4, 'G1a');
  near(SHEET.G1b.overall, 11 / 3, 'G1b');
  near(SHEET.G2a.overall, 7 / 3, 'G2a');
  near(SHEET.K1.overall, 4 - 1 / 36, 'K1 self-assessment');
});

test('groups: a kindergarten is the mean of its groups, the municipality the mean of its kindergartens', async () => {
  const d = expect(await dash('m', 'children', 'M', { source: 'group' }), 200, 'children of M, groups');
  const k1 = (4 + 11 / 3) / 2;
  const k2 = 7 / 3;
  // the municipality: (3.833 + 2.333) / 2 = 3.083, shown 3,1, over 2 kindergartens
  assert.equal(d.total.results.n, 2, 'n counts kindergartens above a kindergarten');
  near(d.total.results.overall, (k1 + k2) / 2, 'M overall');
  assert.equal(shown(d.total.results.overall), 3.1);
  assert.deepEqual(d.total.results.levels, levels(3, 2), 'kindergartens by their value: 3.8 → 3, 2.3 → 2');
  const byId = Object.fromEntries(d.items.map((i) => [i.id, i.results]));
  assert.equal(byId[U.K1.id].n, 2, 'at a kindergarten n counts its sheets');
  near(byId[U.K1.id].overall, k1, 'K1 over its groups');
  assert.deepEqual(byId[U.K1.id].levels, levels(4, 3), 'its sheets: 4.0 → 4, 3.7 → 3');
  near(byId[U.K2.id].overall, k2, 'K2');
  // the same figure where the municipality is the parent, and one level up
  const b = expect(await dash('m', 'breakdown', 'K1', { source: 'group' }), 200, 'breakdown of K1, groups');
  near(b.overall.unit.mean, k1, 'K1');
  assert.equal(b.overall.parent.n, 2);
  near(b.overall.parent.mean, (k1 + k2) / 2, 'M as the parent');
  const r = expect(await dash('region', 'children', 'region', { source: 'group', q: RUN }), 200, 'the region’s children');
  assert.deepEqual(r.items.map((i) => i.id), [U.M.id]);
  assert.equal(r.items[0].results.n, 2);
  near(r.items[0].results.overall, (k1 + k2) / 2, 'M in the region');
  // a group is its sheet
  const g = expect(await dash('c1', 'children', 'K1'), 200, 'groups of K1');
  near(g.items.find((i) => i.id === U.G1b.id).results.overall, 11 / 3, 'G1b');
});

test('an overall of 3.972 is shown 4,0 and counted at level 4', async () => {
  const d = expect(await dash('m', 'children', 'M'), 200, 'children of M, self-assessments');
  const k1 = d.items.find((i) => i.id === U.K1.id).results;
  near(k1.overall, 4 - 1 / 36, 'K1');
  assert.equal(shown(k1.overall), 4);
  assert.deepEqual(k1.levels, levels(4), 'the sheet at 4');
  assert.deepEqual(d.total.results.levels, levels(4), 'the kindergarten at 4');
  const b = expect(await dash('m', 'breakdown', 'K1'), 200, 'breakdown of K1');
  assert.deepEqual(b.overall.unit.levels, levels(4));
  assert.deepEqual(b.overall.parent.levels, levels(4));
});

test('kept on every change = rebuilt: submit, return, approval with other answers, a group moved and back', async () => {
  await assertRollupsEqualRebuild('after the set-up');
  await fill('G2b', 't2', 'G2b', LV.g2b);
  await assertRollupsEqualRebuild('a sheet submitted');
  await review('G2b', 'c2', 'approve');
  let d = expect(await dash('m', 'children', 'M', { source: 'group' }), 200, 'G2b approved');
  near(d.total.results.overall, ((4 + 11 / 3) / 2 + (7 / 3 + SHEET.G2b.overall) / 2) / 2, 'M with G2b');
  await assertRollupsEqualRebuild('a sheet approved');
  // a group sheet submitted, returned, approved with other answers
  await unit('G2c', U.K2.id);
  await fill('G2c', 't2', 'G2c', LV.g2b);
  await review('G2c', 'c2', 'return');
  await assertRollupsEqualRebuild('a sheet returned');
  await submit('G2c', LV.g2bAgain);
  await review('G2c', 'c2', 'approve');
  await assertRollupsEqualRebuild('a sheet approved with other answers');
  const k2 = (7 / 3 + SHEET.G2b.overall + SHEET.G2c.overall) / 3;
  d = expect(await dash('m', 'children', 'M', { source: 'group' }), 200, 'G2c approved');
  near(d.total.results.overall, ((4 + 11 / 3) / 2 + k2) / 2, 'M with G2c');
  // G1b moves to K2: K1 is G1a alone, K2 gains a sheet; and back
  expect(await api('admin', 'POST', '/units/{id}/move', { id: U.G1b.id, json: { parent_id: U.K2.id } }), 200, 'move G1b to K2');
  await assertRollupsEqualRebuild('a group moved to another kindergarten');
  d = expect(await dash('m', 'children', 'M', { source: 'group' }), 200, 'after the move');
  const k2moved = (7 / 3 + SHEET.G2b.overall + SHEET.G2c.overall + 11 / 3) / 4;
  near(d.total.results.overall, (4 + k2moved) / 2, 'M after the move');
  assert.equal(d.items.find((i) => i.id === U.K1.id).results.n, 1);
  expect(await api('admin', 'POST', '/units/{id}/move', { id: U.G1b.id, json: { parent_id: U.K1.id } }), 200, 'move G1b back');
  await assertRollupsEqualRebuild('the group moved back');
  d = expect(await dash('m', 'children', 'M', { source: 'group' }), 200, 'after the move back');
  near(d.total.results.overall, ((4 + 11 / 3) / 2 + k2) / 2, 'M as before');
});

// The rebuild's lease held by "another host" until release() is called.
function holdRebuildLock() {
  const held = query("UPDATE job_leases SET holder = 'other-host:1', expires_at = UTC_TIMESTAMP(6) + INTERVAL 60 SECOND WHERE job = 'rollup_rebuild'");
  const release = () => query("UPDATE job_leases SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE job = 'rollup_rebuild' AND holder = 'other-host:1'");
  return { held, release };
}

const rebuildCommand = () =>
  vsokd(['rebuild-rollups'], { VSOK_DB_USER: 'vsok', VSOK_DB_PASSWORD_FILE: path.join(VAR, 'secrets', 'db.password') }, { timeout: 120000 });

test('a second rebuild while one runs is refused: 409 from the API, exit 3 from the command', async () => {
  const lock = holdRebuildLock();
  try {
    await lock.held;
    const r = await api('admin', 'POST', '/admin/rollups/rebuild');
    assertProblem(r, 409);
    assert.match(r.json.detail, /пересчитываются/);
    const cmd = await rebuildCommand();
    assert.equal(cmd.code, 3, `the command: ${cmd.stdout} ${cmd.stderr}`);
    assert.match(cmd.stderr, /another rebuild of the rollups is running/);
  } finally {
    await lock.release();
  }
  const run = expect(await rebuildRollups((m) => api('admin', m, '/admin/rollups/rebuild')), 200, 'once the other is done');
  assert.ok(run.started_by && Number.isInteger(run.started_by.id) && run.started_by.name, `the administrator who started it: ${JSON.stringify(run)}`);
  assert.ok(run.rows > 0 && Number.isInteger(run.ms) && run.finished_at >= run.started_at, JSON.stringify(run));
  const cmd = await rebuildCommand();
  assert.equal(cmd.code, 0, `the command: ${cmd.stdout} ${cmd.stderr}`);
  assert.match(cmd.stdout, /rollups rebuilt: \d+ rows/);
  const last = expect(await api('admin', 'GET', '/admin/rollups/rebuild'), 200, 'the last run');
  assert.ok(last.id > run.id && last.state === 'finished' && last.started_by === null, `the command's run is recorded: ${JSON.stringify(last)}`);
  assert.equal(String(last.rows), cmd.stdout.match(/(\d+) rows/)[1]);
});

test('POST answers 202 before the rebuild ends; a second POST meanwhile is 409; a run left by a stopped worker reads as interrupted', async () => {
  const r = expect(await api('admin', 'POST', '/admin/rollups/rebuild'), 202, 'start');
  assert.equal(r.state, 'running');
  const again = await api('admin', 'POST', '/admin/rollups/rebuild');
  const st = expect(await api('admin', 'GET', '/admin/rollups/rebuild'), 200, 'state');
  // the worker may already be done on a small database; while it runs, a second one is refused
  if (st.state === 'running') assertProblem(again, 409);
  else assert.ok([202, 409].includes(again.status), show(again));
  await waitRebuildIdle();
  // a row still 'running' with nobody holding the lock: its worker stopped mid-run
  await query("INSERT INTO rebuild_runs (state) VALUES ('running')");
  const gone = expect(await api('admin', 'GET', '/admin/rollups/rebuild'), 200, 'interrupted');
  assert.equal(gone.state, 'interrupted');
  assert.equal(gone.finished_at, null);
  expect(await rebuildRollups((m) => api('admin', m, '/admin/rollups/rebuild')), 200, 'a new run after it');
});

/** A session of its own with the database: send(sql) writes statements, line() is the next
 * line of output (-B -N: one value per row), end() closes it (rolling back what is open). */
function sqlSession() {
  const password = readFileSync(path.join(VAR, 'secrets', 'db.password'), 'utf8').trim();
  const child = spawn('mariadb', ['--no-defaults', '-S', path.join(VAR, 'run', 'mysqld.sock'), '-u', 'vsok', `-p${password}`, '-B', '-N', '--unbuffered', 'vsok'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  const waiting = [];
  let rest = '';
  child.stdout.on('data', (b) => {
    const parts = (rest + String(b)).split('\n');
    rest = parts.pop();
    for (const l of parts) (waiting.length ? waiting.shift()(l) : lines.push(l));
  });
  let err = '';
  child.stderr.on('data', (b) => (err += String(b)));
  return {
    send: (sql) => child.stdin.write(`${sql}\n`),
    line: () => (lines.length ? Promise.resolve(lines.shift()) : new Promise((res) => waiting.push(res))),
    error: () => err,
    end: () => new Promise((res) => {
      child.on('exit', res);
      child.stdin.end();
    }),
  };
}

test('a group move that loses a deadlock is run again and succeeds (200, not 500)', async () => {
  await unit('K3', U.M.id);
  await unit('K4', U.M.id);
  await unit('G3', U.K3.id);
  assert.ok(U.K3.id < U.K4.id, 'the move locks the lower kindergarten first');
  const x = sqlSession();
  try {
    // heavier than the move (InnoDB undoes the lighter of two deadlocked transactions), then
    // the old kindergarten's row, which the move locks after the group's own row
    x.send('START TRANSACTION;');
    x.send("INSERT INTO rebuild_runs (state) SELECT 'failed' FROM seq_1_to_3000;");
    x.send(`SELECT id FROM org_units WHERE id = ${U.K3.id} FOR UPDATE;`);
    assert.equal(await x.line(), String(U.K3.id), x.error());
    const move = api('admin', 'POST', '/units/{id}/move', { id: U.G3.id, json: { parent_id: U.K4.id } });
    // the move holds the group's row once a try for it without waiting fails
    for (let i = 0; ; i++) {
      const t = await mariadb(`SELECT id FROM org_units WHERE id = ${U.G3.id} FOR UPDATE NOWAIT`);
      if (t.code !== 0) break;
      assert.ok(i < 600, 'the move never locked the group');
      await new Promise((res) => setTimeout(res, 50));
    }
    // the group's row, which the move holds: a deadlock; the move is undone and runs again
    x.send(`SELECT id FROM org_units WHERE id = ${U.G3.id} FOR UPDATE;`);
    assert.equal(await x.line(), String(U.G3.id), `this session was not the victim: ${x.error()}`);
    x.send('ROLLBACK;');
    const r = await move;
    assert.equal(r.status, 200, `the move after the deadlock: ${show(r)}`);
    assert.equal(r.json.parent_id, U.K4.id);
  } finally {
    await x.end();
  }
  const log = readFileSync(path.join(VAR, 'log', 'vsokd.log'), 'utf8');
  assert.match(log, /transaction ended by a lock conflict \(1213\)/, 'the deadlock happened and the move was run again');
  await assertRollupsEqualRebuild('after the move that was run again');
});

test('an approval that loses a deadlock is run again whole by the dispatcher (200, not 500)', async () => {
  await unit('K6', U.M.id);
  await user('c6', 'doo_coordinator', 'K6');
  await fill('K6', 'c6', 'K6', LV.all4);
  const x = sqlSession();
  try {
    // heavier than the approval, then the kindergarten's row, which the approval's rollup
    // update locks after the sheet's own row
    x.send('START TRANSACTION;');
    x.send("INSERT INTO rebuild_runs (state) SELECT 'failed' FROM seq_1_to_3000;");
    x.send(`SELECT id FROM org_units WHERE id = ${U.K6.id} FOR UPDATE;`);
    assert.equal(await x.line(), String(U.K6.id), x.error());
    const approve = api('m', 'POST', '/submissions/{id}/approve', { id: SHEET.K6.id, json: {} });
    for (let i = 0; ; i++) {
      const t = await mariadb(`SELECT id FROM submissions WHERE id = ${SHEET.K6.id} FOR UPDATE NOWAIT`);
      if (t.code !== 0) break;
      assert.ok(i < 600, 'the approval never locked the sheet');
      await new Promise((res) => setTimeout(res, 50));
    }
    // the sheet's row, which the approval holds: a deadlock; the approval is undone
    x.send(`SELECT id FROM submissions WHERE id = ${SHEET.K6.id} FOR UPDATE;`);
    assert.equal(await x.line(), String(SHEET.K6.id), `this session was not the victim: ${x.error()}`);
    x.send('ROLLBACK;');
    const r = await approve;
    assert.equal(r.status, 200, `the approval after the deadlock: ${show(r)}`);
    assert.equal(r.json.status, 'approved');
  } finally {
    await x.end();
  }
  const log = readFileSync(path.join(VAR, 'log', 'vsokd.log'), 'utf8');
  assert.match(log, /submissions\/\d+\/approve lost a lock conflict, try 2 of 3/, 'the deadlock happened and the approval ran again');
  await assertRollupsEqualRebuild('after the approval that was run again');
});

async function waitRebuildIdle() {
  for (let i = 0; i < 1200; i++) {
    const g = expect(await api('admin', 'GET', '/admin/rollups/rebuild'), 200, 'state');
    if (g.state !== 'running') return;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.fail('the rebuild did not end');
}

test('a change takes the turn for rollup writes after its kindergarten\'s lock, and waits for it while another transaction holds it', async () => {
  // Concurrent changes in different kindergartens add their deltas to the same municipality
  // and region rows; each takes the one 'rollups' row of write_locks (migration 029) first,
  // so they write one after another instead of deadlocking on those rows.
  await unit('K7', U.M.id);
  await user('c7', 'doo_coordinator', 'K7');
  await fill('K7', 'c7', 'K7', LV.all4);
  const x = sqlSession();
  try {
    x.send('START TRANSACTION;');
    x.send("SELECT name FROM write_locks WHERE name = 'rollups' FOR UPDATE;");
    assert.equal(await x.line(), 'rollups', x.error());
    let answered = false;
    const approve = api('m', 'POST', '/submissions/{id}/approve', { id: SHEET.K7.id, json: {} }).finally(() => (answered = true));
    // the approval has its kindergarten's lock (taken before the turn) ...
    for (let i = 0; ; i++) {
      const t = await mariadb(`SELECT id FROM org_units WHERE id = ${U.K7.id} FOR UPDATE NOWAIT`);
      if (t.code !== 0) break;
      assert.ok(i < 600 && !answered, 'the approval never locked its kindergarten');
      await new Promise((res) => setTimeout(res, 50));
    }
    // ... and does not finish while the turn is held elsewhere
    await new Promise((res) => setTimeout(res, 2000));
    assert.equal(answered, false, 'the approval wrote its rollups without waiting for the turn');
    x.send('ROLLBACK;');
    const r = await approve;
    assert.equal(r.status, 200, `the approval after the turn was given back: ${show(r)}`);
    assert.equal(r.json.status, 'approved');
  } finally {
    await x.end();
  }
  await assertRollupsEqualRebuild('after an approval that waited for its turn');
});

test('changes in six kindergartens of one municipality at once all succeed, without a deadlock, and are kept as a rebuild makes them', async () => {
  const names = [0, 1, 2, 3, 4, 5].map((i) => `Kc${i}`);
  for (const k of names) {
    await unit(k, U.M.id);
    await user(`c${k}`, 'doo_coordinator', k);
    const doc = expect(await api(`c${k}`, 'POST', '/submissions', { json: { campaign_id: CAMP.id, instrument_id: QS.id, target_unit_id: U[k].id } }), 201, `start ${k}`);
    SHEET[k] = { id: doc.id, version: doc.version, who: `c${k}` };
  }
  const deadlocks = () => (readFileSync(path.join(VAR, 'log', 'vsokd.log'), 'utf8').match(/\(1213 Deadlock/g) || []).length;
  const before = deadlocks();
  const all = (f) => Promise.all(names.map(f));
  await all((k, i) => submit(k, (si) => 1 + ((si + i) % 5)));
  await all((k) => review(k, 'm', 'return'));
  await all((k, i) => submit(k, (si) => 1 + ((si + i + 2) % 5)));
  await all((k) => review(k, 'm', 'approve'));
  const d = expect(await dash('m', 'children', 'M'), 200, 'the municipality after the changes');
  for (const k of names) near(d.items.find((x) => x.id === U[k].id).results.overall, SHEET[k].overall, `${k} on the dashboard`);
  // the dispatcher would run a lost transaction again, but none should be lost at all
  assert.equal(deadlocks() - before, 0, 'deadlocks logged while the kindergartens changed at once');
  await assertRollupsEqualRebuild('after concurrent changes in six kindergartens');
});

test('every response above matches backend/openapi.yaml', () => {
  assert.ok(C.checked > 20, `only ${C.checked} responses checked`);
  assert.deepEqual(C.distinct(), []);
});
