// The text of a PDF that Chromium printed, for the tests: the content streams are inflated,
// each font's ToUnicode map read, and the hex strings of the text operators decoded with the
// map of the font selected (Tf) at that point. Whitespace is dropped (Chromium places words
// by position), so callers compare texts without spaces.
import { inflateSync } from 'node:zlib';

function streams(buf) {
  const s = buf.toString('latin1');
  const out = new Map(); // object number -> {dict, data}
  const re = /(\d+)\s+0\s+obj\s*(<<(?:(?!endobj)[\s\S])*?>>)\s*stream\r?\n/g;
  let m;
  while ((m = re.exec(s))) {
    const len = /\/Length\s+(\d+)(?!\s+0\s+R)/.exec(m[2]);
    const start = m.index + m[0].length;
    const end = len ? start + Number(len[1]) : s.indexOf('endstream', start);
    let data = buf.subarray(start, end);
    if (/\/FlateDecode/.test(m[2])) {
      try {
        data = inflateSync(data);
      } catch {
        continue;
      }
    }
    out.set(m[1], { dict: m[2], data: data.toString('latin1') });
  }
  return { text: s, out };
}

function cmapOf(src) {
  const map = new Map();
  for (const block of src.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, a, b] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(a, 16), utf16(b));
  for (const block of src.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, a, b, c] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const from = parseInt(a, 16);
      const base = parseInt(c, 16);
      for (let g = from; g <= parseInt(b, 16); g++) map.set(g, String.fromCodePoint(base + g - from));
    }
  return map;
}

function utf16(hex) {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return s;
}

export function pdfText(buf) {
  const { text, out } = streams(buf);
  // font resource name -> ToUnicode map: "/F3 12 0 R" in a Font dictionary, the font object's
  // /ToUnicode N 0 R
  const fontMaps = new Map();
  const objects = new Map();
  for (const m of text.matchAll(/(\d+)\s+0\s+obj\s*(<<(?:(?!endobj)[\s\S])*?>>)\s*(?:stream|endobj)/g)) objects.set(m[1], m[2]);
  for (const dict of objects.values()) {
    const fonts = /\/Font\s*<<([\s\S]*?)>>/.exec(dict);
    if (!fonts) continue;
    for (const [, name, ref] of fonts[1].matchAll(/\/([A-Za-z0-9_.-]+)\s+(\d+)\s+0\s+R/g)) {
      const tu = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(objects.get(ref) ?? '');
      const cm = tu && out.get(tu[1]);
      if (cm) fontMaps.set(name, cmapOf(cm.data));
    }
  }
  let result = '';
  for (const { data } of out.values()) {
    let map = null;
    for (const m of data.matchAll(/\/([A-Za-z0-9_.-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>/g)) {
      if (m[1]) map = fontMaps.get(m[1]) ?? null;
      else if (m[2] !== undefined && map) for (let i = 0; i + 4 <= m[2].length; i += 4) result += map.get(parseInt(m[2].slice(i, i + 4), 16)) ?? '';
    }
  }
  return result.replace(/\s+/g, '');
}
