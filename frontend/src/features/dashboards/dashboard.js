// The dashboards' state lives in the address (docs/api-dashboards.md for the data):
// /dashboards/{unit}?campaign=&instrument=&source=&view=&sort=&section=&below=&overdue=&q=&area=
// These helpers read that state, build the API queries from it and shape the answers for
// the charts and tables. No I/O here.
import { formatNumber } from '../../shared/format.js';
import { formatScore } from '../forms/instrument.js';
import { newestFirst, usesInstrument } from '../stages/campaigns.js';

export { formatScore };

export const VIEWS = ['children', 'breakdown', 'completion', 'parents'];
export const SOURCES = ['self', 'group', 'expert', 'teacher'];

const ID = /^[1-9][0-9]{0,17}$/;
const CODE = /^[A-Za-z0-9._-]{1,32}$/;
const SORT = /^-?(name|overall|completion|section:[A-Za-z0-9._-]{1,32})$/;

const id = (v) => (v && ID.test(v) ? Number(v) : null);

/** The dashboard state from a query string (URLSearchParams); unknown values dropped. */
export function readState(params) {
  const below = params.get('below');
  const belowNum = below !== null && below !== '' && Number.isFinite(Number(below)) ? Number(below) : null;
  const view = params.get('view');
  const source = params.get('source');
  const section = params.get('section');
  const area = params.get('area');
  const sort = params.get('sort');
  return {
    campaign: id(params.get('campaign')),
    instrument: id(params.get('instrument')),
    source: SOURCES.includes(source) ? source : null,
    view: VIEWS.includes(view) ? view : null,
    sort: sort && SORT.test(sort) ? sort : null,
    section: section && CODE.test(section) ? section : null,
    below: belowNum,
    overdue: params.get('overdue') === '1',
    confirmed: params.get('confirmed') === '1',
    q: (params.get('q') ?? '').slice(0, 100),
    area: area && CODE.test(area) ? area : null,
  };
}

/** The query string of a state (empty and default values left out). */
export function stateQuery(state) {
  const q = new URLSearchParams();
  const put = (k, v) => {
    if (v !== null && v !== undefined && v !== '' && v !== false) q.set(k, v === true ? '1' : String(v));
  };
  put('campaign', state.campaign);
  put('instrument', state.instrument);
  put('source', state.source);
  put('view', state.view);
  put('sort', state.sort);
  put('section', state.section);
  put('below', state.below);
  put('overdue', state.overdue);
  put('confirmed', state.confirmed);
  put('q', state.q);
  put('area', state.area);
  return q.toString();
}

/** The address of a dashboard page. */
export function dashboardHref(unitId, state) {
  const s = stateQuery(state);
  return `/dashboards/${unitId}${s ? `?${s}` : ''}`;
}

/** The parameters every dashboard endpoint takes, plus the children view's filters. */
export function apiQuery(state, view, limit) {
  const q = new URLSearchParams({ campaign: String(state.campaign) });
  if (state.instrument) q.set('instrument', String(state.instrument));
  if (state.source) q.set('source', state.source);
  if (view === 'children') {
    if (state.sort) q.set('sort', state.sort);
    if (state.section && state.below !== null) {
      q.set('section', state.section);
      q.set('below', String(state.below));
    }
    if (state.overdue) q.set('overdue', '1');
    if (state.confirmed) q.set('confirmed', '1'); // results of confirmed kindergartens only
    if (state.q.trim()) q.set('q', state.q.trim());
  }
  if (LISTS.includes(view)) q.set('limit', String(limit ?? PAGE));
  return q.toString();
}

/** Children shown per page of a list («Показать ещё» asks for the next); an export has all. */
export const PAGE = 50;
export const EXPORT_LIMIT = 2000;
const LISTS = ['children', 'completion', 'parents'];

/** The API path of a view, or of its export (`ext` xlsx / csv). */
export function viewPath(unitId, view, state, ext) {
  return `/dashboards/units/${unitId}/${view}${ext ? `.${ext}` : ''}?${apiQuery(state, view, ext ? EXPORT_LIMIT : PAGE)}`;
}

/** The lists of a view's answer that page: the children, or each instrument's of completion. */
export function pagedLists(data) {
  if (!data) return [];
  if (Array.isArray(data.instruments)) return data.instruments;
  return Array.isArray(data.items) ? [data] : [];
}

/** How many children are shown and how many there are (the first list decides). */
export function pageState(data) {
  const l = pagedLists(data)[0];
  return l ? { shown: l.items.length, count: l.count ?? l.items.length } : { shown: 0, count: 0 };
}

/** The answer with the next page's items appended to each list (same order of lists). */
export function appendPage(data, next) {
  const a = pagedLists(data);
  const b = pagedLists(next);
  a.forEach((l, i) => {
    l.items = [...l.items, ...(b[i]?.items ?? [])];
    l.count = b[i]?.count ?? l.count;
  });
  return data;
}

