// The dashboards' figures computed from the written rules alone (docs/api-dashboards.md,
// "What is counted"; DOMAIN.md, "Roll-up"), for tests/api/figures-oracle.test.mjs: a plain
// reading over a model of the org tree, the sheets and the parent answers, with no
// database, no rollups and no call into the server's code. A sheet is scored by the
// instruments' rules re-implemented in fixtures-forms.mjs (docs/instruments.md).
//
//   R1  results count final sheets only: approved ones, and experts' sheets from submitted
//       on (a return drops them); completion counts submitted (submitted or approved) and
//       approved sheets against what is expected under the unit (active kindergartens,
//       active groups, active teachers, assignments of experts to active kindergartens;
//       only those of the sample when the campaign samples).
//   R2  a sheet: an indicator's value is its level, an area the mean of its indicators'
//       levels (n/a left out), the overall the mean of the area scores; exact values.
//   R3  per source, a group's value is its sheet; a kindergarten's the mean over its
//       sheets; a municipality's or region's the mean over its kindergartens that have a
//       value; n is the number of those kindergartens (at a kindergarten: of its sheets).
//   R4  rounded once, where shown, to one decimal, halves up; a level distribution counts
//       the shown score's whole part; above a kindergarten it counts kindergartens, at a
//       kindergarten its sheets.
//   Parents: responses per unit; per statement answered and positive (likert5 4–5, yes);
//       satisfaction = positive / answered over every statement; response rate =
//       responses / children enrolled in the active groups under the unit (null when none
//       is known).
//
// `rules` names the readings the server is measured against; RULES is the written one.
// The other settings describe the server before the rules of issue 12 were in force, so
// that the oracle can tell which of them a running server follows (see the feature probe
// in the oracle test); they are never the expected behaviour.

import { expectedScores, round1 } from './fixtures-forms.mjs';

export { round1 };

export const RULES = Object.freeze({
  perKindergarten: true, // R3: above a kindergarten, every kindergarten weighs the same
  bucketOnShown: true, // R4: levels count the whole part of the shown (rounded) score
  exactScores: true, // R2: a sheet's area and overall scores are kept exact
});

export const MAX_LEVEL = 7;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const r3 = (x) => Math.round(x * 1000) / 1000;

/** The shown score: one decimal, halves up (2.25 → 2.3, 3.972 → 4.0). */
export const shown = (x) => (x === null ? null : round1(x));

/** The level a value is counted at: the whole part of the shown score (or of the value). */
export function bucket(x, rules = RULES) {
  return Math.floor((rules.bucketOnShown ? round1(x) : x) + 1e-9);
}

/** An empty figure: {n, mean, levels[7]}. */
const emptyFigure = () => ({ n: 0, mean: null, levels: Array(MAX_LEVEL).fill(0) });

/** A figure of values, each counted at its own level. */
export function figureOf(values, rules = RULES) {
  const f = emptyFigure();
  if (!values.length) return f;
  f.n = values.length;
  f.mean = mean(values);
  for (const v of values) f.levels[bucket(v, rules) - 1]++;
  return f;
}

// ---------------------------------------------------------------------------------------
// One sheet

/**
 * The values a sheet contributes per code: {indicator: {code: level|null}, section: {…},
 * overall: {overall: score|null}} (R2). Without exact scores, areas and the overall are the
 * three-decimal values stored in submission_scores.
 */
export function sheetValues(def, answers, rules = RULES) {
  const e = expectedScores(def, answers);
  const keep = (x) => (x === null ? null : rules.exactScores ? x : r3(x));
  const out = { indicator: {}, section: {}, overall: { overall: keep(e.overall.mean) } };
  for (const [code, n] of Object.entries(e.indicators)) out.indicator[code] = n.value;
  for (const [code, n] of Object.entries(e.sections)) out.section[code] = keep(n.mean);
  return out;
}

/** R1: does a sheet in this status count in the results? */
export const countsInResults = (sheet) => sheet.status === 'approved' || (sheet.source === 'expert' && sheet.status === 'submitted');

// ---------------------------------------------------------------------------------------
// The tree of the model: units Map id -> {id, level, parent, active, enrolled}

/** The ids from the root down to the unit itself. */
export function pathOf(model, id) {
  const out = [];
  for (let u = model.units.get(id); u; u = model.units.get(u.parent)) out.unshift(u.id);
  return out;
}

export const isUnder = (model, id, ancestor) => pathOf(model, id).includes(ancestor);

/** The kindergarten a unit lies in (itself when it is one), or null above. */
export function kindergartenOf(model, id) {
  for (let u = model.units.get(id); u; u = model.units.get(u.parent)) if (u.level === 'kindergarten') return u.id;
  return null;
}

/** Active children of a unit, in id order (the oracle matches the server's items by id). */
export const childrenOf = (model, id) => [...model.units.values()].filter((u) => u.parent === id && u.active).map((u) => u.id);

const inSample = (model, kg) => !model.sample || model.sample.has(kg);

// ---------------------------------------------------------------------------------------
// Results (R1–R4)

/**
 * The results of a unit for (instrument, source): {overall: figure, section: {code:
 * figure}, indicator: {code: figure}}, a figure being {n, mean, levels[7]}.
 */
