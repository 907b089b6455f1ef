// Helpers for the forms suite (tests/api/forms.test.mjs) and the forms bench
// (tests/bench/forms.sh): walking an instrument definition, the scoring rules of
// docs/instruments.md re-implemented in JS (written from the document, not from the C
// code, so that the server's stored result is checked against an independent reading),
// and dates. (The openapi recorder, Conformance, is in client.mjs.)
// Plain node; no packages.

import assert from 'node:assert/strict';

// ---------------------------------------------------------------------------------------
// Dates

/**
 * 'YYYY-MM-DD' of today plus `days`, in the local time zone: the test MariaDB runs on this
 * machine with the system time zone, and campaigns open and close by its CURRENT_DATE.
 */
export function isoDay(days = 0) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// ---------------------------------------------------------------------------------------
// Instrument definitions

/** Every item of a definition in document order: { item, indicator, section }. */
export function itemsOf(def) {
  const out = [];
  for (const section of def.sections) {
    for (const indicator of section.indicators) {
      for (const item of indicator.items) out.push({ item, indicator, section });
    }
  }
  return out;
}

/** Gives every required item of def that answers `a` leaves open a plain answer (a text,
 * "yes", 3, the minimum, the first option), so that a sheet of chosen levels can be
 * submitted. Returns a. */
export function answerOtherRequired(def, a) {
  for (const { item } of itemsOf(def)) {
    if (a[item.code] !== undefined || item.required !== true) continue;
    if (item.type === 'text' || item.type === 'longtext') a[item.code] = 'Обоснование';
    else if (item.type === 'yes_no' || item.type === 'yes_no_unsure') a[item.code] = 'yes';
    else if (item.type === 'likert5') a[item.code] = 3;
    else if (item.type === 'number') a[item.code] = item.min ?? 1;
    else if (item.type === 'single') a[item.code] = item.options[0].code;
  }
  return a;
}

/** Is an item required on submission? (check and ecers items always are.) */
export const isRequired = (item) => item.required === true || item.type === 'check' || item.type === 'ecers';

/** Codes of the required items, in document order. */
export const requiredCodes = (def) => itemsOf(def).filter(({ item }) => isRequired(item)).map(({ item }) => item.code);

/** An indicator by code. */
export function indicatorOf(def, code) {
  for (const s of def.sections) for (const i of s.indicators) if (i.code === code) return i;
  throw new Error(`no indicator ${code} in ${def.code}`);
}

/** The progress numbers docs/api-forms.md reports for an answer object. */
export function progressOf(def, answers) {
  const answered = (item, v) => {
    if (v === undefined || v === null) return false;
    if ((item.type === 'text' || item.type === 'longtext') && typeof v === 'string') return v.trim() !== '';
    if (item.type === 'date' && v === '') return false;
    if ((item.type === 'multi' || item.type === 'evidence') && Array.isArray(v)) return v.length > 0;
    return true;
  };
  const p = { answered: 0, required: 0, required_answered: 0 };
  for (const { item } of itemsOf(def)) {
    const done = answered(item, answers[item.code]);
    p.answered += done ? 1 : 0;
    if (isRequired(item)) {
      p.required++;
      p.required_answered += done ? 1 : 0;
    }
  }
  return p;
}

// ---------------------------------------------------------------------------------------
// Scoring (docs/instruments.md, "Scoring")

/**
 * One decimal, halves away from zero; a value within 1e-9 of a half counts as the half
 * (2.75 -> 2.8, 2.25 -> 2.3, 8/3 -> 2.7, 2.85 -> 2.9).
 */
export function round1(x) {
  const y = Math.abs(x) * 10;
  let f = Math.floor(y);
  if (y - f >= 0.5 - 1e-9) f += 1;
  return (Math.sign(x) || 1) * (f / 10);
}

const LEVELS = [2, 3, 4, 5];
const COLUMNS = [1, 3, 5, 7];

/** cumulative: { level (1..5 or null), levels: [{level, met, applicable}] } */
function cumulativeIndicator(indicator, answers) {
  const tally = LEVELS.map((level) => ({ level, met: 0, applicable: 0 }));
  let any = false;
  for (const item of indicator.items) {
    if (item.type !== 'check') continue;
    const v = answers[item.code];
    if (v === 'na') continue;
    any = true;
    const t = tally[LEVELS.indexOf(item.level)];
    t.applicable++;
    if (v === 'met') t.met++; // a missing answer counts as not met
  }
  if (!any) return { level: null, levels: tally };
  let level = 1;
  for (const t of tally) {
    if (t.met < t.applicable) break; // a level with no applicable items is passed
    level = t.level;
  }
  return { level, levels: tally };
}

/** ecers: { level (1..7 or null), columns: [{column, yes, applicable}] } */
function ecersIndicator(indicator, answers) {
  const tally = COLUMNS.map((column) => ({ column, yes: 0, applicable: 0 }));
  let any = false;
  for (const item of indicator.items) {
    if (item.type !== 'ecers') continue;
    const v = answers[item.code];
    if (v === 'na') continue;
    any = true;
    const t = tally[COLUMNS.indexOf(item.column)];
    t.applicable++;
    if (v === 'yes') t.yes++; // a missing answer counts as no
  }
  if (!any) return { level: null, columns: tally };
  const [c1, c3, c5, c7] = tally;
  const half = (t) => 2 * t.yes >= t.applicable; // an empty column passes both tests
  const all = (t) => t.yes === t.applicable;
  let level;
  if (c1.yes > 0) level = 1;
  else if (!half(c3)) level = 1;
  else if (!all(c3)) level = 2;
  else if (!half(c5)) level = 3;
  else if (!all(c5)) level = 4;
  else if (!half(c7)) level = 5;
  else if (!all(c7)) level = 6;
  else level = 7;
  return { level, columns: tally };
}

