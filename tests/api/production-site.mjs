// The production nginx site (nginx/production/vsok.conf, or the copy in the vsok package)
// made runnable in a temporary prefix: a self-signed certificate for its TLS server, its
// logs and the files it names moved under the prefix, and the http block that Debian's
// /etc/nginx/nginx.conf gives it. Used by ops-production (nginx -t) and dist (a running
// nginx in front of the packaged vsokd).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CERT = '/etc/letsencrypt/live/vsok.example.ru/fullchain.pem';
const KEY = '/etc/letsencrypt/live/vsok.example.ru/privkey.pem';

export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 120000, maxBuffer: 16 << 20, ...opts }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // a command that reads nothing may exit first
    child.stdin.end(opts.input);
  });
}

/**
 * Writes `dir`/nginx.conf around `site` (the site's text) with `snippets` copied beside it;
 * `replace` maps more strings of the site to their values in `dir` (paths, listen
 * addresses). `user root;` when `asRoot`, so that the workers reach a root vsokd's socket.
 * Returns the path of nginx.conf.
 */
export async function renderSite(dir, site, snippets, { replace = {}, asRoot = false } = {}) {
  mkdirSync(path.join(dir, 'log'), { recursive: true });
  cpSync(snippets, path.join(dir, 'snippets'), { recursive: true });
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const ssl = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=vsok.example.ru', '-keyout', key, '-out', cert]);
  assert.equal(ssl.code, 0, ssl.stderr);
  let text = site.replace(CERT, cert).replace(KEY, key).replaceAll('/var/log/nginx/', `${dir}/log/`);
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  assert.ok(!text.includes('/etc/letsencrypt/') && !text.includes('/var/log/'), 'every file nginx opens is replaced');
  writeFileSync(path.join(dir, 'vsok.conf'), text);
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `${asRoot ? 'user root;\n' : ''}pid ${dir}/nginx.pid;\nerror_log ${dir}/log/error.log;\nevents { worker_connections 64; }\n` +
      `http {\n    include /etc/nginx/mime.types;\n    access_log ${dir}/log/access.log;\n    include ${dir}/vsok.conf;\n}\n`,
  );
  return conf;
}

/** nginx's arguments for the configuration renderSite wrote into `dir`. */
export const nginxArgs = (dir) => ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'log', 'stderr.log')];