export function results(model, unitId, instrument, source, rules = RULES) {
  const def = model.defs[instrument];
  const unit = model.units.get(unitId);
  const sheets = model.sheets.filter((s) => s.instrument === instrument && s.source === source && countsInResults(s) && isUnder(model, s.unit, unitId));
  const values = sheets.map((s) => ({ kg: kindergartenOf(model, s.unit), v: sheetValues(def, s.answers, rules) }));
  const out = { overall: null, section: {}, indicator: {} };
  const codes = { overall: ['overall'], section: def.sections.map((s) => s.code), indicator: def.sections.flatMap((s) => s.indicators.map((i) => i.code)) };
  const perSheet = unit.level === 'kindergarten' || unit.level === 'group' || !rules.perKindergarten;
  for (const kind of ['overall', 'section', 'indicator']) {
    for (const code of codes[kind]) {
      const scored = values.filter((x) => x.v[kind][code] !== null);
      let fig;
      if (perSheet) fig = figureOf(scored.map((x) => x.v[kind][code]), rules);
      else {
        const byKg = new Map();
        for (const x of scored) (byKg.get(x.kg) || byKg.set(x.kg, []).get(x.kg)).push(x.v[kind][code]);
        fig = figureOf([...byKg.values()].map(mean), rules);
      }
      if (kind === 'overall') out.overall = fig;
      else out[kind][code] = fig;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Completion (R1)

/** What is expected of a source under a unit. */
export function expected(model, unitId, source) {
  const units = [...model.units.values()].filter((u) => u.active && isUnder(model, u.id, unitId));
  const kgActive = (kg) => kg !== null && model.units.get(kg).active && inSample(model, kg);
  switch (source) {
    case 'self':
      return units.filter((u) => u.level === 'kindergarten' && kgActive(u.id)).length;
    case 'group':
      return units.filter((u) => u.level === 'group' && pathOf(model, u.id).every((id) => model.units.get(id).active) && kgActive(kindergartenOf(model, u.id))).length;
    case 'teacher':
      return model.teachers.filter((t) => model.units.get(t.unit).active && isUnder(model, t.unit, unitId) && kgActive(kindergartenOf(model, t.unit))).length;
    case 'expert':
      return model.assignments.filter((a) => isUnder(model, a.kg, unitId) && kgActive(a.kg)).length;
    default:
      throw new Error(`expected: unknown source ${source}`);
  }
}

/** {expected, submitted, approved, overdue} of a unit for (instrument, source). */
export function completion(model, unitId, instrument, source) {
  const sheets = model.sheets.filter((s) => s.instrument === instrument && s.source === source && isUnder(model, s.unit, unitId));
  const c = {
    expected: expected(model, unitId, source),
    submitted: sheets.filter((s) => s.status === 'submitted' || s.status === 'approved').length,
    approved: sheets.filter((s) => s.status === 'approved').length,
  };
  c.overdue = Boolean(model.closed) && c.submitted < c.expected;
  return c;
}

// ---------------------------------------------------------------------------------------
// Parents

/** The statements of a parent questionnaire: its likert5, yes_no and yes_no_unsure items. */
export const statementsOf = (def) =>
  def.sections.flatMap((s) => s.indicators.flatMap((i) => i.items)).filter((it) => ['likert5', 'yes_no', 'yes_no_unsure'].includes(it.type));

/** Is an answer given (counted), and is it positive? (docs/instruments.md, share_positive) */
export function judge(item, v) {
  if (v === undefined || v === null || v === 'na' || v === '') return { answered: false, positive: false };
  if (item.type === 'likert5') return Number.isInteger(v) && v >= 1 && v <= 5 ? { answered: true, positive: v >= 4 } : { answered: false, positive: false };
  const ok = item.type === 'yes_no' ? ['yes', 'no'] : ['yes', 'no', 'unsure'];
  return ok.includes(v) ? { answered: true, positive: v === 'yes' } : { answered: false, positive: false };
}

const share = (a, b) => (b > 0 ? a / b : null);

/** Children enrolled under a unit: the sum over its active groups, null when none has it. */
export function enrolled(model, unitId) {
  const groups = [...model.units.values()].filter(
    (u) => u.level === 'group' && isUnder(model, u.id, unitId) && pathOf(model, u.id).every((id) => model.units.get(id).active) && u.enrolled !== null,
  );
  return groups.length ? groups.reduce((a, g) => a + g.enrolled, 0) : null;
}

/** {responses, enrolled, response_rate, satisfaction, statements: [{code, answered, positive, share}]} */
export function parents(model, unitId, instrument) {
  const def = model.defs[instrument];
  const st = statementsOf(def).map((item) => ({ item, code: item.code, answered: 0, positive: 0 }));
  const rs = model.responses.filter((r) => r.instrument === instrument && isUnder(model, r.unit, unitId));
  for (const r of rs) {
    for (const s of st) {
      const j = judge(s.item, r.answers[s.code]);
      s.answered += j.answered ? 1 : 0;
      s.positive += j.positive ? 1 : 0;
    }
  }
  const answered = st.reduce((a, s) => a + s.answered, 0);
  const positive = st.reduce((a, s) => a + s.positive, 0);
  const e = enrolled(model, unitId);
  return {
    responses: rs.length,
    enrolled: e,
    response_rate: e === null ? null : share(rs.length, e),
    satisfaction: share(positive, answered),
    statements: st.map((s) => ({ code: s.code, answered: s.answered, positive: s.positive, share: share(s.positive, s.answered) })),
  };
}