/** mean: { mean (or null), score, answers } */
function meanIndicator(indicator, answers) {
  const values = [];
  for (const item of indicator.items) {
    const v = answers[item.code];
    if (item.type === 'likert5' && Number.isInteger(v)) values.push(v);
    if (item.type === 'single' && typeof v === 'string') {
      const o = (item.options || []).find((x) => x.code === v);
      if (o && typeof o.score === 'number') values.push(o.score);
    }
  }
  if (!values.length) return { mean: null, score: null, answers: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, score: round1(mean), answers: values.length };
}

/**
 * The expected stored result of a definition and a (complete) answer object, for the
 * cumulative, ecers and mean rules: { rule, indicators: {code: node}, sections: {code:
 * {mean, score, indicators}}, overall: {mean, score, sections} }. Indicator nodes carry
 * `value` (the level, or the exact mean) as what areas average.
 */
export function expectedScores(def, answers) {
  const rule = def.scoring;
  const one = { cumulative: cumulativeIndicator, ecers: ecersIndicator, mean: meanIndicator }[rule];
  if (!one) throw new Error(`expectedScores: rule ${rule} not re-implemented here`);
  const indicators = {};
  const sections = {};
  const areaMeans = [];
  for (const s of def.sections) {
    const values = [];
    for (const i of s.indicators) {
      const n = one(i, answers);
      n.value = rule === 'mean' ? n.mean : n.level;
      indicators[i.code] = n;
      if (n.value !== null) values.push(n.value);
    }
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    sections[s.code] = { mean, score: mean === null ? null : round1(mean), indicators: values.length };
    if (mean !== null) areaMeans.push(mean);
  }
  const mean = areaMeans.length ? areaMeans.reduce((a, b) => a + b, 0) / areaMeans.length : null;
  return {
    rule,
    indicators,
    sections,
    overall: { mean, score: mean === null ? null : round1(mean), sections: areaMeans.length },
  };
}

const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);

/**
 * Compares the server's stored `scores` (and `overall_score`) of a sheet with
 * expectedScores(); every indicator, every area and the overall node.
 */
export function assertScores(sheet, expected, what = `sheet ${sheet.id}`) {
  const s = sheet.scores;
  assert.ok(s && typeof s === 'object', `${what}: no scores stored: ${JSON.stringify(sheet).slice(0, 300)}`);
  assert.equal(s.rule, expected.rule, `${what}: rule`);
  assert.deepEqual(s.instrument, { code: sheet.instrument.code, version: sheet.instrument.version }, `${what}: instrument`);
  assert.deepEqual(
    s.indicators.map((n) => n.code),
    Object.keys(expected.indicators),
    `${what}: indicators listed in instrument order`,
  );
  for (const n of s.indicators) {
    const e = expected.indicators[n.code];
    if (expected.rule === 'mean') {
      assert.ok(close(n.mean, e.mean), `${what} ${n.code}: mean ${n.mean}, expected ${e.mean}`);
      assert.equal(n.score, e.score, `${what} ${n.code}: score`);
      assert.equal(n.answers, e.answers, `${what} ${n.code}: answers counted`);
    } else {
      assert.equal(n.level, e.level, `${what} ${n.code}: level ${n.level}, expected ${e.level}`);
      const tally = expected.rule === 'cumulative' ? 'levels' : 'columns';
      assert.deepEqual(n[tally], e[tally], `${what} ${n.code}: ${tally}`);
    }
  }
  assert.deepEqual(
    s.sections.map((n) => n.code),
    Object.keys(expected.sections),
    `${what}: areas listed in instrument order`,
  );
  for (const n of s.sections) {
    const e = expected.sections[n.code];
    assert.ok(close(n.mean, e.mean), `${what} ${n.code}: area mean ${n.mean}, expected ${e.mean}`);
    assert.equal(n.score, e.score, `${what} ${n.code}: area score ${n.score}, expected ${e.score}`);
    assert.equal(n.indicators, e.indicators, `${what} ${n.code}: scored indicators`);
  }
  const o = expected.overall;
  assert.ok(close(s.overall.mean, o.mean), `${what}: overall mean ${s.overall.mean}, expected ${o.mean}`);
  assert.equal(s.overall.score, o.score, `${what}: overall score ${s.overall.score}, expected ${o.score}`);
  assert.equal(s.overall.sections, o.sections, `${what}: scored areas`);
  // overall_score: the exact mean, never rounded in storage (docs/figures.md, R2 and R4)
  if (o.mean === null) {
    assert.equal(sheet.overall_score, null, `${what}: overall_score`);
  } else {
    assert.equal(typeof sheet.overall_score, 'number', `${what}: overall_score ${sheet.overall_score}`);
    assert.ok(close(sheet.overall_score, o.mean), `${what}: overall_score ${sheet.overall_score}, expected the exact ${o.mean}`);
  }
}
