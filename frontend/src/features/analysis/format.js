// Numbers of the analysis pages, through the app's one formatter (lib/format.js): shares as
// whole percents, kappa and gaps to two decimals with a sign, dates of the language.
import { formatNumber, formatPercent, tagOf } from '../../shared/format.js';

export const percent = (share, lang) => (share == null ? '—' : formatPercent(share, lang));

export const decimal = (v, lang, digits = 2) =>
  v == null ? '—' : formatNumber(v, lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A difference with its sign: «+0,25», «−1,13», «0,00». */
export function signed(v, lang) {
  if (v == null) return '—';
  const s = decimal(Math.abs(v), lang);
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s;
}

export const dateText = (d, lang) => (d ? new Date(`${d}T00:00:00`).toLocaleDateString(tagOf(lang)) : '');
