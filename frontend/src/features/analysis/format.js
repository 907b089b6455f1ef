// Numbers of the analysis pages: shares as whole percents, kappa and gaps to two decimals,
// in the language's own decimal mark.
export function percent(share, lang) {
  return share == null ? '—' : `${Math.round(share * 100)} %`.replace(' %', lang === 'en' ? '%' : ' %');
}

export function decimal(v, lang, digits = 2) {
  if (v == null) return '—';
  return v.toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function signed(v, lang) {
  if (v == null) return '—';
  const s = decimal(Math.abs(v), lang);
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s;
}

export function dateText(d, lang) {
  return d ? new Date(`${d}T00:00:00`).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU') : '';
}
