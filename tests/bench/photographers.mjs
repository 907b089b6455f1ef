// make bench, uploads part: the photo clients of tests/bench/uploads.mjs, run in a thread of
// their own (node:worker_threads) so that their JavaScript (tus-js-client, making the photos)
// does not delay the event loop of the autosaving clients whose latency is measured.
// Like the tablet, each client then asks for the photo's preview (GET /files/{id}/thumb, made
// by vipsthumbnail on the first request), unless thumbs is false.
// workerData: { endpoint, token, chunk, photos, bytes, seconds, thumbs, metas: [{...tus
// metadata}] }; posts back { times: [ms], errors: [text] } when every client has finished
// (a time is the upload's, and its preview's when asked for).
import { workerData, parentPort } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { tusUpload, tusStatus, idOf } from '../api/fixtures-uploads.mjs';

const { endpoint, token, chunk, photos, bytes, seconds, thumbs, metas } = workerData;
// a photo: a PNG of random pixels about `bytes` long (stored, not compressed), distinct each time
const WIDTH = 1024;
const ROW = 1 + WIDTH * 3;
const HEIGHT = Math.max(1, Math.floor(bytes / ROW));
function pngChunk(type, data) {
  const c = Buffer.alloc(12 + data.length);
  c.writeUInt32BE(data.length, 0);
  c.write(type, 4, 'latin1');
  data.copy(c, 8);
  c.writeUInt32BE(crc32(c.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return c;
}
const ihdr = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0]); // 8-bit truecolour
ihdr.writeUInt32BE(WIDTH, 0);
ihdr.writeUInt32BE(HEIGHT, 4);
const head = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr)]);
const tail = pngChunk('IEND', Buffer.alloc(0));
function photo() {
  const raw = randomBytes(ROW * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) raw[y * ROW] = 0; // filter: none
  return Buffer.concat([head, pngChunk('IDAT', deflateSync(raw, { level: 0 })), tail]);
}
const auth = { Authorization: `Bearer ${token}` };
// the preview of a finished upload: its file id from the upload, then the thumb
async function preview(url) {
  const up = await fetch(new URL(`/api/v1/uploads/${idOf(url)}`, endpoint), { headers: auth });
  const { file_id: id } = await up.json();
  const r = await fetch(new URL(`/api/v1/files/${id}/thumb`, endpoint), { headers: auth });
  const body = Buffer.from(await r.arrayBuffer());
  if (r.status !== 200 || body[0] !== 0xff || body[1] !== 0xd8) throw new Error(`GET /files/${id}/thumb: ${r.status}, not a JPEG`);
}

const times = [];
const errors = [];
async function photographer(i, until) {
  for (let r = 0; r === 0 || performance.now() < until; r++) {
    const data = photo();
    const t = performance.now();
    try {
      const meta = { ...metas[i % metas.length], filename: `Фото ${i}-${r}.png` };
      const { url } = await tusUpload(data, { endpoint, token, metadata: meta, chunkSize: chunk });
      if (thumbs) await preview(url);
      times.push(performance.now() - t);
    } catch (e) {
      errors.push(`photo upload ${i}-${r}: ${tusStatus(e) ?? ''} ${e.message}`);
    }
  }
}
const until = performance.now() + seconds * 1000;
await Promise.all(Array.from({ length: photos }, (_, i) => photographer(i, until)));
parentPort.postMessage({ times, errors });
