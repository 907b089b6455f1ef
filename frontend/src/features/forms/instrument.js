// Reading an instrument definition (docs/instruments.md) and its answers on the client:
// texts in the chosen language, what counts as answered, progress, and the live levels of
// the cumulative and ecers rules. The server scores a submission; these mirror its rules
// only to show the level while the form is being filled.
import { formatNumber } from '../../shared/format.js';

/** A text of the instrument: a Russian string, or {ru, en}. */
export function txt(text, lang) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return (lang && text[lang]) || text.ru || '';
}

/** check and ecers items are always required; other items when `required` is true. */
export const isRequired = (item) => item.type === 'check' || item.type === 'ecers' || item.required === true;

/** An item may be answered "not applicable". */
export const naAllowed = (item) => item.na_allowed === true;

/** The answer holds something (the server's rule: blank text, "" and [] are no answer). */
export function isAnswered(item, value) {
  if (value === undefined || value === null) return false;
  switch (item.type) {
    case 'text':
    case 'longtext':
      return typeof value === 'string' && value.trim() !== '';
    case 'date':
      return value !== '';
    case 'multi':
    case 'evidence':
      return Array.isArray(value) ? value.length > 0 : value !== '';
    default:
      return true;
  }
}

/** Two answer values are the same (arrays in the same order). */
export function sameValue(a, b) {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

/**
 * Index a definition: sections with their indicators and items in document order, and a
 * map from item code to {item, indicator, section}.
 */
export function indexInstrument(def) {
  const items = new Map();
  const order = [];
  for (const section of def?.sections ?? []) {
    for (const indicator of section.indicators ?? []) {
      for (const item of indicator.items ?? []) {
        items.set(item.code, { item, indicator, section });
        order.push(item.code);
      }
    }
  }
  return { def, sections: def?.sections ?? [], items, order };
}

/** answered / required / required answered over a list of items (like the server's count). */
export function countProgress(itemList, answers) {
  let answered = 0;
  let required = 0;
  let requiredAnswered = 0;
  for (const item of itemList) {
    const done = isAnswered(item, answers?.[item.code]);
    if (done) answered++;
    if (isRequired(item)) {
      required++;
      if (done) requiredAnswered++;
    }
  }
  return { answered, required, required_answered: requiredAnswered };
}

export function sectionItems(section) {
  const out = [];
  for (const indicator of section.indicators ?? []) for (const item of indicator.items ?? []) out.push(item);
  return out;
}

export const LEVELS = [2, 3, 4, 5];
export const COLUMNS = [1, 3, 5, 7];

/**
 * Counts an indicator's items of one type into slots ({total, applicable, [key]}): `slotOf`
 * picks an item's slot (none: counted as an item only), "na" leaves it out of applicable,
 * the answer `key` adds to slot[key]. Returns {items, na}: how many items of the type and
 * how many of them are "na".
 */
function tally(indicator, answers, type, slotOf, key) {
  let items = 0;
  let na = 0;
  for (const item of indicator.items ?? []) {
    if (item.type !== type) continue;
    items++;
    const slot = slotOf(item);
    if (!slot) continue;
    slot.total++;
    const v = answers?.[item.code];
    if (v === 'na') {
      na++;
      continue;
    }
    slot.applicable++;
    if (v === key) slot[key]++;
  }
  return { items, na };
}

/**
 * The cumulative rule for one indicator: {level, levels: [{level, met, applicable}]}.
 * "na" removes an item, a missing answer counts as not met, a level without applicable
 * items is passed; level is null when every check item is "na".
 */
export function cumulativeLevel(indicator, answers) {
  const levels = LEVELS.map((level) => ({ level, met: 0, applicable: 0, total: 0 }));
  const { items: checks, na } = tally(indicator, answers, 'check', (item) => levels[item.level - 2], 'met');
  if (checks === 0 || na === checks) return { level: null, levels };
  let level = 1;
  for (const slot of levels) {
    if (slot.met < slot.applicable) break;
    level = slot.level;
  }
  return { level, levels };
}

/** The ecers rule for one indicator: {level 1…7 or null, columns: [{column, yes, applicable}]}. */
export function ecersLevel(indicator, answers) {
  const columns = COLUMNS.map((column) => ({ column, yes: 0, applicable: 0, total: 0 }));
  const { items, na } = tally(indicator, answers, 'ecers', (item) => columns[COLUMNS.indexOf(item.column)], 'yes');
  if (items === 0 || na === items) return { level: null, columns };
  const [c1, c3, c5, c7] = columns;
  if (c1.yes > 0) return { level: 1, columns };
  // An empty column passes both "at least half" and "all".
  const step = (c, low) => {
    if (c.applicable === 0 || c.yes === c.applicable) return null;
    return 2 * c.yes >= c.applicable ? low + 1 : low;
  };
  const level = step(c3, 1) ?? step(c5, 3) ?? step(c7, 5) ?? 7;
  return { level, columns };
}

/** The live level of an indicator under the instrument's rule, or undefined (no live level). */
export function liveLevel(rule, indicator, answers) {
  if (rule === 'cumulative') return cumulativeLevel(indicator, answers);
  if (rule === 'ecers') return ecersLevel(indicator, answers);
  return undefined;
}

/** A score with one decimal, halves away from zero, a decimal comma in Russian. */
export function formatScore(x, lang) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  const n = Number(x);
  const r = (Math.sign(n) * Math.floor(Math.abs(n) * 10 + 0.5 + 1e-9)) / 10;
  return formatNumber(r, lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** The server's stored result, by code: {indicators: Map, sections: Map, overall}. */
export function storedScores(scores) {
  const indicators = new Map();
  const sections = new Map();
  for (const n of scores?.indicators ?? []) indicators.set(n.code, n);
  for (const n of scores?.sections ?? []) sections.set(n.code, n);
  return { rule: scores?.rule, indicators, sections, overall: scores?.overall ?? null };
}

/** Roles listed by the API either as an array or as "a,b". */
export function roleList(v) {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** Lower is higher, as on the server: a reviewer must rank above the respondent. */
const RANK = { administrator: 0, region_coordinator: 1, municipal_coordinator: 2, doo_coordinator: 3 };
const rank = (role) => RANK[role] ?? 4;
export const reviewsAnything = (role) => rank(role) <= 3;
export const mayReview = (myRole, respondentRole) => rank(myRole) <= 3 && rank(myRole) < rank(respondentRole);

/** Whether an item is an indicator's justification text (a text or longtext «….comment»). */
export const isJustification = (item) => (item.type === 'text' || item.type === 'longtext') && item.code.endsWith('.comment');

/**
 * What the instrument asks for beside the scored answers, per indicator: photos or videos
 * (an evidence item; files attached to the indicator count) and a justification. Returns
 * {evidence: {asked, missing: [{indicator, section, required}]}, justification: {…}}.
 * `filesOf(code)` gives the number of files attached to an indicator.
 */
export function askedMissing(sections, answers, filesOf = () => 0) {
  const out = { evidence: { asked: 0, missing: [] }, justification: { asked: 0, missing: [] } };
  for (const section of sections ?? [])
    for (const indicator of section.indicators ?? []) {
      const items = indicator.items ?? [];
      const ev = items.find((i) => i.type === 'evidence');
      if (ev) {
        out.evidence.asked++;
        if (!isAnswered(ev, answers?.[ev.code]) && !filesOf(indicator.code)) out.evidence.missing.push({ indicator, section, required: ev.required === true });
      }
      const just = items.find(isJustification);
      if (just) {
        out.justification.asked++;
        if (!isAnswered(just, answers?.[just.code])) out.justification.missing.push({ indicator, section, required: just.required === true });
      }
    }
  return out;
}

/** An answer for people, short: «Выполнено», an option's text, a text cut at 80 characters. */
export function answerText(item, v, t, lang) {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) return t('forms.answer.none');
  if (v === 'na') return t('forms.answer.na');
  if (item && ['check', 'ecers', 'yes_no', 'yes_no_unsure'].includes(item.type) && typeof v === 'string') return t(`forms.answer.${v}`);
  if (item?.type === 'single') return txt(item.options?.find((o) => o.code === v)?.text, lang) || v;
  if (item?.type === 'multi' && Array.isArray(v)) return v.map((c) => txt(item.options?.find((o) => o.code === c)?.text, lang) || c).join(', ');
  if (Array.isArray(v)) return v.join(', ');
  const s = String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/**
 * What changed since a return: answers whose value differs from the kept one, and files
 * attached or removed per indicator. `before` is the sheet's since_return, `files` the
 * current [{indicator, file_id, name}]. Returns [{indicator, section, answers: [{item,
 * before, after}], added: [file], removed: [file_id]}] in document order.
 */
export function changesSince(index, before, answers, files) {
  if (!before) return [];
  const out = new Map();
  const row = (entry) => {
    const k = entry.indicator.code;
    if (!out.has(k)) out.set(k, { indicator: entry.indicator, section: entry.section, answers: [], added: [], removed: [] });
    return out.get(k);
  };
  for (const code of index.order) {
    const a = before.answers?.[code];
    const b = answers?.[code];
    const entry = index.items.get(code);
    if (entry.item.type === 'evidence') continue;
    if (!sameValue(a ?? null, b ?? null) && !(isBlank(a) && isBlank(b))) row(entry).answers.push({ item: entry.item, before: a, after: b });
  }
  const byIndicator = new Map();
  for (const entry of index.items.values()) if (!byIndicator.has(entry.indicator.code)) byIndicator.set(entry.indicator.code, entry);
  const kept = new Set((before.evidence ?? []).map((f) => `${f.indicator}/${f.file_id}`));
  const now = new Set((files ?? []).map((f) => `${f.indicator}/${f.file_id}`));
  for (const f of files ?? []) if (!kept.has(`${f.indicator}/${f.file_id}`) && byIndicator.has(f.indicator)) row(byIndicator.get(f.indicator)).added.push(f);
  for (const f of before.evidence ?? []) if (!now.has(`${f.indicator}/${f.file_id}`) && byIndicator.has(f.indicator)) row(byIndicator.get(f.indicator)).removed.push(f.file_id);
  const order = [...byIndicator.keys()];
  return [...out.values()].sort((x, y) => order.indexOf(x.indicator.code) - order.indexOf(y.indicator.code));
}

const isBlank = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'string' && !v.trim());
