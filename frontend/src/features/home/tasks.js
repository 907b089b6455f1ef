// The home page's task lists, from what the API already answers: the plan-schedule's
// tasks (GET /me/calendar), the caller's own sheets (GET /submissions?mine=1) and, for
// reviewers, the sheets waiting for a decision (GET /submissions?status=submitted).
// Plain functions, no state.

const OPEN_WORK = ['not_started', 'draft', 'returned'];

/** Tasks still to do (not submitted), soonest deadline first; late ones first of all. */
export function toFill(tasks) {
  return tasks
    .filter((x) => x.status !== 'none' && OPEN_WORK.includes(x.status) && (x.open || x.late))
    .sort((a, b) => Number(b.late) - Number(a.late) || a.closes_on.localeCompare(b.closes_on));
}

/** Deadlines from today on, soonest first, at most `n`. */
export function upcoming(tasks, today, n = 5) {
  return tasks
    .filter((x) => x.closes_on >= today)
    .sort((a, b) => a.closes_on.localeCompare(b.closes_on))
    .slice(0, n);
}

/** The group and personal stages (filled by groups or teachers) that have opened and
 * closed less than 60 days ago, newest campaign first, at most `n`: where a kindergarten
 * coordinator looks for groups or teachers that are late. */
export function lateStages(campaigns, today, n = 6) {
  const since = new Date(Date.parse(`${today}T00:00:00Z`) - 60 * 86400000).toISOString().slice(0, 10);
  const out = [];
  for (const c of [...campaigns].sort((a, b) => b.id - a.id))
    for (const s of c.stages ?? [])
      if (s.instrument && ['group', 'teacher'].includes(s.target_level) && s.opens_on <= today && s.closes_on >= since)
        out.push({ campaign: { id: c.id, title: c.title }, stage: s });
  return out.slice(0, n);
}

/** The last return's comment and indicator notes of a sheet, from its history. */
export function lastReturn(sheet) {
  const h = [...(sheet?.history ?? [])].reverse().find((e) => e.to === 'returned');
  return h ? { comment: h.comment ?? '', notes: Object.keys(h.indicator_comments ?? {}).length, at: h.at, actor: h.actor } : null;
}

/** Days from `today` to `iso` (negative when past). */
export function daysLeft(iso, today) {
  const a = Date.parse(`${today}T00:00:00Z`);
  const b = Date.parse(`${iso}T00:00:00Z`);
  return Math.round((b - a) / 86400000);
}
