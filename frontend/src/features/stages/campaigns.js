// Campaigns as the other features pick them: the list the caller sees, the one named in
// the address (?campaign=) and the orders they are offered in.
import { request } from '../../shared/session.svelte.js';
import { explain } from '../../shared/problem.js';
import { route } from '../../shared/router.svelte.js';

/** GET /campaigns: every campaign the caller sees. */
export async function fetchCampaigns() {
  return (await request('GET', '/campaigns'))?.items ?? [];
}

/** The campaigns, or [] when they could not be loaded: `failed(message)` is told why. */
export async function fetchCampaignsOr(failed) {
  try {
    return await fetchCampaigns();
  } catch (e) {
    failed(explain(e).message);
    return [];
  }
}

/** The id in the address's ?campaign=, or null; read in a $derived it follows the address. */
export function campaignInAddress() {
  const v = new URLSearchParams(route.search).get('campaign');
  return v && /^[1-9][0-9]{0,17}$/.test(v) ? Number(v) : null;
}

/** Open campaigns first, then the latest opened. */
export function openFirst(campaigns) {
  return [...(campaigns ?? [])].sort(
    (a, b) => Number(b.open) - Number(a.open) || String(b.opens_on).localeCompare(String(a.opens_on)),
  );
}

/** Newest first: by year, then opening date, then id. */
export function newestFirst(campaigns) {
  return [...(campaigns ?? [])].sort(
    (a, b) => (b.year ?? 0) - (a.year ?? 0) || String(b.opens_on ?? '').localeCompare(String(a.opens_on ?? '')) || b.id - a.id,
  );
}

/** Whether a campaign uses an instrument of the given code (QS: the quality scale). */
export const usesInstrument = (campaign, code) => (campaign.instruments ?? []).some((i) => i.code === code);
