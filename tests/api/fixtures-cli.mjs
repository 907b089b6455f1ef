// Runs a `vsokd` subcommand (sweep, send-mail, remind, …) against the test stack's
// database as the application's user (vsok_app, as in production): the binary the stack runs (it may have been rebuilt since), with the
// sanitizer options of the running master. Resolves { code, stdout, stderr }.
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { REPO, VAR, masterPid, processEnv } from './lib.mjs';

export function vsokd(args, env = {}, { timeout = 60000 } = {}) {
  let bin = path.join(REPO, 'build', 'asan', 'vsokd');
  const base = { PATH: process.env.PATH };
  try {
    const pid = masterPid();
    bin = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    for (const [k, v] of Object.entries(processEnv(pid))) if (/^(ASAN|LSAN|UBSAN)_OPTIONS$|^VSOK_MAIL$|^VSOK_PUBLIC_URL$/.test(k)) base[k] = v;
  } catch {
    /* keep the default */
  }
  Object.assign(base, {
    VSOK_DB_SOCKET: path.join(VAR, 'run', 'mysqld.sock'),
    VSOK_DB_USER: 'vsok_app',
    VSOK_DB_PASSWORD_FILE: path.join(VAR, 'secrets', 'db-app.password'),
    ...env,
  });
  return new Promise((resolve) => {
    execFile(bin, args, { env: base, cwd: REPO, timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
