// Yearly targets (docs/analysis.md, "Yearly targets"): the level above sets a unit's target,
// the unit's own coordinator its own, never below the one set above; the target in force is
// the higher; reached means the score as shown (one decimal, halves up) is at least the
// target — KA1's overall 25/9 = 2.78 is shown 2,8, so it reaches 2.8 and not 2.9. The
// children view, the targets view and the report carry the same targets and flags.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { query } from './fixtures-org.mjs';
import { makeWorld } from './fixtures-analysis.mjs';

const W = makeWorld('tgt');
const { api, expect, U, CAMP } = W;

const put = (who, unit, json) => api(who, 'PUT', '/units/{id}/targets', { id: U[unit]?.id ?? unit, q: { campaign: CAMP.now.id }, json });
const get = (who, unit, q = {}) => api(who, 'GET', '/units/{id}/targets', { id: U[unit]?.id ?? unit, q: { campaign: CAMP.now.id, ...q } });
const row = (view, kind, code) => view.items.find((i) => i.kind === kind && (kind === 'overall' || i.code === code));

before(async () => {
  await W.setup();
});
after(async () => {
  await W.teardown();
});

test('the level above sets a target, the unit its own one never below it; the higher is in force', async () => {
  let v = expect(await get('cA1', 'KA1'), 200, 'targets of KA1');
  assert.equal(v.year, CAMP.now.year);
  assert.deepEqual(v.can_set, { above: false, own: true });
  assert.equal(row(v, 'overall').target, null);
  assert.equal(row(v, 'overall').reached, null);
  assert.equal(v.items.filter((i) => i.kind === 'section').length, W.DEF.QS.sections.length, 'every area listed');

  v = expect(await put('mA', 'KA1', { kind: 'overall', value: 2.9 }), 200, 'mA sets 2.9 for KA1');
  assert.deepEqual(row(v, 'overall').target, { value: 2.9, above: 2.9, own: null });
  assert.equal(row(v, 'overall').reached, false, '2.78 is shown 2.8 < 2.9');
  near(row(v, 'overall').actual.mean, 25 / 9);

  const low = await put('cA1', 'KA1', { kind: 'overall', value: 2.5 });
  assert.equal(low.status, 422);
  assert.equal(low.json.type.endsWith('target-below-assigned'), true, JSON.stringify(low.json));
  v = expect(await put('cA1', 'KA1', { kind: 'overall', value: 3.5 }), 200, 'own 3.5');
  assert.deepEqual(row(v, 'overall').target, { value: 3.5, above: 2.9, own: 3.5 });
  assert.equal(row(v, 'overall').reached, false);

  // the level above lowers its target to 2.8: still the own 3.5 is in force
  v = expect(await put('mA', 'KA1', { kind: 'overall', value: 2.8 }), 200, 'above 2.8');
  assert.equal(row(v, 'overall').target.value, 3.5);
  // the unit drops its own: 2.8 in force, reached by 2.78 shown 2,8
  v = expect(await put('cA1', 'KA1', { kind: 'overall', value: null }), 200, 'clear own');
  assert.deepEqual(row(v, 'overall').target, { value: 2.8, above: 2.8, own: null });
  assert.equal(row(v, 'overall').reached, true, '2.78 is shown 2.8 ≥ 2.8');

  // an area: QS.6 at 1 does not reach 2.0; an indicator target lists the indicator
  v = expect(await put('mA', 'KA1', { kind: 'section', code: 'QS.6', value: 2 }), 200, 'area target');
  assert.equal(row(v, 'section', 'QS.6').reached, false);
  const ind = W.DEF.QS.sections[0].indicators[0].code;
  v = expect(await put('cA1', 'KA1', { kind: 'indicator', code: ind, value: 3 }), 200, 'indicator target');
  assert.equal(row(v, 'indicator', ind).reached, true, 'level 3 reaches 3.0');
  assert.equal(row(v, 'indicator', ind).target.own, 3);

  const audit = await query(`SELECT action, JSON_VALUE(changes, '$.origin') FROM audit_log WHERE entity = 'org_unit' AND entity_id = ${Number(U.KA1.id)} AND action LIKE 'target.%' ORDER BY id`);
  assert.deepEqual(audit.map((a) => a.join(' ')), ['target.set above', 'target.set own', 'target.set above', 'target.clear own', 'target.set above', 'target.set own']);
});

