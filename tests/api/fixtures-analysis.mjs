// A small data set for the analytic reports and yearly targets (docs/analysis.md), made
// through the API: a municipality MA with kindergartens KA1 and KA2 and a municipality MB
// with KB1, their coordinators, a teacher and an expert of KA1, a campaign of this year
// (quality scale and parent questionnaire) and one of the year before (quality scale).
// Sheets have known levels: KA1 3 on every indicator but area QS.6 at 1 (overall 25/9 =
// 2.78, shown 2,8), KA2 4 everywhere, KB1 2 everywhere, KA1's expert 4 in area QS.2 and 2
// elsewhere (20/9), and KA1 a year earlier 2 everywhere.
import assert from 'node:assert/strict';
import { login, request, show } from './lib.mjs';
import { loadSpec } from './openapi.mjs';
import { query, readyUser } from './fixtures-org.mjs';
import { answerOtherRequired, isoDay } from './fixtures-forms.mjs';
import { apiClient, expect as expectStatus, Conformance } from './client.mjs';

export const API = '/api/v1';
export const YEAR = Number(isoDay(0).slice(0, 4));

export function makeWorld(tag) {
  const RUN = `${tag}${Date.now().toString(36)}${process.pid % 100}`;
  const PASSWORD = `An-${RUN}-Pw-9x!`;
  const W = { RUN, C: new Conformance(loadSpec()), T: {}, U: {}, P: {}, INS: {}, DEF: {}, CAMP: {} };

  W.api = apiClient({ tokens: W.T, conformance: W.C }).api;
  W.expect = expectStatus;
  const { api, expect } = W;

  async function unit(name, parent) {
    W.U[name] = expect(await api('admin', 'POST', '/units', { json: { parent_id: parent, name: `${RUN} ${name}` } }), 201, `unit ${name}`);
  }
  async function user(name, role, unitName) {
    const u = await readyUser(api, { login: `${RUN}${name}`.toLowerCase(), full_name: `${name} ${RUN}`, role, org_unit_id: W.U[unitName].id, password: PASSWORD });
    W.P[name] = u.id;
    W.T[name] = u.token;
  }
  async function campaign(name, year, codes) {
    W.CAMP[name] = expect(
      await api('region', 'POST', '/campaigns', {
        json: { title: `Справки ${RUN} ${name}`, year, opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: codes.map((k) => W.INS[k].id) },
      }),
      201,
      `campaign ${name}`,
    );
  }
  function answersFor(levelOf) {
    const a = {};
    for (const s of W.DEF.QS.sections)
      for (const ind of s.indicators) {
        const level = levelOf(s.code);
        for (const item of ind.items) if (item.type === 'check') a[item.code] = item.level <= level ? 'met' : 'not_met';
      }
    return answerOtherRequired(W.DEF.QS, a);
  }
  async function sheet(who, camp, target, levelOf, reviewer) {
    const doc = expect(await api(who, 'POST', '/submissions', { json: { campaign_id: W.CAMP[camp].id, instrument_id: W.INS.QS.id, target_unit_id: W.U[target].id } }), 201, `${who} starts a sheet`);
    const saved = expect(await api(who, 'PATCH', '/submissions/{id}', { id: doc.id, json: { base_version: doc.version, answers: answersFor(levelOf) } }), 200, 'save');
    const sub = expect(await api(who, 'POST', '/submissions/{id}/submit', { id: doc.id, json: { base_version: saved.version } }), 200, 'submit');
    if (reviewer) expect(await api(reviewer, 'POST', '/submissions/{id}/approve', { id: doc.id, json: {} }), 200, 'approve');
    return sub;
  }

  W.L = {
    KA1: (s) => (s === 'QS.6' ? 1 : 3),
    KA2: () => 4,
    KB1: () => 2,
    EXP: (s) => (s === 'QS.2' ? 4 : 2),
    PREV: () => 2,
  };

  W.setup = async () => {
    for (const l of ['admin', 'region', 'teacher']) W.T[l] = (await login(l)).token;
    const list = expect(await api('region', 'GET', '/instruments'), 200, 'instruments');
    for (const m of list.items) W.INS[m.code] = m;
    W.DEF.QS = expect(await api('region', 'GET', '/instruments/{id}', { id: W.INS.QS.id }), 200, 'QS').definition;
    W.REGION = Number((await query("SELECT id FROM org_units WHERE level = 'region' ORDER BY id LIMIT 1"))[0][0]);
    await unit('MA', W.REGION);
    await unit('MB', W.REGION);
    await unit('KA1', W.U.MA.id);
    await unit('KA2', W.U.MA.id);
    await unit('KB1', W.U.MB.id);
    await user('cA1', 'doo_coordinator', 'KA1');
    await user('cA2', 'doo_coordinator', 'KA2');
    await user('cB1', 'doo_coordinator', 'KB1');
    await user('mA', 'municipal_coordinator', 'MA');
    await user('mB', 'municipal_coordinator', 'MB');
    await user('tA1', 'teacher', 'KA1');
    await user('eA', 'expert', 'MA');
    const assign = await request(`${API}/users/${W.P.eA}/assignments/${W.U.KA1.id}`, { method: 'PUT', token: W.T.admin });
    assert.equal(assign.status, 204, `assign the expert: ${show(assign)}`);
    await campaign('prev', YEAR - 1, ['QS']);
    await campaign('now', YEAR, ['QS', 'PQ']);
    await sheet('cA1', 'prev', 'KA1', W.L.PREV, 'mA');
    await sheet('cA1', 'now', 'KA1', W.L.KA1, 'mA');
    await sheet('cA2', 'now', 'KA2', W.L.KA2, 'mA');
    await sheet('cB1', 'now', 'KB1', W.L.KB1, 'mB');
    await sheet('eA', 'now', 'KA1', W.L.EXP, null); // experts' sheets count once submitted
  };

  W.teardown = async () => {
    const units = Object.values(W.U).map((u) => Number(u.id));
    if (units.length) await query(`UPDATE org_units SET active = 0 WHERE id IN (${units.join(',')})`);
    const users = Object.values(W.P).map(Number);
    if (users.length) await query(`UPDATE users SET active = 0 WHERE id IN (${users.join(',')})`);
    assert.deepEqual(W.C.distinct(), [], 'responses match backend/openapi.yaml');
  };

  /** A sheet's overall score by the figures' rule: the mean of the area means. */
  W.overallOf = (levelOf) => {
    const areas = W.DEF.QS.sections.map((s) => levelOf(s.code));
    return areas.reduce((a, b) => a + b, 0) / areas.length;
  };
  return W;
}
