// Dates of the plan-schedule: local YYYY-MM-DD strings, month grids from Monday, and who
// runs campaigns. Plain functions, no state.

const pad = (n) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of a local Date. */
export const isoOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** A local Date from 'YYYY-MM-DD'. */
export const dateOf = (iso) => new Date(`${iso}T00:00:00`);

/** 'YYYY-MM' of the month holding iso. */
export const monthOf = (iso) => iso.slice(0, 7);

/** The month `n` months after 'YYYY-MM'. */
export function addMonths(month, n) {
  const d = new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

/** First and last day of 'YYYY-MM'. */
export function monthRange(month) {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return { from: `${month}-01`, to: isoOf(new Date(y, m, 0)) };
}

/** The weeks (Monday first) covering a month: arrays of 7 { iso, inMonth }. */
export function monthWeeks(month) {
  const { from, to } = monthRange(month);
  const start = dateOf(from);
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7));
  const weeks = [];
  for (let d = start; isoOf(d) <= to || weeks.at(-1)?.length < 7; ) {
    if (!weeks.length || weeks.at(-1).length === 7) weeks.push([]);
    const iso = isoOf(d);
    weeks.at(-1).push({ iso, inMonth: iso.startsWith(month), day: d.getDate() });
    d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
  }
  return weeks;
}

/** A date for people: 01.10.2026 (ru) or 01/10/2026 (en). */
export const dateText = (iso, lang) => (iso ? dateOf(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU') : '');

/** The month's name and year. */
export function monthTitle(month, lang) {
  const d = dateOf(`${month}-01`);
  const name = d.toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU', { month: 'long' });
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${d.getFullYear()}`;
}

export const RUNNERS = ['administrator', 'region_coordinator'];
export const isRunner = (role) => RUNNERS.includes(role);
export const REOPENERS = [...RUNNERS, 'municipal_coordinator'];
export const RESPONDENTS = ['doo_coordinator', 'teacher', 'expert', 'municipal_coordinator', 'region_coordinator', 'parent'];
export const LEVELS = ['kindergarten', 'group', 'teacher', 'unit'];
