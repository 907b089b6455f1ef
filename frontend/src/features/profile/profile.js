// The quality profile (GET /units/{id}/profile) shaped for the page: one entry per area in
// the instrument's order with the kindergarten's score, the municipality's mean and the
// experts' scores, and its indicators with the levels and the gap (experts − self).
import { formatNumber } from '../../shared/format.js';
import { formatScore } from '../forms/instrument.js';

export { formatScore };

/** The highest score on the scale (levels 1…5). */
export const MAX_SCORE = 5;

/** Mean of the numbers among `values`, or null when there are none. */
export function mean(values) {
  const nums = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The gap between the experts and the kindergarten on one indicator: the experts' mean
 * level minus the self-assessed level, or null when either is missing.
 */
export function gap(selfLevel, expertLevels) {
  const e = mean(expertLevels);
  const s = num(selfLevel);
  return e === null || s === null ? null : e - s;
}

/** A gap this large (either way) is highlighted. */
export const isBigGap = (g) => g !== null && Math.abs(g) >= 1 - 1e-9;

/** "+1", "−0,5", "0": the sign always shown, one decimal only when needed. */
export function formatGap(g, lang) {
  if (g === null || g === undefined) return '—';
  const r = Math.round(g * 10) / 10;
  if (r === 0) return '0';
  const abs = formatNumber(Math.abs(r), lang, { maximumFractionDigits: 1 });
  return `${r > 0 ? '+' : '−'}${abs}`;
}

/** The page's model of a profile answer. */
export function shapeProfile(data) {
  const self = data?.self_assessment ?? null;
  const experts = (data?.experts ?? []).map((e, i) => ({
    id: e.submission_id ?? i,
    name: e.expert?.full_name ?? '',
    status: e.status,
    overall: num(e.overall),
    sections: e.sections ?? {},
    indicators: e.indicators ?? {},
    comments: e.comments ?? {},
  }));
  const means = data?.municipality?.means ?? null;
  const areas = (data?.instrument?.sections ?? []).map((s, i) => {
    const expertScores = experts.map((e) => num(e.sections[s.code]?.score));
    return {
      code: s.code,
      number: i + 1,
      title: s.title ?? s.code,
      self: num(self?.sections?.[s.code]?.score),
      municipality: num(means?.sections?.[s.code]),
      experts: expertScores,
      expertMean: mean(expertScores),
      indicators: (s.indicators ?? []).map((ind) => {
        const selfLevel = num(self?.indicators?.[ind.code]?.level);
        const levels = experts.map((e) => num(e.indicators[ind.code]?.level));
        return {
          code: ind.code,
          title: ind.title ?? ind.code,
          self: selfLevel,
          experts: levels,
          gap: gap(selfLevel, levels),
          evidence: self?.evidence?.[ind.code] ?? 0,
          selfComment: self?.comments?.[ind.code] ?? '',
          expertComments: experts.map((e) => ({ name: e.name, text: e.comments[ind.code] ?? '' })).filter((c) => c.text),
        };
      }),
    };
  });
  return {
    unit: data?.unit ?? null,
    instrument: data?.instrument ? { code: data.instrument.code, version: data.instrument.version, title: data.instrument.title } : null,
    hasSelf: !!self,
    selfStatus: self?.status ?? null,
    overall: {
      self: num(self?.overall),
      municipality: num(means?.overall),
      experts: mean(experts.map((e) => e.overall)),
    },
    kindergartens: means?.kindergartens ?? 0,
    municipalityName: data?.municipality?.name ?? '',
    experts,
    areas,
  };
}
