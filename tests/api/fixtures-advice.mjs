// A small world of its own for the analysis suites (calibration, founders): throwaway units
// and users made by the administrator, API calls checked against openapi.yaml, and
// clean-up of what they made. Plain node; no packages.
import assert from 'node:assert/strict';
import { login } from './lib.mjs';
import { loadSpec } from './openapi.mjs';
import { query } from './fixtures-org.mjs';
import { apiClient, expect, Conformance } from './client.mjs';

export function world(prefix) {
  const RUN = `${prefix}${Date.now().toString(36)}${process.pid % 100}`;
  const PASSWORD = `W-${RUN}-Pw-9x!`;
  const w = { RUN, C: new Conformance(loadSpec()), T: {}, U: {}, P: {} };

  /** A call as `who` (a key of T), `{id}` filled from id, checked against openapi.yaml. */
  w.api = apiClient({ tokens: w.T, conformance: w.C }).api;
  w.expect = expect;
  w.signIn = async (...logins) => {
    for (const l of logins) w.T[l] = (await login(l)).token;
  };
  w.unit = async (name, parent) => {
    w.U[name] = w.expect(await w.api('admin', 'POST', '/units', { json: { parent_id: parent, name: `${RUN} ${name}` } }), 201, `unit ${name}`);
    return w.U[name];
  };
  w.user = async (name, role, unitName) => {
    const l = `${RUN}${name}`.toLowerCase();
    const u = w.expect(await w.api('admin', 'POST', '/users', { json: { login: l, full_name: `${name} ${RUN}`, role, org_unit_id: w.U[unitName].id, password: PASSWORD } }), 201, `user ${name}`);
    w.P[name] = u.id;
    await query(`UPDATE users SET must_change_password = 0 WHERE id = ${Number(u.id)}`);
    w.T[name] = (await login(l, PASSWORD)).token;
  };
  w.regionId = async () => Number((await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0]);
  /** Deactivates the units and users made here. */
  w.cleanup = async () => {
    const units = Object.values(w.U).map((u) => Number(u.id));
    if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
    const users = Object.values(w.P).map(Number);
    if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
  };
  return w;
}
