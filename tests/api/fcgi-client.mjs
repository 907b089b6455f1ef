// A minimal FastCGI client (responder role, one request per connection), for the tests
// that talk to a vsokd of their own on a private socket, without nginx in front.
import net from 'node:net';

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const RESPONDER = 1;

function record(type, content = Buffer.alloc(0)) {
  const pad = (8 - (content.length % 8)) % 8;
  const h = Buffer.alloc(8);
  h.writeUInt8(VERSION, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(1, 2); // request id
  h.writeUInt16BE(content.length, 4);
  h.writeUInt8(pad, 6);
  return Buffer.concat([h, content, Buffer.alloc(pad)]);
}

function lengthOf(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0, 0);
  return b;
}

function params(env) {
  const parts = [];
  for (const [k, v] of Object.entries(env)) {
    const kb = Buffer.from(k);
    const vb = Buffer.from(String(v));
    parts.push(lengthOf(kb.length), lengthOf(vb.length), kb, vb);
  }
  return Buffer.concat(parts);
}

/**
 * Sends one request to the FastCGI socket at `sock`; resolves { status, headers, body }
 * (the responder's CGI output, parsed).
 */
export function fcgiRequest(sock, { method = 'GET', uri, headers = {}, body = '' }) {
  const env = {
    REQUEST_METHOD: method,
    REQUEST_URI: uri,
    SCRIPT_NAME: uri.split('?')[0],
    QUERY_STRING: uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '127.0.0.1',
    CONTENT_LENGTH: String(Buffer.byteLength(body)),
    ...headers,
  };
  if (body) env.CONTENT_TYPE = env.CONTENT_TYPE || 'application/json';
  const begin = Buffer.alloc(8);
  begin.writeUInt16BE(RESPONDER, 0);
  const out = [record(BEGIN_REQUEST, begin), record(PARAMS, params(env)), record(PARAMS)];
  if (body) out.push(record(STDIN, Buffer.from(body)));
  out.push(record(STDIN));
  return new Promise((resolve, reject) => {
    const c = net.createConnection(sock);
    let buf = Buffer.alloc(0);
    const stdout = [];
    c.setTimeout(30000, () => c.destroy(new Error(`FastCGI ${method} ${uri}: timed out`)));
    c.on('error', reject);
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8) {
        const len = buf.readUInt16BE(4);
        const total = 8 + len + buf.readUInt8(6);
        if (buf.length < total) break;
        const type = buf.readUInt8(1);
        if (type === STDOUT) stdout.push(buf.subarray(8, 8 + len));
        buf = buf.subarray(total);
        if (type === END_REQUEST) {
          c.end();
          resolve(parse(Buffer.concat(stdout)));
          return;
        }
      }
    });
    c.write(Buffer.concat(out));
  });
}

function parse(raw) {
  const text = raw.toString();
  const cut = text.indexOf('\r\n\r\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const status = Number((headers.status || '200').split(' ')[0]);
  return { status, headers, body: cut < 0 ? '' : text.slice(cut + 4) };
}
