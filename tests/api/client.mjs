// The API client of the suites: calls under /api/v1 as a named user, every answer checked
// against backend/openapi.yaml (recorded by Conformance, or asserted by assertConforms),
// and the expectations on a status or a problem. The one place for what each suite used to
// define again (api, pub, expect, expectProblem, conforms). Plain node; no packages.

import assert from 'node:assert/strict';
import { request, requestRetry429, assertProblem, show } from './lib.mjs';
import { deref, validate } from './openapi.mjs';

export const API = '/api/v1';

// ---------------------------------------------------------------------------------------
// Expectations

/** Asserts the status; returns the JSON body. */
export function expect(r, status, what) {
  assert.equal(r.status, status, `${what}: expected ${status}, got ${show(r)}`);
  return r.json;
}

/** Asserts a problem+json of this status and, when given, of type /problems/<type>. */
export function expectProblem(r, status, type, what) {
  assert.equal(r.status, status, `${what}: expected ${status} ${type || ''}, got ${show(r)}`);
  const p = assertProblem(r, status);
  if (type) assert.equal(p.type, `/problems/${type}`, `${what}: ${show(r)}`);
  return p;
}

// ---------------------------------------------------------------------------------------
// backend/openapi.yaml

/** What is wrong with answer r of `method template` by the spec (empty: it conforms). */
export function specProblems(spec, method, template, r) {
  const M = method.toUpperCase();
  const op = spec.paths?.[template]?.[method.toLowerCase()];
  if (!op) return [`${M} ${template} is not in openapi.yaml`];
  let doc = op.responses?.[String(r.status)] ?? op.responses?.[`${String(r.status)[0]}XX`] ?? op.responses?.default;
  if (!doc) return [`${M} ${template}: status ${r.status} is not documented (${show(r)})`];
  if (doc.$ref) doc = deref(spec, doc.$ref);
  const ct = (r.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
  if (!doc.content) return r.text === '' ? [] : [`${M} ${template} ${r.status}: documented without a body`];
  const media = doc.content[ct];
  if (!media) return [`${M} ${template} ${r.status}: media type "${ct}" not documented (${Object.keys(doc.content)})`];
  if (!media.schema) return [];
  if (r.json === undefined) return [`${M} ${template} ${r.status}: body is not JSON: ${show(r)}`];
  return validate(spec, media.schema, r.json).map((e) => `${M} ${template} ${r.status}: ${e}`);
}

/** Asserts that answer r of `method template` is as the spec documents it. */
export function assertConforms(spec, method, template, r) {
  const problems = specProblems(spec, method, template, r);
  assert.deepEqual(problems, [], `${problems.join('\n')}\n${show(r)}`);
}

/**
 * Checks answers against the spec but records mismatches instead of throwing, so that one
 * schema mismatch does not hide the behaviour checks that follow; the suite asserts at its
 * end that nothing was recorded.
 */
export class Conformance {
  constructor(spec) {
    this.spec = spec;
    this.mismatches = [];
    this.checked = 0;
  }

  problems(method, template, r) {
    return specProblems(this.spec, method, template, r);
  }

  check(method, template, r) {
    this.checked++;
    for (const p of this.problems(method, template, r)) this.mismatches.push(p);
    return r;
  }

  /** Records whether `status` is documented for `method template` (an answer not read as JSON). */
  documented(method, template, status) {
    this.checked++;
    const op = this.spec.paths?.[template]?.[method.toLowerCase()];
    if (!op) this.mismatches.push(`${method.toUpperCase()} ${template} is not in openapi.yaml`);
    else if (!op.responses?.[String(status)]) this.mismatches.push(`${method.toUpperCase()} ${template}: status ${status} is not documented`);
  }

  /** An answer that is not JSON (a file): a problem is checked in full, a success for its status. */
  checkBytes(method, template, r) {
    if (r.status >= 400) this.check(method, template, r);
    else this.documented(method, template, r.status);
    return r;
  }

  /** The distinct mismatches (the same field of the same answer is listed once). */
  distinct() {
    return [...new Set(this.mismatches.map((m) => m.replace(/\[\d+\]/g, '[*]')))];
  }
}

// ---------------------------------------------------------------------------------------
// Calls

/** Fills the {name} parts of a path template from params (the others stay). */
export function fillPath(template, params = {}) {
  let p = template;
  for (const [k, v] of Object.entries(params)) if (v !== undefined) p = p.replace(`{${k}}`, String(v));
  return p;
}

/**
 * The calls of a suite. `tokens` maps a user's name to a token or to {token} (it may be
 * filled later, in before()); `conformance` records each answer against the spec.
 *
 * api(who, method, path, {id, stage, params, q, json, body, headers, template}): `path`
 * under /api/v1 is a template whose {id}, {stage_id} and {name} parts are filled from id,
 * stage and params; q is the query. The answer is checked against `path` itself when the
 * client checks every call (checkAll, the default), else against `template` when given
 * (suites that call concrete paths). who: null for a call without a token. The sign-in
 * paths (/auth/…) wait out nginx's per-address limit, which every suite's logins share.
 *
 * pub(method, template, token, {cookie, json}): a public survey path ({token} filled), also
 * waiting out the rate limit.
 */
export function apiClient({ tokens = {}, conformance, checkAll = true, timeout } = {}) {
  const tokenOf = (who) => {
    const t = who ? tokens[who] : undefined;
    return typeof t === 'string' ? t : t?.token;
  };
  const record = (method, template, r) => {
    if (template && conformance) conformance.check(method, template.split('?')[0], r);
    return r;
  };
  async function api(who, method, path, { id, stage, params = {}, q, json, body, headers, template } = {}) {
    let p = fillPath(path, { id, stage_id: stage, ...params });
    if (q) p += `?${new URLSearchParams(q)}`;
    const send = path.startsWith('/auth/') ? requestRetry429 : request;
    const r = await send(API + p, { method, token: tokenOf(who), json, body, headers, timeout });
    return record(method, template ?? (checkAll ? path : undefined), r);
  }
  async function pub(method, template, token, { cookie, json } = {}) {
    const r = await requestRetry429(API + fillPath(template, { token }), { method, cookie, json });
    return record(method, template, r);
  }
  return { api, pub, tokenOf };
}
