// What the analysis pages share: the campaigns to choose from and the words of a sign-off.
import { request } from '../../shared/session.svelte.js';
import { t } from '../../shared/i18n.svelte.js';

/** The campaigns the caller sees, newest first. */
export async function campaigns() {
  return (await request('GET', '/campaigns')).items;
}

/** The chosen campaign of ?campaign=, else the newest. */
export function chosen(list, search) {
  const id = Number(new URLSearchParams(search).get('campaign'));
  return list.find((c) => c.id === id) ?? list[0] ?? null;
}

export const levelName = (l) => t(`analysis.level.${l}`);
export const levelsText = (levels) => levels.map(levelName).join(' → ');

/** A minimum typed by a person ("3,5" or "3.5") as a number, or null when empty. */
export function parseMin(s) {
  const v = String(s ?? '').trim().replace(',', '.');
  if (!v) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : NaN;
}
