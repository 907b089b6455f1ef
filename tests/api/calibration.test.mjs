// Rater calibration (docs/analysis.md): a municipality of its own with three kindergartens
// and two experts, and sheets whose indicator levels are written straight into the
// database so that every figure below can be worked by hand:
//
//   indicator      QS.1.1 QS.1.2 QS.2.1 QS.2.2
//   K1 self (approved)  3      3      4      2
//   K1 expert E1        3      2      4      1
//   K1 expert E2        3      3      2      1
//   K2 self (approved)  5      4      5      5
//   K2 expert E1        3      3      3      3
//   K3 self (submitted, not approved: not counted) 1 1 1 1, expert E1 5 5 5 5
//
// Self vs expert, 12 pairs (A = self, B = expert): equal in 4 (exact 1/3), at most one level
// apart in 8 (2/3), Σ(B − A) = −12 (mean −1). Quadratic kappa = 1 − mean(B − A)² / E[(A −
// B)²] under independence: mean(B − A)² = 20/12; A has mean 43/12 and Σ A² = 167, B mean
// 31/12 and Σ B² = 89, so E = var A + var B + (mean A − mean B)² = 1.0764 + 0.7431 + 1 =
// 2.8194 and kappa = 1 − 1.6667 / 2.8194 = 0.4089.
// Expert vs expert, K1 (A = E1, B = E2): 4 pairs, exact 2/4, within one 3/4, mean(B − A) =
// −1/4; mean(B − A)² = 5/4, E = 1.25 + 0.6875 + 0.0625 = 2, kappa = 1 − 1.25 / 2 = 0.375.
// Flags with gap 1 and min_items 4: K2 (4 pairs, mean −1.75) and E1 (8 pairs, mean −9/8);
// not K1 (8 pairs, −5/8) nor E2 (4 pairs, −3/4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { query } from './fixtures-org.mjs';
import { isoDay } from './fixtures-forms.mjs';
import { world } from './fixtures-advice.mjs';

const W = world('c');
const { RUN, U, P, api, expect, unit, user } = W;
const YEAR = Number(isoDay(0).slice(0, 4));
const CODES = ['QS.1.1', 'QS.1.2', 'QS.2.1', 'QS.2.2'];

let C;
let QS;
let CAMP;
const SHEETS = [];

/** A sheet with these indicator levels, written as the scoring would leave it. */
async function sheet(kg, role, expert, status, levels) {
  const k = Number(U[kg].id);
  const userId = expert ? Number(P[expert]) : 0;
  await query(
    `INSERT INTO submissions (campaign_id, instrument_id, target_unit_id, target_user_id, kindergarten_id, respondent_role, status, answers, created_by)
     VALUES (${Number(CAMP.id)}, ${Number(QS.id)}, ${k}, ${userId}, ${k}, '${role}', '${status}', '{}', ${userId || 1})`,
  );
  const [[id]] = await query(`SELECT id FROM submissions WHERE campaign_id = ${Number(CAMP.id)} AND target_unit_id = ${k} AND target_user_id = ${userId}`);
  SHEETS.push(Number(id));
  const rows = CODES.map((c, i) => `(${id}, 'indicator', '${c}', ${levels[i]}, ${levels[i]})`).join(', ');
  await query(`INSERT INTO submission_scores (submission_id, kind, code, level, score) VALUES ${rows}`);
}

before(async () => {
  C = W.C;
  await W.signIn('admin', 'region', 'municipal', 'expert');
  QS = expect(await api('region', 'GET', '/instruments'), 200, 'instruments').items.find((i) => i.code === 'QS');
  await unit('MC', await W.regionId());
  for (const k of ['K1', 'K2', 'K3']) await unit(k, U.MC.id);
  await user('mC', 'municipal_coordinator', 'MC');
  await user('E1', 'expert', 'MC');
  await user('E2', 'expert', 'MC');
  const tpl = expect(await api('region', 'GET', '/campaigns/template', { q: { year: YEAR } }), 200, 'template');
  const stages = tpl.stages
    .filter((s) => s.kind === 'kindergarten_self')
    .map((s) => ({ kind: s.kind, instrument_id: s.instrument.id, respondents: ['doo_coordinator'], target_level: 'kindergarten', opens_on: isoDay(-2), closes_on: isoDay(30) }));
  CAMP = expect(await api('region', 'POST', '/campaigns', { json: { title: `Калибровка ${RUN}`, year: YEAR, stages } }), 201, 'campaign');
  await sheet('K1', 'doo_coordinator', null, 'approved', [3, 3, 4, 2]);
  await sheet('K1', 'expert', 'E1', 'submitted', [3, 2, 4, 1]);
  await sheet('K1', 'expert', 'E2', 'approved', [3, 3, 2, 1]);
  await sheet('K2', 'doo_coordinator', null, 'approved', [5, 4, 5, 5]);
  await sheet('K2', 'expert', 'E1', 'submitted', [3, 3, 3, 3]);
  await sheet('K3', 'doo_coordinator', null, 'submitted', [1, 1, 1, 1]);
  await sheet('K3', 'expert', 'E1', 'submitted', [5, 5, 5, 5]);
});

after(async () => {
  // the sheets never went through the rollups: take them away again
  if (SHEETS.length) {
    await query(`DELETE FROM submission_scores WHERE submission_id IN (${SHEETS.join(',')})`);
    await query(`DELETE FROM submissions WHERE id IN (${SHEETS.join(',')})`);
  }
  await W.cleanup();
});

