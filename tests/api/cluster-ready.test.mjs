// What several vsokd hosts rely on, on the ordinary single-server stack (docs/scaling.md;
// make test-cluster runs the real topology):
// - jobs run once: a periodic job (here the upload sweep, `vsokd sweep`) takes its lease in
//   job_leases with one UPDATE; a lease another host holds is left alone (the job does not
//   run), an expired one is taken over, and the lease is given back after the run;
// - reads and writes: without VSOK_DB_REPLICA_* every dashboard read is answered by the
//   primary (X-Vsok-Read-From: primary), a write sets no GTID cookie, and /health has no
//   replica lag.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { request, login, show, VAR, REPO } from './lib.mjs';
import { query } from './fixtures-org.mjs';

let region;

before(async () => {
  region = await login('region');
});

function sweepCommand() {
  const bin = [process.env.VSOK_BIN, path.join(REPO, 'build/asan/vsokd'), path.join(REPO, 'build/release/vsokd')].find((b) => b && existsSync(b));
  const env = {
    ...process.env,
    VSOK_DB_HOST: '',
    VSOK_DB_SOCKET: path.join(VAR, 'run', 'mysqld.sock'),
    VSOK_DB_NAME: 'vsok',
    VSOK_DB_USER: 'vsok',
    VSOK_DB_PASSWORD_FILE: path.join(VAR, 'secrets', 'db.password'),
    VSOK_UPLOADS_DIR: path.join(VAR, 'uploads'),
  };
  return new Promise((resolve) => execFile(bin, ['sweep'], { env, timeout: 60000 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr })));
}

const lease = async () => {
  const [row] = await query(
    "SELECT holder, expires_at > UTC_TIMESTAMP(6), ran_at > UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE FROM job_leases WHERE job = 'upload_sweep'",
  );
  return { holder: row[0], held: row[1] === '1', ranNow: row[2] === '1' };
};

test('job_leases lists every job that must run once', async () => {
  const jobs = (await query('SELECT job FROM job_leases ORDER BY job')).map((r) => r[0]);
  for (const j of ['mail_send', 'object_sweep', 'reminders', 'rollup_rebuild', 'storage_check', 'upload_sweep']) assert.ok(jobs.includes(j), `no lease row for ${j}: ${jobs}`);
});

test('a job whose lease another host holds does not run; an expired lease is taken over and given back', async () => {
  // another host is sweeping: its lease runs another minute (ran_at an hour ago: it is the
  // job's turn, only the lease stops it)
  await query("UPDATE job_leases SET holder = 'other-host:4242', expires_at = UTC_TIMESTAMP(6) + INTERVAL 60 SECOND, ran_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE job = 'upload_sweep'");
  let cmd = await sweepCommand();
  assert.equal(cmd.code, 0, `vsokd sweep: ${cmd.stdout} ${cmd.stderr}`);
  let l = await lease();
  assert.equal(l.holder, 'other-host:4242', 'the lease stays with the other host');
  assert.ok(l.held && !l.ranNow, 'and the job did not run here');

  // that host died: its lease expired a second ago (ran_at now keeps the workers' own turn
  // away, the command runs whenever no one holds the lease)
  await query("UPDATE job_leases SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND, ran_at = UTC_TIMESTAMP(6) WHERE job = 'upload_sweep'");
  cmd = await sweepCommand();
  assert.equal(cmd.code, 0, `vsokd sweep: ${cmd.stdout} ${cmd.stderr}`);
  assert.match(cmd.stdout, /expired upload\(s\) removed/);
  l = await lease();
  assert.match(l.holder, /^[^:]+:\d+$/, 'taken over by the command ("<host>:<pid>")');
  assert.notEqual(l.holder, 'other-host:4242');
  assert.ok(!l.held, 'given back after the run');
});

test('without a replica: dashboards read the primary, writes set no GTID cookie, /health shows no lag', async () => {
  const h = await request('/api/v1/health');
  assert.equal(h.status, 200, show(h));
  assert.equal('replica' in h.json, false, `no replica configured: ${h.text}`);

  const inst = await request('/api/v1/instruments', { token: region.token });
  assert.equal(inst.status, 200, show(inst));
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  const created = await request('/api/v1/campaigns', {
    token: region.token,
    json: { title: `Чтение с реплики ${Date.now().toString(36)}`, year: Number(day(0).slice(0, 4)), opens_on: day(-1), closes_on: day(30), instrument_ids: [inst.json.items[0].id] },
  });
  assert.equal(created.status, 201, show(created));
  const camp = created.json;
  assert.ok(created.headers.getSetCookie().every((c) => !c.startsWith('vsok_gtid=')), 'a write sets no GTID cookie without a replica');
  const d = await request(`/api/v1/dashboards/units/${region.user.org_unit.id}/children?campaign=${camp.id}`, { token: region.token });
  assert.equal(d.status, 200, show(d));
  assert.equal(d.headers.get('x-vsok-read-from'), 'primary');

  const other = await request('/api/v1/me', { token: region.token });
  assert.equal(other.headers.get('x-vsok-read-from'), null, 'only the dashboards say where they were read');
});
