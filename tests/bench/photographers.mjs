// make bench, uploads part: the photo clients of tests/bench/uploads.mjs, run in a thread of
// their own (node:worker_threads) so that their JavaScript (tus-js-client, making the photos)
// does not delay the event loop of the autosaving clients whose latency is measured.
// workerData: { endpoint, token, chunk, photos, bytes, seconds, metas: [{...tus metadata}] };
// posts back { times: [ms], errors: [text] } when every client has finished.
import { workerData, parentPort } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { tusUpload, tusStatus, makePng, seededRandom } from '../api/fixtures-uploads.mjs';

const { endpoint, token, chunk, photos, bytes, seconds, metas } = workerData;
// a photo: PNG signature and IHDR (libmagic: image/png) followed by random bytes, distinct each time
const pngHead = makePng(8, 8, seededRandom(1)).subarray(0, 33);
const photo = () => Buffer.concat([pngHead, randomBytes(bytes - pngHead.length)]);

const times = [];
const errors = [];
async function photographer(i, until) {
  for (let r = 0; r === 0 || performance.now() < until; r++) {
    const data = photo();
    const t = performance.now();
    try {
      const meta = { ...metas[i % metas.length], filename: `Фото ${i}-${r}.png` };
      await tusUpload(data, { endpoint, token, metadata: meta, chunkSize: chunk });
      times.push(performance.now() - t);
    } catch (e) {
      errors.push(`photo upload ${i}-${r}: ${tusStatus(e) ?? ''} ${e.message}`);
    }
  }
}
const until = performance.now() + seconds * 1000;
await Promise.all(Array.from({ length: photos }, (_, i) => photographer(i, until)));
parentPort.postMessage({ times, errors });