const near = (a, b, what, eps = 1e-4) => assert.ok(typeof a === 'number' && Math.abs(a - b) <= eps, `${what}: ${a}, expected ${b}`);
const calib = (who, unitName, q = {}) => api(who, 'GET', '/units/{id}/calibration', { id: U[unitName].id, q: { campaign_id: CAMP.id, ...q } });

test('self vs expert: exact, within-one, mean gap and quadratic kappa as worked by hand; unapproved self-assessments left out', async () => {
  const doc = expect(await calib('region', 'MC'), 200, 'calibration');
  assert.equal(doc.instrument.code, 'QS', 'the campaign’s expert instrument by default');
  const o = doc.self_vs_expert.overall;
  assert.equal(o.n, 12, 'K3’s self-assessment is only submitted');
  near(o.exact, 4 / 12, 'exact');
  near(o.within_one, 8 / 12, 'within one');
  near(o.mean_diff, -1, 'mean expert − self');
  near(o.kappa, 1 - 20 / 12 / (167 / 12 - (43 / 12) ** 2 + 89 / 12 - (31 / 12) ** 2 + 1), 'quadratic kappa');
  near(o.kappa, 0.4089, 'quadratic kappa, four places');
  assert.ok(o.ci[0] < o.kappa && o.kappa < o.ci[1] && o.se > 0, JSON.stringify(o));
  near(o.ci[1] - o.kappa, 1.96 * o.se, 'the interval is kappa ± 1.96 se', 2e-4);

  const area = Object.fromEntries(doc.self_vs_expert.areas.map((a) => [a.code, a]));
  assert.deepEqual(Object.keys(area).sort(), ['QS.1', 'QS.2']);
  assert.equal(area['QS.1'].n, 6);
  near(area['QS.1'].exact, 3 / 6, 'QS.1 exact');
  assert.equal(area['QS.1'].title, 'Образовательные ориентиры');
  const ind = Object.fromEntries(doc.self_vs_expert.indicators.map((a) => [a.code, a]));
  assert.equal(ind['QS.1.1'].n, 3);
  near(ind['QS.1.1'].exact, 2 / 3, 'QS.1.1 exact');
  near(ind['QS.2.2'].within_one, 2 / 3, 'QS.2.2 within one');
});

test('expert vs expert where two scored the same kindergarten; per-expert gaps against the other', async () => {
  const doc = expect(await calib('region', 'MC'), 200, 'calibration');
  const o = doc.expert_vs_expert.overall;
  assert.equal(o.n, 4);
  near(o.exact, 0.5, 'exact');
  near(o.within_one, 0.75, 'within one');
  near(o.mean_diff, -0.25, 'mean E2 − E1');
  near(o.kappa, 0.375, 'quadratic kappa');
  const ex = Object.fromEntries(doc.expert_vs_expert.experts.map((e) => [e.id, e]));
  near(ex[P.E1].mean_diff, 0.25, 'E1 against E2');
  near(ex[P.E2].mean_diff, -0.25, 'E2 against E1');
  assert.deepEqual(doc.expert_vs_expert.kindergartens.map((k) => k.id), [U.K1.id]);
});

test('systematic gaps are flagged by threshold and number of items', async () => {
  const doc = expect(await calib('region', 'MC', { gap: '1', min_items: '4' }), 200, 'calibration');
  assert.deepEqual(doc.flags, { gap: 1, min_items: 4 });
  const kg = Object.fromEntries(doc.self_vs_expert.kindergartens.map((k) => [k.id, k]));
  near(kg[U.K2.id].mean_diff, -1.75, 'K2');
  assert.deepEqual([kg[U.K1.id].flagged, kg[U.K2.id].flagged], [false, true]);
  const ex = Object.fromEntries(doc.self_vs_expert.experts.map((e) => [e.id, e]));
  assert.equal(ex[P.E1].n, 8);
  near(ex[P.E1].mean_diff, -9 / 8, 'E1');
  assert.deepEqual([ex[P.E1].flagged, ex[P.E2].flagged], [true, false]);
  assert.equal(ex[P.E1].name, `E1 ${RUN}`);
  // the default needs 10 items: nobody here has that many
  const dflt = expect(await calib('region', 'MC'), 200, 'default flags');
  assert.ok(dflt.self_vs_expert.kindergartens.every((k) => !k.flagged));
});

test('scope: the municipal coordinator sees its own municipality; another municipality’s coordinator gets 404, an expert 403', async () => {
  const own = expect(await calib('mC', 'MC'), 200, 'own municipality');
  assert.equal(own.self_vs_expert.overall.n, 12);
  const oneKg = expect(await calib('mC', 'K2'), 200, 'one kindergarten');
  assert.equal(oneKg.self_vs_expert.overall.n, 4);
  expect(await calib('municipal', 'MC'), 404, 'another municipality’s coordinator');
  expect(await calib('expert', 'MC'), 403, 'an expert');
  expect(await api('region', 'GET', '/units/{id}/calibration', { id: U.MC.id }), 400, 'no campaign');
  expect(await calib('region', 'MC', { gap: 'lots' }), 400, 'bad gap');
  expect(await calib('region', 'MC', { instrument_id: '999999999' }), 404, 'an instrument the campaign lacks');
});

test('every answer matches openapi.yaml', () => {
  assert.ok(C.checked > 10);
  assert.deepEqual(C.mismatches, []);
});
