// A small CSV writer for files made in the browser: UTF-8 with BOM, ';' (as Russian
// Excel expects), CRLF, cells that a spreadsheet would run as a formula prefixed with '.

function cell(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvBlob(rows) {
  const text = rows.map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
  return new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
}
