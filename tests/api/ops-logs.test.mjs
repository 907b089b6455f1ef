// Logs stay bounded (docs/runtime.md, "Logs"). Development and test stacks: `stack.sh
// rotate-logs` (also run by `stack.sh start`) moves a log over VSOK_LOG_MAX bytes to NAME.1
// and empties it in place, so a writer that appends keeps writing to it. Production: the
// nginx site writes where Debian's logrotate rule for nginx rotates (and reopens), vsokd
// logs to journald.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, VAR, waitFor } from './lib.mjs';
import { RUN } from './fixtures-org.mjs';

const DIR = path.join(VAR, `ops-logs-${RUN}`); // a state directory with logs only
const LOG = path.join(DIR, 'log');
after(() => rmSync(DIR, { recursive: true, force: true }));

function rotate(max) {
  return new Promise((resolve) => {
    execFile(path.join(REPO, 'backend/deploy/stack.sh'), ['rotate-logs'], { env: { PATH: process.env.PATH, VAR: DIR, VSOK_LOG_MAX: String(max) }, timeout: 30000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('development logs: a log over the limit is kept as .1 and emptied, a small one is left, at most two generations', async () => {
  mkdirSync(LOG, { recursive: true });
  const big = 'x'.repeat(99) + '\n';
  const first = big.repeat(30000); // 3 MB
  writeFileSync(path.join(LOG, 'vsokd.log'), first);
  writeFileSync(path.join(LOG, 'nginx-access.log'), 'one line\n');
  // a server appending to its log, as vsokd's stderr (>>), nginx and MariaDB do
  const writer = spawn('bash', ['-c', `exec >>'${path.join(LOG, 'vsokd.log')}'; while IFS= read -r l; do printf '%s\\n' "$l"; done`], { stdio: ['pipe', 'ignore', 'ignore'] });
  // the writer is killed at the end with bytes possibly still in the pipe: its EPIPE is expected
  writer.stdin.on('error', () => {});
  const exited = new Promise((resolve) => writer.once('exit', resolve));
  try {
    let r = await rotate(1024 * 1024);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.equal(statSync(path.join(LOG, 'vsokd.log')).size, 0, 'emptied');
    assert.equal(readFileSync(path.join(LOG, 'vsokd.log.1'), 'utf8'), first, 'the old lines in .1');
    assert.equal(readFileSync(path.join(LOG, 'nginx-access.log'), 'utf8'), 'one line\n', 'a small log is left');
    assert.ok(!existsSync(path.join(LOG, 'nginx-access.log.1')));
    // the appending writer goes on at the start of the emptied file, not at its old offset
    writer.stdin.write('after the rotation\n');
    await waitFor(() => statSync(path.join(LOG, 'vsokd.log')).size > 0, { timeout: 5000, interval: 20, what: 'the line after the rotation' });
    assert.equal(readFileSync(path.join(LOG, 'vsokd.log'), 'utf8'), 'after the rotation\n');
    // a second rotation replaces .1: never more than two files per log
    writer.stdin.write(big.repeat(12000));
    await waitFor(() => statSync(path.join(LOG, 'vsokd.log')).size > 1024 * 1024, { timeout: 5000, interval: 20, what: 'the log grown again' });
    r = await rotate(1024 * 1024);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.ok(readFileSync(path.join(LOG, 'vsokd.log.1'), 'utf8').startsWith('after the rotation\n'));
    assert.ok(!existsSync(path.join(LOG, 'vsokd.log.2')));
  } finally {
    // the rest of the big write may still be on its way when the writer is killed
    writer.stdin.on('error', () => {});
    writer.stdin.end();
    writer.kill();
    await exited;
  }
});

test('development logs: stack.sh start rotates (the call is in start) and the sanitizer check reads the rotated part', () => {
  const stack = readFileSync(path.join(REPO, 'backend/deploy/stack.sh'), 'utf8');
  const start = /\nstart\(\) \{([\s\S]*?)\n\}/.exec(stack)?.[1] ?? '';
  assert.match(start, /^\s*rotate_logs$/m, 'start() calls rotate_logs');
  assert.ok(start.indexOf('rotate_logs') < start.indexOf('db.sh" start'), 'before the servers start');
  assert.match(readFileSync(path.join(REPO, 'tests/run-all.sh'), 'utf8'), /\$vlog\.1/);
});

test('production logs: the nginx site logs where Debian\'s logrotate rule for nginx rotates and reopens; vsokd logs to journald', () => {
  const site = readFileSync(path.join(REPO, 'nginx/production/vsok.conf'), 'utf8');
  const files = [...site.matchAll(/^\s*(?:access_log|error_log) (\/[^\s;]+)/gm)].map((m) => m[1]).filter((f) => f !== '/dev/null');
  assert.ok(files.length >= 2, files.join(' '));
  for (const f of files) assert.match(f, /^\/var\/log\/nginx\/[^/]+\.log$/, `${f}: outside /var/log/nginx/*.log`);
  const rule = '/etc/logrotate.d/nginx'; // Debian's nginx-common
  if (existsSync(rule)) {
    const text = readFileSync(rule, 'utf8');
    assert.match(text, /^\/var\/log\/nginx\/\*\.log \{/m);
    assert.match(text, /^\s*rotate \d+$/m);
    assert.match(text, /invoke-rc\.d nginx rotate/, 'nginx reopens its logs after the rotation');
  }
  const unit = readFileSync(path.join(REPO, 'backend/deploy/vsokd.service'), 'utf8');
  assert.doesNotMatch(unit, /^Standard(Output|Error)=(file|append|truncate):/m, 'vsokd writes no log file of its own');
});
