// Turn an error from the API client into what a form shows: one message for the alert
// near the form and the messages of the fields the server named (problem+json `errors`).
import { ApiError } from './api.js';
import { t } from './i18n.svelte.js';
import { errorKey, request } from './session.svelte.js';

/**
 * `fields`: the names of the inputs the form shows; errors for other fields are added to
 * the general message so that nothing the server said is lost.
 */
export function explain(e, fields = []) {
  const out = { message: '', fields: {} };
  const problem = e instanceof ApiError ? e.problem : null;
  const rest = [];
  for (const item of Array.isArray(problem?.errors) ? problem.errors : []) {
    if (!item || typeof item.message !== 'string') continue;
    if (fields.includes(item.field) && !out.fields[item.field]) out.fields[item.field] = item.message;
    else rest.push(item.field ? `${item.field}: ${item.message}` : item.message);
  }
  const detail = typeof problem?.detail === 'string' && problem.detail ? problem.detail : t(errorKey(e));
  out.message = [detail, ...rest].join(' ');
  return out;
}

export const isNotFound = (e) => e instanceof ApiError && e.status === 404;

/**
 * GET the record a page is about (a unit, a user). A 404 (gone, or outside the caller's
 * scope) calls `missing()`, any other failure `failed(message)`; resolves to the record,
 * or null when it failed.
 */
export async function getRecord(path, missing, failed) {
  try {
    return await request('GET', path);
  } catch (e) {
    if (isNotFound(e)) missing();
    else failed(explain(e).message);
    return null;
  }
}
