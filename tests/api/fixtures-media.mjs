// Media for the evidence media suite (tests/api/evidence-media.test.mjs): JPEG, HEIC and
// MP4 files made with the installed tools (vips, ffmpeg; `make deps` installs them), Exif
// blocks crafted byte by byte (orientation, GPS), and readers for what comes back: a JPEG's
// segments, its dimensions from the SOF marker, the tags of its Exif block.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Runs a program; resolves its stdout, rejects with its stderr. */
export function run(cmd, args, { timeout = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A JPEG of the PNG `png` (vips), as a Buffer. */
export async function jpegFromPng(dir, png, name) {
  const src = path.join(dir, `${name}.png`);
  const out = path.join(dir, `${name}.jpg`);
  writeFileSync(src, png);
  await run('vips', ['copy', src, `${out}[Q=90]`]);
  return readFileSync(out);
}

/**
 * A JPEG converted by vips to another format by its suffix (`heic` through libheif, `webp`);
 * the JPEG's Exif block goes into the new file. Returns a Buffer.
 */
export async function convertJpeg(dir, jpeg, name, ext) {
  const src = path.join(dir, `${name}-src.jpg`);
  const out = path.join(dir, `${name}.${ext}`);
  writeFileSync(src, jpeg);
  await run('vips', ['copy', src, out]);
  return readFileSync(out);
}

/** An MP4 of ffmpeg's test pattern: width × height, `seconds` long. */
export async function testMp4(dir, name, { width = 480, height = 270, seconds = 2 } = {}) {
  const out = path.join(dir, `${name}.mp4`);
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=10`,
    '-t', String(seconds), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', out,
  ]);
  return readFileSync(out);
}

// ---------------------------------------------------------------------------------------
// Exif (little-endian TIFF)

const u16 = (v) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
};
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const ifd = (entries, next = 0) =>
  Buffer.concat([u16(entries.length), ...entries.map(([tag, type, count, value]) => Buffer.concat([u16(tag), u16(type), u32(count), u32(value)])), u32(next)]);

/**
 * An APP1 Exif segment (FF E1 ...): IFD0 with Orientation and, when gps is given
 * ({ lat: [d, m, s], lon: [d, m, s] }), a GPS IFD with GPSLatitudeRef N, GPSLatitude,
 * GPSLongitudeRef E, GPSLongitude (rationals stored after the IFD). Returns { segment, gpsBytes }:
 * gpsBytes is the rational data of the coordinates, to look for in what is served.
 */
export function exifSegment({ orientation = 1, gps } = {}) {
  const ifd0Entries = gps ? 2 : 1;
  const ifd0Size = 2 + ifd0Entries * 12 + 4;
  const gpsOff = 8 + ifd0Size;
  const gpsSize = 2 + 4 * 12 + 4;
  const latOff = gpsOff + gpsSize;
  const lonOff = latOff + 24;
  const ifd0 = ifd([[0x0112, 3, 1, orientation], ...(gps ? [[0x8825, 4, 1, gpsOff]] : [])]);
  let gpsPart = Buffer.alloc(0);
  let gpsBytes = Buffer.alloc(0);
  if (gps) {
    const rationals = (dms) => Buffer.concat(dms.flatMap((v) => [u32(Math.round(v * 1000)), u32(1000)]));
    gpsBytes = Buffer.concat([rationals(gps.lat), rationals(gps.lon)]);
    gpsPart = Buffer.concat([
      ifd([
        [0x0001, 2, 2, 'N'.charCodeAt(0)],
        [0x0002, 5, 3, latOff],
        [0x0003, 2, 2, 'E'.charCodeAt(0)],
        [0x0004, 5, 3, lonOff],
      ]),
      gpsBytes,
    ]);
  }
  const tiff = Buffer.concat([Buffer.from('II*\0', 'latin1'), u32(8), ifd0, gpsPart]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2);
  return { segment: Buffer.concat([Buffer.from([0xff, 0xe1]), len, payload]), gpsBytes };
}

/** An APP1 XMP segment carrying text. */
export function xmpSegment(text) {
  const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(text, 'utf8')]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), len, payload]);
}

/** jpeg with `segments` inserted after SOI and its APP0 (JFIF) when there is one. */
export function withSegments(jpeg, segments) {
  const segs = jpegSegments(jpeg);
  const app0 = segs.find((s) => s.marker === 0xe0);
  const at = app0 ? app0.offset + 2 + app0.length : 2;
  return Buffer.concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}

// ---------------------------------------------------------------------------------------
// Reading JPEGs

/** The segments of a JPEG before its image data: [{ marker, offset, length, payload }], and sos. */
export function jpegSegments(buf) {
  assert.ok(buf[0] === 0xff && buf[1] === 0xd8, 'a JPEG starts with SOI');
  const out = [];
  let p = 2;
  while (p + 4 <= buf.length) {
    assert.equal(buf[p], 0xff, `a marker at ${p}`);
    const marker = buf[p + 1];
    const length = buf.readUInt16BE(p + 2);
    out.push({ marker, offset: p, length, payload: buf.subarray(p + 4, p + 2 + length) });
    if (marker === 0xda) break;
    p += 2 + length;
  }
  return out;
}

/** Width and height from the SOF marker (baseline or progressive). */
export function jpegSize(buf) {
  const sof = jpegSegments(buf).find((s) => s.marker >= 0xc0 && s.marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(s.marker));
  assert.ok(sof, 'the JPEG has a SOF marker');
  return { width: sof.payload.readUInt16BE(3), height: sof.payload.readUInt16BE(1) };
}

/** The image data: from the SOS marker to the first end-of-image marker, inclusive. */
export function jpegScan(buf) {
  const sos = jpegSegments(buf).find((s) => s.marker === 0xda);
  let p = sos.offset + 2 + sos.length;
  for (; p + 1 < buf.length; p++) if (buf[p] === 0xff && buf[p + 1] === 0xd9) break;
  return buf.subarray(sos.offset, p + 2);
}

/** The Exif APP1 payload of a JPEG (from "Exif\0\0"), or undefined. */
export function exifPayload(buf) {
  return jpegSegments(buf).find((s) => s.marker === 0xe1 && s.payload.subarray(0, 6).toString('latin1') === 'Exif\0\0')?.payload;
}

/** The tags of an IFD of a little-endian Exif payload: Map tag -> { type, count, value }. */
function readIfd(tiff, off) {
  const tags = new Map();
  const n = tiff.readUInt16LE(off);
  for (let i = 0; i < n; i++) {
    const e = off + 2 + i * 12;
    tags.set(tiff.readUInt16LE(e), { type: tiff.readUInt16LE(e + 2), count: tiff.readUInt32LE(e + 4), value: tiff.readUInt32LE(e + 8) });
  }
  return tags;
}

/** { orientation, gpsTags: number of entries in the GPS IFD (0 when blanked, null when none) }. */
export function readExif(payload) {
  const tiff = payload.subarray(6);
  assert.equal(tiff.subarray(0, 4).toString('latin1'), 'II*\0', 'little-endian TIFF');
  const ifd0 = readIfd(tiff, tiff.readUInt32LE(4));
  const o = ifd0.get(0x0112);
  const g = ifd0.get(0x8825);
  return { orientation: o ? o.value & 0xffff : null, gpsTags: g ? readIfd(tiff, g.value).size : null };
}