/**
 * The campaign a dashboard opens with: the newest one (by year, then opening date) that
 * uses the quality scale, else the newest of all.
 */
export function newestCampaign(campaigns) {
  const list = newestFirst(campaigns);
  return list.find((c) => usesInstrument(c, 'QS')) ?? list[0] ?? null;
}

/** Which view a unit opens with when the address names none. */
export const defaultView = (level) => (level === 'group' ? 'breakdown' : 'children');

/** Completion as a share 0..1 (submitted / expected), or null when nothing is expected. */
export function completionShare(c) {
  return c && c.expected > 0 ? c.submitted / c.expected : null;
}

/** «57 %» (no decimals), or «—». */
export function formatPercent(share, lang) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${formatNumber(Math.round(share * 100), lang)} %`;
}

/** A difference with its sign and one decimal: «+0,3», «−1,0», «0,0»; «—» when unknown. */
export function formatDiff(d, lang) {
  if (d === null || d === undefined || !Number.isFinite(d)) return '—';
  const r = Math.round(d * 10) / 10;
  const abs = formatNumber(Math.abs(r), lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (r === 0) return abs;
  return `${r > 0 ? '+' : '−'}${abs}`;
}

/** A score rounded to one decimal as a number (what the charts plot), or null. */
export function round1(x) {
  return x === null || x === undefined || !Number.isFinite(Number(x)) ? null : Math.round(Number(x) * 10) / 10;
}

/** unit − previous, or null when either is missing. */
export function diff(a, b) {
  return a === null || a === undefined || b === null || b === undefined ? null : a - b;
}

/** The levels 1..max of a distribution (levels[k] is the count at level k+1). */
export function levelRange(maxLevel, items) {
  let max = maxLevel || 0;
  for (const it of items) {
    const lv = it?.levels ?? [];
    for (let k = lv.length - 1; k >= max; k--) if (lv[k]) max = k + 1;
  }
  return Array.from({ length: Math.max(max, 1) }, (_, k) => k + 1);
}

/** The areas of a breakdown answer with unit / parent / previous means and the trend. */
export function shapeBreakdown(data) {
  const mean = (f) => (f && f.n > 0 ? f.mean : null);
  const row = (s) => ({
    code: s.code,
    title: s.title ?? s.code,
    unit: mean(s.unit),
    parent: mean(s.parent),
    previous: mean(s.previous),
    n: s.unit?.n ?? 0,
    levels: s.unit?.levels ?? [],
    diff: diff(mean(s.unit), mean(s.previous)),
  });
  return {
    overall: row({ code: 'overall', ...(data?.overall ?? {}) }),
    sections: (data?.sections ?? []).map((s) => ({ ...row(s), indicators: (s.indicators ?? []).map(row) })),
    hasParent: !!data?.overall?.parent || (data?.sections ?? []).some((s) => s.parent),
    hasPrevious: !!data?.previous_campaign,
  };
}

/**
 * A unit's name for a chart's axis, where space is short: the legal form in front of a
 * kindergarten's name is dropped («МБДОУ «Детский сад № 12»» → «Детский сад № 12»); the
 * tables keep the full name.
 */
export function axisName(name) {
  const s = String(name ?? '');
  const m = /^[А-ЯЁA-Z]{2,8}\s+«(.+)»$/u.exec(s);
  return m ? m[1] : s;
}

const list = (s) => String(s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/**
 * The sources an instrument of a campaign has figures for (docs/api-dashboards.md): `self`
 * when it aims at kindergartens and their coordinators fill it, `group` when it aims at
 * groups, `teacher` at teachers, `expert` when experts fill it.
 */
export function sourcesOf(instrument) {
  if (!instrument) return SOURCES;
  const targets = list(instrument.targets);
  const respondents = list(instrument.respondents);
  const out = [];
  if (targets.includes('kindergarten') && respondents.includes('doo_coordinator')) out.push('self');
  if (targets.includes('group')) out.push('group');
  if (respondents.includes('expert')) out.push('expert');
  if (targets.includes('teacher')) out.push('teacher');
  return out.length ? out : SOURCES;
}

/**
 * The source every results tab of a unit uses (docs/figures.md): the chosen one, else the
 * group's own sheets for a group, else the kindergartens' self-assessment — one set of
 * sheets for the children and the areas tabs alike.
 */
export function effectiveSource(source, level, sources) {
  if (source && sources.includes(source)) return source;
  if (level === 'group' && sources.includes('group')) return 'group';
  return sources.includes('self') ? 'self' : sources[0];
}

/** The source a newly chosen instrument opens with (null: the API's default, `self`). */
export function firstSource(instrument) {
  const s = sourcesOf(instrument);
  return s.includes('self') ? null : s[0];
}
