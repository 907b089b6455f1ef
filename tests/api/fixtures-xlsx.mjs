// Reading an exported workbook (XLSX) back: shared strings, number and text cells, which
// styles are bold, column widths, frozen panes; and downloading an export with a token.
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { BASE } from './lib.mjs';

// ---------------------------------------------------------------------------------------
// Reading an XLSX back

const unxml = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

const colIndex = (letters) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/** { sheets: [{ name, rows: Map(row -> Map(col -> cell)), cols: [{min,max,width}], pane }], bold(style) } */
export function readXlsx(buf) {
  const files = unzipSync(new Uint8Array(buf));
  const text = (name) => {
    assert.ok(files[name], `the workbook has no ${name} (members: ${Object.keys(files).join(', ')})`);
    return strFromU8(files[name]);
  };
  const strings = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map(([, si]) =>
    unxml([...si.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')),
  );
  const styles = text('xl/styles.xml');
  const fonts = [...styles.match(/<fonts[^>]*>([\s\S]*?)<\/fonts>/)[1].matchAll(/<font>([\s\S]*?)<\/font>/g)].map((m) => m[1]);
  const xfs = [...styles.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)[1].matchAll(/<xf ([^>]*?)\/?>/g)].map((m) => m[1]);
  const bold = (style) => {
    const fontId = Number((xfs[style] || '').match(/fontId="(\d+)"/)?.[1] ?? -1);
    return fontId >= 0 && /<b\/>/.test(fonts[fontId] || '');
  };
  const book = text('xl/workbook.xml');
  const names = [...book.matchAll(/<sheet name="([^"]*)"/g)].map((m) => unxml(m[1]));
  const sheets = names.map((name, i) => {
    const xml = text(`xl/worksheets/sheet${i + 1}.xml`);
    const rows = new Map();
    for (const m of xml.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const [, letters, rowNo, attrs, inner = ''] = m;
      const t = attrs.match(/ t="([^"]*)"/)?.[1] ?? 'n';
      const s = Number(attrs.match(/ s="(\d+)"/)?.[1] ?? 0);
      const v = inner.match(/<v>([\s\S]*?)<\/v>/)?.[1];
      const cell = { t, s, raw: v, value: t === 's' ? strings[Number(v)] : t === 'n' ? Number(v) : v };
      const r = Number(rowNo);
      if (!rows.has(r)) rows.set(r, new Map());
      rows.get(r).set(colIndex(letters), cell);
    }
    const cols = [...xml.matchAll(/<col min="(\d+)" max="(\d+)" width="([\d.]+)"/g)].map((m) => ({
      min: Number(m[1]),
      max: Number(m[2]),
      width: Number(m[3]),
    }));
    const pane = xml.match(/<pane ySplit="(\d+)"/)?.[1];
    return { name, rows, cols, pane: pane && Number(pane) };
  });
  return { sheets, bold };
}

/** The header row (the first row whose first cell is bold) and the rows below it as arrays. */
export function tableOf(sheet, bold) {
  const rowNos = [...sheet.rows.keys()].sort((a, b) => a - b);
  const headerNo = rowNos.find((r) => {
    const c = sheet.rows.get(r).get(0);
    return c && c.t === 's' && bold(c.s) && r > 1;
  });
  assert.ok(headerNo, `sheet ${sheet.name}: no bold header row`);
  const width = Math.max(...[...sheet.rows.get(headerNo).keys()]) + 1;
  const arr = (r) => Array.from({ length: width }, (_, c) => sheet.rows.get(r)?.get(c));
  const header = arr(headerNo);
  const title = rowNos.filter((r) => r < headerNo).map((r) => sheet.rows.get(r).get(0)?.value);
  return { headerNo, header, title, rows: rowNos.filter((r) => r > headerNo).map(arr) };
}

export async function download(path, token) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30000),
  });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8') };
}

