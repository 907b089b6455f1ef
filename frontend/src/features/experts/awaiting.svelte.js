// How many preliminary expert reports wait for the kindergarten coordinator's comments:
// the menu shows it next to «Отчёты экспертов», so that the coordinator is told of a
// report sent to the kindergarten.
import { request } from '../../shared/session.svelte.js';

export const awaiting = $state({ n: 0 });

let last = 0;

/** Re-reads the count (at most every 30 s unless forced). */
export async function refreshAwaiting({ force = false } = {}) {
  const now = Date.now();
  if (!force && now - last < 30000) return;
  last = now;
  try {
    const data = await request('GET', '/expert-reports?status=preliminary');
    awaiting.n = (data?.items ?? []).filter((r) => r.awaiting_comments).length;
  } catch {
    /* the badge is a hint: keep the last count */
  }
}