test("a municipality's own target and the region's; the children view shows the target and the reached flag", async () => {
  // MA's overall: (25/9 + 4) / 2 = 3.39, shown 3,4
  let v = expect(await put('mA', 'MA', { kind: 'overall', value: 3.4 }), 200, 'MA own 3.4');
  assert.deepEqual(row(v, 'overall').target, { value: 3.4, above: null, own: 3.4 });
  assert.equal(row(v, 'overall').reached, true);
  v = expect(await put('region', 'MA', { kind: 'overall', value: 3.5 }), 200, 'the region sets 3.5');
  assert.deepEqual(row(v, 'overall').target, { value: 3.5, above: 3.5, own: 3.4 });
  assert.equal(row(v, 'overall').reached, false);

  const ch = expect(await api('mA', 'GET', '/dashboards/units/{id}/children', { id: U.MA.id, q: { campaign: CAMP.now.id } }), 200, 'children of MA');
  const by = Object.fromEntries(ch.items.map((i) => [i.id, i]));
  assert.deepEqual(by[U.KA1.id].target, { value: 2.8, above: 2.8, own: null });
  assert.equal(by[U.KA1.id].reached, true);
  assert.equal(by[U.KA2.id].target, null);
  assert.equal(by[U.KA2.id].reached, null);
  assert.deepEqual(ch.total.target, { value: 3.5, above: 3.5, own: 3.4 });
  assert.equal(ch.total.reached, false);
  const rc = expect(await api('region', 'GET', '/dashboards/units/{id}/children', { id: W.REGION, q: { campaign: CAMP.now.id, q: W.RUN } }), 200, 'children of the region');
  assert.equal(rc.items.find((i) => i.id === U.MA.id).reached, false);

  // the report of KA1 carries the same targets as the targets view
  const rep = expect(await api('cA1', 'POST', '/units/{id}/reports', { id: U.KA1.id, q: { campaign: CAMP.now.id } }), 201, 'report');
  const tv = expect(await get('cA1', 'KA1'), 200, 'targets view');
  assert.deepEqual(rep.data.targets.items, tv.items);
  // another year has none
  const prev = expect(await api('cA1', 'GET', '/units/{id}/targets', { id: U.KA1.id, q: { campaign: CAMP.prev.id } }), 200, 'last year');
  assert.equal(row(prev, 'overall').target, null);
});

test('who may set which target; bad values are 422', async () => {
  assert.equal((await put('tA1', 'KA1', { kind: 'overall', value: 3 })).status, 403, 'a teacher');
  assert.equal((await get('tA1', 'KA1')).status, 403);
  assert.equal((await put('mB', 'KA1', { kind: 'overall', value: 3 })).status, 404, 'another municipality');
  assert.equal((await get('mB', 'KA1')).status, 404);
  assert.equal((await put('cA1', 'MA', { kind: 'overall', value: 3 })).status, 404, 'above the kindergarten');
  assert.equal((await put('cA1', 'KA1', { kind: 'overall', value: 3, origin: 'above' })).status, 403, 'not its own level above');
  assert.equal((await put('admin', 'KA1', { kind: 'overall', value: 3 })).status, 422, 'administrators name the origin');
  for (const [json, field] of [
    [{ kind: 'overall', value: 2.35 }, 'value'],
    [{ kind: 'overall', value: 6 }, 'value'],
    [{ kind: 'overall', value: 0.5 }, 'value'],
    [{ kind: 'overall', value: '3' }, 'value'],
    [{ kind: 'overall' }, 'value'],
    [{ kind: 'area', value: 3 }, 'kind'],
    [{ kind: 'section', code: 'QS.99', value: 3 }, 'code'],
    [{ kind: 'overall', value: 3, origin: 'x' }, 'origin'],
  ]) {
    const r = await put('cA1', 'KA1', json);
    assert.equal(r.status, 422, JSON.stringify(json));
    assert.ok(r.json.errors.some((e) => e.field === field), `${JSON.stringify(json)}: ${JSON.stringify(r.json.errors)}`);
  }
  const g = expect(await api('admin', 'POST', '/units', { json: { parent_id: U.KA1.id, name: `${W.RUN} G` } }), 201, 'a group');
  U.G = g;
  assert.equal((await put('cA1', 'G', { kind: 'overall', value: 3 })).status, 422, 'groups have no targets');
});

function near(a, b) {
  assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);
}
