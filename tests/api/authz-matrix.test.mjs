// The access matrix of the org/access capability (docs/api-org.md): every endpoint ×
// every role × a target inside / outside the caller's scope, one test per cell, plus the
// password-change gate and a guard that no route of routes.c is left out of the table.
//
// Targets are taken at run time from the demo data: "inside" for a municipal coordinator is
// a kindergarten of its municipality, "outside" one of another municipality; for a
// kindergarten coordinator or teacher "outside" is another kindergarten of the same
// municipality; for the expert "inside" is an assigned kindergarten, "outside" one that is
// not assigned. An administrator's scope is the whole tree (and a regional coordinator's too
// while the demo has one region), so their "outside" target is an id that does not exist:
// the contract answers both with 404. Writes never touch the demo objects: PATCH sends the
// value already stored, a move names the current parent, imports are dry runs, and
// password resets and assignments act on throwaway users. Everything created here is
// deactivated at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, ROLES, show, login, request, rebuildRollups } from './lib.mjs';
import {
  API,
  RUN,
  DEMO_LOGIN,
  NO_SUCH_ID,
  snapshot,
  under,
  query,
  get,
  post,
  patch,
  put,
  del,
  postCsv,
  ok,
  deactivate,
  csv,
  parseCsv,
} from './fixtures-org.mjs';
import { itemsOf } from './fixtures-forms.mjs';

// ---------------------------------------------------------------------------------------
// THE TABLE: expected status per endpoint, role and target (inside / outside the scope).
// NA: the cell does not exist (a user changes only their own password).

const NA = null;
// prettier-ignore
const MATRIX = {
  //                                          administrator region      municipal   doo         teacher     expert
  //                                          in   out     in   out     in   out    in   out    in   out    in   out
  'GET /units':                              [200, 200,    200, 200,    200, 200,   200, 200,   200, 200,   200, 200],
  'GET /units/{id}':                         [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   200, 404],
  'GET /units/{id}/children':                [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   200, 404],
  'POST /units':                             [201, 404,    201, 404,    201, 404,   201, 404,   403, 403,   403, 403],
  'PATCH /units/{id}':                       [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'POST /units/{id}/move':                   [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'GET /users':                              [200, 200,    200, 200,    200, 200,   200, 200,   403, 403,   403, 403],
  'POST /users':                             [201, 404,    201, 404,    201, 404,   201, 404,   403, 403,   403, 403],
  'GET /users/{id}':                         [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'PATCH /users/{id}':                       [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'POST /users/{id}/password':               [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'POST /me/password':                       [204, NA,     204, NA,     204, NA,    204, NA,    204, NA,    204, NA ],
  'GET /users/{id}/assignments':             [200, 404,    200, 404,    200, 404,   403, 403,   403, 403,   403, 403],
  'PUT /users/{id}/assignments/{unit_id}':   [204, 404,    204, 404,    204, 404,   403, 403,   403, 403,   403, 403],
  'DELETE /users/{id}/assignments/{unit_id}':[204, 404,    204, 404,    204, 404,   403, 403,   403, 403,   403, 403],
  'POST /import/units':                      [200, 200,    200, 200,    200, 200,   200, 200,   403, 403,   403, 403],
  'POST /import/users':                      [200, 200,    200, 200,    200, 200,   200, 200,   403, 403,   403, 403],
  'GET /export/units.csv':                   [200, 200,    200, 200,    200, 200,   200, 200,   403, 403,   403, 403],
  'GET /export/users.csv':                   [200, 200,    200, 200,    200, 200,   200, 200,   403, 403,   403, 403],
  'GET /audit':                              [200, 200,    200, 200,    200, 200,   200, 200,   403, 403,   403, 403],
  // a route of the forms capability under /units (docs/api-forms.md), called without a
  // campaign: 422 says the access check let it through (the profile itself is tested there)
  'GET /units/{id}/profile':                 [422, 404,    422, 404,    422, 404,   422, 404,   422, 404,   422, 404],
  // analytic reports and yearly targets (docs/analysis.md), called without a campaign: 422
  // says the access check let them through (the features are tested in reports/targets)
  'POST /units/{id}/reports':                [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   403, 403],
  'GET /units/{id}/targets':                 [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'PUT /units/{id}/targets':                 [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   403, 403],
  // improvement plans (docs/api-plans.md): everyone who sees the unit reads, managers write
  'GET /units/{id}/plan':                    [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   200, 404],
  'POST /units/{id}/plan':                   [201, 404,    201, 404,    201, 404,   201, 404,   403, 403,   403, 403],
  'PATCH /units/{id}/plan/{task_id}':        [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'GET /units/{id}/plan.xlsx':               [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   200, 404],
  'GET /units/{id}/plan.csv':                [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   200, 404],
  // the analysis stage (docs/analysis.md): region and municipal coordinators send targeted
  // recommendations to units below them; calibration, called without a campaign (400 says
  // the access check let it through), is read by the administrator and those coordinators
  'POST /units/{id}/recommendations':        [403, 403,    201, 404,    201, 404,   403, 403,   403, 403,   403, 403],
  'GET /units/{id}/calibration':             [400, 404,    400, 404,    400, 404,   403, 403,   403, 403,   403, 403],
  // dashboards (docs/api-dashboards.md), called without a campaign: 422 says the access
  // check let it through; teachers read no dashboards
  'GET /dashboards/units/{id}/children':      [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/breakdown':     [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/completion':    [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/parents':       [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  // their exports (dashboard_export.c), the same access and the same missing campaign
  'GET /dashboards/units/{id}/children.xlsx':   [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/children.csv':    [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/breakdown.xlsx':  [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/breakdown.csv':   [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/completion.xlsx': [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/completion.csv':  [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/parents.xlsx':    [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'GET /dashboards/units/{id}/parents.csv':     [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'POST /admin/rollups/rebuild':             [200, 200,    403, 403,    403, 403,   403, 403,   403, 403,   403, 403],
  'GET /admin/rollups/rebuild':              [200, 200,    403, 403,    403, 403,   403, 403,   403, 403,   403, 403],
  // the parent questionnaire's links (docs/api-survey.md): coordinators of the kindergarten
  // and above; the links of the setup's campaign exist already, so a create answers 200
  'GET /units/{id}/survey-links':            [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'POST /units/{id}/survey-links':           [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'PATCH /units/{id}/survey-links/{link_id}':[200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  'GET /units/{id}/survey-links/{link_id}/qr.svg':[200, 404, 200, 404,  200, 404,   200, 404,   403, 403,   403, 403],
  // campaign stages (docs/api-campaigns.md): coordinators list the kindergartens late for a stage
  'GET /units/{id}/late':                     [200, 404,    200, 404,    200, 404,   200, 404,   403, 403,   403, 403],
  // experts' reports of the unit's kindergartens (docs/api-experts.md): everyone who sees it
  'GET /units/{id}/expert-reports':          [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   200, 404],
  // children's privacy (docs/api-evidence.md): consents and storage are read by the
  // kindergarten's people and coordinators above, not experts; only the kindergarten's own
  // coordinator records a group's consent and chooses what happens without it
  'GET /units/{id}/consents':                [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   403, 403],
  'PUT /units/{id}/consent':                 [403, 403,    403, 403,    403, 403,   200, 404,   403, 403,   403, 403],
  'PATCH /units/{id}/privacy':               [403, 403,    403, 403,    403, 403,   200, 404,   403, 403,   403, 403],
  'GET /units/{id}/storage':                 [200, 404,    200, 404,    200, 404,   200, 404,   200, 404,   403, 403],
  // the analysis stage (docs/analysis.md), called without a campaign: 422 says the access
  // check let it through. Municipal and regional coordinators sign, the kindergarten's
  // coordinator resubmits, those who run campaigns assign statuses; teachers read nothing
  'GET /units/{id}/signoff':                 [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'POST /units/{id}/signoff/confirm':        [403, 403,    422, 404,    422, 404,   403, 403,   403, 403,   403, 403],
  'POST /units/{id}/signoff/return':         [403, 403,    422, 404,    422, 404,   403, 403,   403, 403,   403, 403],
  'POST /units/{id}/signoff/resubmit':       [403, 403,    403, 403,    403, 403,   422, 404,   403, 403,   403, 403],
  'GET /units/{id}/status':                  [422, 404,    422, 404,    422, 404,   422, 404,   403, 403,   422, 404],
  'PUT /units/{id}/status':                  [422, 404,    422, 404,    403, 403,   403, 403,   403, 403,   403, 403],
};
// Where a 200 answers both sides, the scope shows in the body: "outside" searches for the
// outside target and must not find it, a dry-run import of it must report an error, an
// export must not contain it, the audit log must hold none of its rows.

// ---------------------------------------------------------------------------------------
// Fixtures

const S = {}; // role -> { token, user } of the demo login
const F = {}; // named fixtures; a missing one makes the cells that need it fail with its reason
const fixtureErrors = {};
const created = { units: [], users: [] };
let snap;
let removeExpertAssignment = null; // SQL/API undo of the assignment made in setup

/** A fixture by name, or an error that says why it is missing. */
function need(name) {
  if (F[name] !== undefined) return F[name];
  throw new Error(`fixture "${name}" unavailable: ${fixtureErrors[name] || 'not set up'}`);
}

/** Tries a setup step; on failure records the reason under each of `names`. */
async function attempt(names, fn) {
  try {
    await fn();
  } catch (e) {
    for (const n of [].concat(names)) fixtureErrors[n] = e.message.split('\n')[0];
  }
}

const NONE_UNIT = { id: NO_SUCH_ID, name: `authz ${RUN} нет такой организации`, code: `00${RUN}00`, level: 'kindergarten' };
const NONE_USER = { id: NO_SUCH_ID, login: `authz${RUN}nobody` };

const loginOf = (key) => `authz${RUN}${key.replace(/[^a-z]/gi, '').slice(0, 12).toLowerCase()}`;
const fullNameOf = (key) => `Проверкина ${key} ${RUN}`;
// the scope unit each role takes (docs/api-org.md): for the users of POST /me/password
const PW_UNIT = {
  administrator: () => F.region,
  region_coordinator: () => F.region,
  municipal_coordinator: () => F.M,
  doo_coordinator: () => F.K,
  teacher: () => F.K,
  expert: () => F.M,
};

before(async () => {
  for (const role of ROLES) {
    const s = await login(DEMO_LOGIN[role]);
    S[role] = { token: s.token, user: s.user };
  }
  snap = await snapshot();
  const unit = (id) => snap.units.get(id);
  const kgs = [...snap.units.values()].filter((u) => u.level === 'kindergarten' && u.active);

  F.region = unit(S.region_coordinator.user.org_unit.id);
  F.M = unit(S.municipal_coordinator.user.org_unit.id);
  F.K = unit(S.doo_coordinator.user.org_unit.id);
  assert.equal(F.M.level, 'municipality', 'demo: municipal belongs to a municipality');
  assert.equal(F.K.level, 'kindergarten', 'demo: doo belongs to a kindergarten');
  assert.ok(under(F.K.path, F.M.path), "demo: doo's kindergarten lies in municipal's municipality");
  assert.equal(S.teacher.user.org_unit.id, F.K.id, 'demo: teacher and doo share a kindergarten');
  F.S = kgs.find((k) => k.parent_id === F.M.id && k.id !== F.K.id && k.code);
  F.Far = kgs.find((k) => !under(k.path, F.M.path) && under(k.path, F.region.path) && k.code);
  assert.ok(F.K.code && F.M.code && F.region.code, 'demo: the units of the demo users have codes');
  assert.ok(F.S, 'demo: a second kindergarten in the municipality of municipal');
  assert.ok(F.Far, 'demo: a kindergarten in another municipality');
  F.M2 = unit(F.Far.parent_id);
  // a kindergarten outside the region, when the demo has more than one region
  F.otherRegionKg = kgs.find((k) => !under(k.path, F.region.path)) || null;

  // the expert's scope: assigned kindergartens; assign one when the demo has none
  const expertId = S.expert.user.id;
  const assigned = () =>
    snap.assignments.filter((a) => a.expert_id === expertId && unit(a.unit_id)?.active).map((a) => unit(a.unit_id));
  if (assigned().length === 0) {
    const r = await put(`/users/${expertId}/assignments/${F.K.id}`, S.administrator.token);
    if (r.status !== 204) {
      fixtureErrors.assignViaApi = `PUT /users/${expertId}/assignments/${F.K.id} as administrator: ${show(r)}`;
      await query(`INSERT IGNORE INTO expert_assignments (expert_id, kindergarten_id) VALUES (${expertId}, ${F.K.id})`);
      removeExpertAssignment = () =>
        query(`DELETE FROM expert_assignments WHERE expert_id = ${expertId} AND kindergarten_id = ${F.K.id}`);
    } else {
      removeExpertAssignment = () => del(`/users/${expertId}/assignments/${F.K.id}`, S.administrator.token);
    }
    snap = await snapshot();
  }
  const mine = assigned();
  F.expertIn = mine.find((k) => k.id === F.K.id) || mine[0];
  const assignedIds = new Set(mine.map((k) => k.id));
  const notMine = kgs.filter((k) => !assignedIds.has(k.id));
  F.expertOut = notMine.find((k) => k.parent_id === F.expertIn.parent_id) || notMine[0];

  // demo users to read (never written)
  const users = [...snap.users.values()].filter((u) => u.active);
  const pathOf = (u) => unit(u.unit_id).path;
  const byLogin = (l) => snap.users.get(l);
  const prefer = (list, ...tests) => tests.map((t) => list.find(t)).find(Boolean) || list[0];
  const outOf = (scopePath, preferPath) =>
    prefer(
      users.filter((u) => !under(pathOf(u), scopePath)),
      (u) => preferPath && under(pathOf(u), preferPath) && unit(u.unit_id).level === 'kindergarten',
      (u) => preferPath && under(pathOf(u), preferPath),
    );
  F.readUserIn = {
    administrator: byLogin('teacher'),
    region_coordinator: byLogin('municipal'),
    municipal_coordinator: byLogin('teacher'),
    doo_coordinator: byLogin('teacher'),
    teacher: byLogin('doo'),
    expert: byLogin('teacher'),
  };
  F.readUserOut = {
    administrator: NONE_USER,
    region_coordinator: users.find((u) => !under(pathOf(u), F.region.path)) || NONE_USER,
    municipal_coordinator: outOf(F.M.path, F.M2.path),
    doo_coordinator: outOf(F.K.path, F.M.path),
    teacher: outOf(F.K.path, F.M.path),
    expert: outOf(F.K.path, F.M.path),
  };
  F.demoExpert = byLogin('expert');

  // a campaign with one stage, for the late-kindergartens cells
  await attempt('lateStage', async () => {
    const year = new Date().getFullYear();
    const tpl = await get(`/campaigns/template?year=${year}`, S.region_coordinator.token);
    const st = ok(tpl, 200, 'template').stages.find((x) => x.kind === 'teacher_self');
    const body = { title: `authz ${RUN} этапы`, year, stages: [{ ...st, instrument_id: st.instrument.id, instrument: undefined }] };
    const c = ok(await post('/campaigns', body, S.region_coordinator.token), 201, 'campaign with a stage');
    F.lateStage = { campaign: c.id, stage: c.stages[0].id };
  });

  // throwaway groups (targets of PATCH and move; their unit.create rows feed the audit cells)
  const admin = S.administrator.token;
  for (const [key, kg] of [['GK', F.K], ['GS', F.S], ['GF', F.Far]]) {
    await attempt(key, async () => {
      const r = await post('/units', { parent_id: kg.id, name: `authz ${RUN} группа ${key}` }, admin);
      if (r.status === 201 && r.json?.id) created.units.push(r.json.id);
      F[key] = ok(r, 201, `setup: POST /units under ${kg.id}`);
    });
  }
  // throwaway users, made with one CSV import (so that they do not depend on POST /users):
  // targets of PATCH, password resets and assignments, a user who has not changed the
  // temporary password yet, and one user per role for POST /me/password
  const rows = [
    ['UK', 'teacher', F.K],
    ['US', 'teacher', F.S],
    ['UF', 'teacher', F.Far],
    ['EXP', 'expert', F.M],
    ['pending', 'municipal_coordinator', F.M],
    ...ROLES.map((role) => [`pw-${role}`, role, PW_UNIT[role]()]),
  ];
  const keys = rows.map(([key]) => key);
  await attempt(keys, async () => {
    const body = csv([
      ['login', 'full_name', 'role', 'unit_code'],
      ...rows.map(([key, role, u]) => [loginOf(key), fullNameOf(key), role, u.code]),
    ]);
    const r = await postCsv('/import/users', body, admin);
    for (const c of r.json?.create || []) if (c.id) created.users.push(c.id);
    const d = ok(r, 200, 'setup: POST /import/users of the throwaway users');
    assert.equal(d.create.length, rows.length, `setup: import created ${d.create.length} of ${rows.length}: ${show(r)}`);
    for (const [key] of rows) {
      const c = d.create.find((x) => x.login === loginOf(key));
      assert.ok(c?.id && c.temporary_password, `setup: ${loginOf(key)} not created with a password: ${show(r)}`);
      F[key] = { id: c.id, login: c.login, full_name: fullNameOf(key), temporary_password: c.temporary_password };
    }
  });
  // a campaign with the parent questionnaire and its links for every kindergarten
  await attempt(['survey', 'surveyLinks'], async () => {
    const pq = ok(await get('/instruments', admin), 200, 'setup: GET /instruments').items.find((i) => i.code === 'PQ');
    assert.ok(pq, 'setup: the parent questionnaire PQ is published');
    const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
    const camp = { title: `authz ${RUN} анкета родителей`, year: Number(day(0).slice(0, 4)), opens_on: day(-2), closes_on: day(30), instrument_ids: [pq.id] };
    F.survey = ok(await post('/campaigns', camp, S.region_coordinator.token), 201, 'setup: POST /campaigns');
    const r = await post(`/units/${F.region.id}/survey-links`, { campaign_id: F.survey.id }, admin);
    const links = ok(r, 201, 'setup: POST /units/{id}/survey-links for the region').items;
    F.surveyLinks = new Map(links.filter((l) => !l.group).map((l) => [l.kindergarten.id, l.id]));
  });
  await attempt('pending', async () => {
    const u = need('pending');
    const s = await login(u.login, u.temporary_password);
    assert.equal(s.user.must_change_password, true, 'an imported user must change the password');
    F.pending = { ...u, token: s.token };
  });
  await setupReview();
});

after(async () => {
  if (removeExpertAssignment) await removeExpertAssignment();
  if (!S.administrator) return;
  // the throwaway expert keeps no assignment (cells refused to remove some on purpose)
  if (F.EXP) for (const kg of [F.K, F.S, F.Far]) await del(`/users/${F.EXP.id}/assignments/${kg.id}`, S.administrator.token);
  await deactivate(S.administrator.token, created, await snapshot());
});

// ---------------------------------------------------------------------------------------
// Targets of one cell

/**
 * What a caller of `role` acts on, inside or outside their scope:
 *   unit    a kindergarten to read          root   a unit GET /units must list (inside)
 *   man     a group to edit or move         parent where POST /units adds a group
 *   user    a demo user to read             wuser  a throwaway user to write
 *   kg      a kindergarten to assign        audit  a unit with a unit.create row
 *   imp     the kindergarten of the CSV rows (with its municipality's code)
 */
function targets(role, where) {
  const inside = where === 'inside';
  const regionOut = F.otherRegionKg || NONE_UNIT;
  const pick = (map) => {
    const v = map[role];
    return typeof v === 'function' ? v() : v;
  };
  if (inside) {
    return {
      unit: pick({
        administrator: F.Far,
        region_coordinator: F.S,
        municipal_coordinator: F.S,
        doo_coordinator: F.K,
        teacher: F.K,
        expert: F.expertIn,
      }),
      root: pick({
        administrator: F.region,
        region_coordinator: F.region,
        municipal_coordinator: F.M,
        doo_coordinator: F.K,
        teacher: F.K,
        expert: F.expertIn,
      }),
      man: () =>
        need(pick({ administrator: 'GF', region_coordinator: 'GS', municipal_coordinator: 'GS' }) || 'GK'),
      parent: pick({ administrator: F.Far, region_coordinator: F.S, municipal_coordinator: F.S }) || F.K,
      user: F.readUserIn[role],
      wuser: () => need('UK'),
      expertUser: () => need('EXP'),
      kg: pick({ administrator: F.Far, region_coordinator: F.S }) || F.K,
      audit: () => need(pick({ administrator: 'GF', region_coordinator: 'GS' }) || 'GK'),
      imp: pick({ administrator: F.Far, region_coordinator: F.S }) || F.K,
    };
  }
  const out = {
    administrator: { unit: NONE_UNIT, man: NONE_UNIT, wuser: NONE_USER },
    region_coordinator: { unit: regionOut, man: regionOut, wuser: NONE_USER },
    municipal_coordinator: { unit: F.Far, man: 'GF', wuser: 'UF' },
    doo_coordinator: { unit: F.S, man: 'GS', wuser: 'US' },
    teacher: { unit: F.S, man: 'GS', wuser: 'US' },
    expert: { unit: F.expertOut, man: 'GS', wuser: 'US' },
  }[role];
  const fix = (v) => () => (typeof v === 'string' ? need(v) : v);
  return {
    unit: out.unit,
    root: null,
    man: fix(out.man),
    parent: out.unit,
    user: F.readUserOut[role],
    wuser: fix(out.wuser),
    expertUser: () => need('EXP'),
    kg: out.unit,
    audit: fix(out.man),
    imp: out.unit,
  };
}

/** The municipality code to name in a CSV row for kindergarten kg (or a code that does not exist). */
const muniCode = (kg) => (kg.id === NO_SUCH_ID ? `00${RUN}` : snap.units.get(kg.parent_id).code);

// ---------------------------------------------------------------------------------------
// How each endpoint is exercised. call(c) -> response; check(r, c) runs when the status is
// the expected 2xx (or any expected status, with checkProblems). c = { role, where, token,
// t (targets) }.

const ids = (r) => (r.json?.items || []).map((u) => u.id);
const cellsOf = (text) => new Set(parseCsv(text, ';').flat());
const tag = (c) => `${c.role[0]}${c.where[0]}`;

const CALLS = {
  'GET /units': {
    call: (c) => (c.where === 'inside' ? get('/units', c.token) : get(`/units?q=${encodeURIComponent(c.t.unit.name)}`, c.token)),
    check: (r, c) =>
      c.where === 'inside'
        ? assert.ok(ids(r).includes(c.t.root.id), `the scope roots ${ids(r)} lack unit ${c.t.root.id}`)
        : assert.ok(!ids(r).includes(c.t.unit.id), `the search found unit ${c.t.unit.id} outside the scope`),
  },
  'GET /units/{id}': {
    call: (c) => get(`/units/${c.t.unit.id}`, c.token),
    check: (r, c) => assert.equal(r.json.id, c.t.unit.id),
  },
  'GET /units/{id}/children': {
    call: (c) => get(`/units/${c.t.unit.id}/children`, c.token),
    check: (r, c) => assert.ok(r.json.items.length > 0 && r.json.items.every((u) => u.parent_id === c.t.unit.id), show(r)),
  },
  'POST /units': {
    call: async (c) => {
      const r = await post('/units', { parent_id: c.t.parent.id, name: `authz ${RUN} новая группа ${tag(c)}` }, c.token);
      if (r.status === 201 && r.json?.id) created.units.push(r.json.id);
      return r;
    },
    check: (r, c) => assert.deepEqual([r.json.level, r.json.parent_id], ['group', c.t.parent.id]),
  },
  'PATCH /units/{id}': {
    call: (c) => {
      const u = c.t.man();
      return patch(`/units/${u.id}`, { name: u.name }, c.token);
    },
    check: (r, c) => assert.equal(r.json.name, c.t.man().name),
  },
  'POST /units/{id}/move': {
    call: (c) => {
      const u = c.t.man();
      return post(`/units/${u.id}/move`, { parent_id: u.parent_id ?? c.t.unit.id }, c.token);
    },
    check: (r, c) => assert.equal(r.json.parent_id, c.t.man().parent_id),
  },
  'GET /users': {
    call: (c) => get(`/users?q=${encodeURIComponent(c.t.user.login)}`, c.token),
    check: (r, c) => {
      const logins = (r.json.items || []).map((u) => u.login);
      if (c.where === 'inside') assert.ok(logins.includes(c.t.user.login), `${c.t.user.login} not listed: ${logins}`);
      else assert.ok(!logins.includes(c.t.user.login), `${c.t.user.login} outside the scope is listed`);
    },
  },
  'POST /users': {
    call: async (c) => {
      const body = { login: `authz${RUN}n${tag(c)}`, full_name: `Новиков ${RUN}`, role: 'teacher', org_unit_id: c.t.parent.id };
      const r = await post('/users', body, c.token);
      if (r.status === 201 && r.json?.id) created.users.push(r.json.id);
      return r;
    },
    check: (r) => {
      assert.equal(r.json.must_change_password, true, show(r));
      assert.equal(typeof r.json.temporary_password, 'string', show(r));
    },
  },
  'GET /users/{id}': {
    call: (c) => get(`/users/${c.t.user.id}`, c.token),
    check: (r, c) => assert.equal(r.json.login, c.t.user.login),
  },
  'PATCH /users/{id}': {
    call: (c) => {
      const u = c.t.wuser();
      return patch(`/users/${u.id}`, { full_name: u.full_name ?? 'x' }, c.token);
    },
    check: (r, c) => assert.equal(r.json.full_name, c.t.wuser().full_name),
  },
  'POST /users/{id}/password': {
    call: (c) => post(`/users/${c.t.wuser().id}/password`, {}, c.token),
    check: (r) => assert.equal(typeof r.json?.temporary_password, 'string', show(r)),
  },
  'POST /me/password': {
    // a throwaway user of the caller's role, signed in with the temporary password
    call: async (c) => {
      const u = need(`pw-${c.role}`);
      const s = await login(u.login, u.temporary_password);
      return post('/me/password', { old_password: u.temporary_password, new_password: `Next-${RUN}-${c.role}!` }, s.token);
    },
  },
  'GET /users/{id}/assignments': {
    call: (c) => get(`/users/${(c.where === 'inside' ? F.demoExpert : c.t.user).id}/assignments`, c.token),
    check: (r) => assert.ok(Array.isArray(r.json?.items), show(r)),
  },
  'PUT /users/{id}/assignments/{unit_id}': {
    call: (c) => put(`/users/${c.t.expertUser().id}/assignments/${c.t.kg.id}`, c.token),
  },
  'DELETE /users/{id}/assignments/{unit_id}': {
    call: async (c) => {
      const e = c.t.expertUser();
      if (c.where === 'inside') ok(await put(`/users/${e.id}/assignments/${c.t.kg.id}`, S.administrator.token), 204, 'setup: assign');
      return del(`/users/${e.id}/assignments/${c.t.kg.id}`, c.token);
    },
  },
  'POST /import/units': {
    call: (c) =>
      postCsv(
        '/import/units?dry_run=1',
        csv([
          ['municipality', 'code', 'name', 'group'],
          [muniCode(c.t.imp), c.t.imp.code, c.t.imp.name, `authz ${RUN} импорт ${tag(c)}`],
        ]),
        c.token,
      ),
    check: (r, c) => checkDryRun(r, c),
  },
  'POST /import/users': {
    call: (c) =>
      postCsv(
        '/import/users?dry_run=1',
        csv([
          ['login', 'full_name', 'role', 'unit_code'],
          [`authz${RUN}i${tag(c)}`, `Импортов ${RUN}`, 'teacher', c.t.imp.code],
        ]),
        c.token,
      ),
    check: (r, c) => checkDryRun(r, c),
  },
  'GET /export/units.csv': {
    call: (c) => get('/export/units.csv', c.token),
    check: (r, c) => {
      const has = cellsOf(r.text).has(c.t.unit.code);
      assert.equal(has, c.where === 'inside', `code ${c.t.unit.code} ${has ? 'exported' : 'missing'}`);
    },
  },
  'GET /export/users.csv': {
    call: (c) => get('/export/users.csv', c.token),
    check: (r, c) => {
      const has = parseCsv(r.text, ';').some((row) => row[0] === c.t.user.login);
      assert.equal(has, c.where === 'inside', `login ${c.t.user.login} ${has ? 'exported' : 'missing'}`);
    },
  },
  'GET /units/{id}/profile': {
    call: (c) => get(`/units/${c.t.unit.id}/profile?instrument=QS`, c.token),
    checkProblems: true,
    check: (r, c) =>
      c.where === 'outside' || assert.ok((r.json?.errors || []).some((e) => e.field === 'campaign_id'), `not the missing campaign: ${show(r)}`),
  },
  'POST /units/{id}/reports': {
    call: (c) => post(`/units/${c.t.unit.id}/reports`, undefined, c.token),
    checkProblems: true,
    check: (r) => r.status !== 422 || assert.ok((r.json?.errors || []).some((e) => e.field === 'campaign'), show(r)),
  },
  'GET /units/{id}/targets': {
    call: (c) => get(`/units/${c.t.unit.id}/targets`, c.token),
    checkProblems: true,
    check: (r) => r.status !== 422 || assert.ok((r.json?.errors || []).some((e) => e.field === 'campaign'), show(r)),
  },
  'PUT /units/{id}/targets': {
    call: (c) => request(`${API}/units/${c.t.unit.id}/targets`, { method: 'PUT', json: { kind: 'overall', value: 3 }, token: c.token }),
    checkProblems: true,
    check: (r) => r.status !== 422 || assert.ok((r.json?.errors || []).some((e) => e.field === 'campaign'), show(r)),
  },
  'GET /units/{id}/plan': {
    call: (c) => get(`/units/${c.t.unit.id}/plan`, c.token),
    check: (r, c) => assert.equal(r.json.unit.id, c.t.unit.id, show(r)),
  },
  'POST /units/{id}/plan': {
    call: (c) => post(`/units/${c.t.unit.id}/plan`, planTask(c), c.token),
    check: (r, c) => assert.deepEqual([r.json.unit.id, r.json.action], [c.t.unit.id, planTask(c).action], show(r)),
  },
  'PATCH /units/{id}/plan/{task_id}': {
    // the task is made by the administrator in the target unit (none outside: that unit is
    // out of reach anyway), then the role under test changes its status
    call: async (c) => {
      let taskId = NO_SUCH_ID;
      if (c.where === 'inside') {
        const made = await post(`/units/${c.t.unit.id}/plan`, planTask(c), S.administrator.token);
        taskId = ok(made, 201, 'a plan task for the PATCH cell').id;
      }
      return patch(`/units/${c.t.unit.id}/plan/${taskId}`, { status: 'in_progress' }, c.token);
    },
    check: (r) => assert.equal(r.json.status, 'in_progress', show(r)),
  },
  'GET /units/{id}/plan.xlsx': {
    call: (c) => get(`/units/${c.t.unit.id}/plan.xlsx`, c.token),
    check: (r) => assert.match(r.headers.get('content-type') || '', /spreadsheetml/, show(r)),
  },
  'GET /units/{id}/plan.csv': {
    call: (c) => get(`/units/${c.t.unit.id}/plan.csv`, c.token),
    check: (r) => assert.match(r.headers.get('content-type') || '', /^text\/csv/, show(r)),
  },
  'POST /units/{id}/recommendations': {
    call: (c) => post(`/units/${c.t.unit.id}/recommendations`, { title: `Матрица ${c.role}`, text: 'Рекомендация', due_on: '2030-01-31' }, c.token),
    check: (r, c) => assert.equal(r.json.receiver.id, c.t.unit.id, show(r)),
  },
  'GET /units/{id}/calibration': {
    call: (c) => get(`/units/${c.t.unit.id}/calibration`, c.token),
    checkProblems: true,
    check: (r) => r.status !== 400 || assert.match(r.json?.detail ?? '', /campaign_id/, show(r)),
  },
  'GET /dashboards/units/{id}/children': dashboardCall('children'),
  'GET /dashboards/units/{id}/breakdown': dashboardCall('breakdown'),
  'GET /dashboards/units/{id}/completion': dashboardCall('completion'),
  'GET /dashboards/units/{id}/parents': dashboardCall('parents'),
  'GET /dashboards/units/{id}/children.xlsx': dashboardCall('children.xlsx'),
  'GET /dashboards/units/{id}/children.csv': dashboardCall('children.csv'),
  'GET /dashboards/units/{id}/breakdown.xlsx': dashboardCall('breakdown.xlsx'),
  'GET /dashboards/units/{id}/breakdown.csv': dashboardCall('breakdown.csv'),
  'GET /dashboards/units/{id}/completion.xlsx': dashboardCall('completion.xlsx'),
  'GET /dashboards/units/{id}/completion.csv': dashboardCall('completion.csv'),
  'GET /dashboards/units/{id}/parents.xlsx': dashboardCall('parents.xlsx'),
  'GET /dashboards/units/{id}/parents.csv': dashboardCall('parents.csv'),
  'POST /admin/rollups/rebuild': {
    // 202 and the rebuild after the answer: to its end, so that the next one is not refused
    call: (c) => rebuildRollups((method) => request(`${API}/admin/rollups/rebuild`, { method, token: c.token })),
    check: (r) => assert.ok(Number.isInteger(r.json?.rows) && Number.isInteger(r.json?.ms), show(r)),
  },
  'GET /admin/rollups/rebuild': {
    call: (c) => request(`${API}/admin/rollups/rebuild`, { token: c.token }),
    check: (r) => assert.ok(['running', 'finished'].includes(r.json?.state), show(r)),
  },
  'GET /units/{id}/survey-links': {
    call: (c) => get(`/units/${c.t.unit.id}/survey-links?campaign_id=${need('survey').id}`, c.token),
    check: (r, c) =>
      assert.ok(r.json.items.length >= 1 && r.json.items.every((l) => l.kindergarten.id === c.t.unit.id), show(r)),
  },
  'POST /units/{id}/survey-links': {
    call: (c) => post(`/units/${c.t.unit.id}/survey-links`, { campaign_id: need('survey').id }, c.token),
    check: (r, c) => assert.ok(r.json.items.every((l) => l.kindergarten.id === c.t.unit.id), show(r)),
  },
  'PATCH /units/{id}/survey-links/{link_id}': {
    call: (c) => patch(`/units/${c.t.unit.id}/survey-links/${surveyLinkOf(c.t.unit)}`, { closed: false }, c.token),
    check: (r, c) => assert.deepEqual([r.json.id, r.json.open], [surveyLinkOf(c.t.unit), true], show(r)),
  },
  'GET /units/{id}/survey-links/{link_id}/qr.svg': {
    call: (c) => get(`/units/${c.t.unit.id}/survey-links/${surveyLinkOf(c.t.unit)}/qr.svg`, c.token),
    check: (r) => assert.match(r.headers.get('content-type') || '', /^image\/svg\+xml/, show(r)),
  },
  'GET /units/{id}/late': {
    call: (c) => {
      const l = need('lateStage');
      return get(`/units/${c.t.unit.id}/late?campaign=${l.campaign}&stage=${l.stage}`, c.token);
    },
    check: (r, c) => assert.deepEqual([r.json.unit.id, r.json.stage.id], [c.t.unit.id, need('lateStage').stage], show(r)),
  },
  'GET /units/{id}/expert-reports': {
    call: (c) => get(`/units/${c.t.unit.id}/expert-reports`, c.token),
    check: (r, c) =>
      assert.ok(Array.isArray(r.json.items) && r.json.items.every((x) => x.kindergarten.id === c.t.unit.id || c.t.unit.level !== 'kindergarten'), show(r)),
  },
  'GET /units/{id}/consents': {
    call: (c) => get(`/units/${c.t.unit.id}/consents`, c.token),
    check: (r, c) => assert.deepEqual([r.json.kindergarten_id, Array.isArray(r.json.groups)], [c.t.unit.id, true], show(r)),
  },
  'PUT /units/{id}/consent': {
    // a throwaway group of the caller's kindergarten (or one outside it)
    call: (c) =>
      request(`${API}/units/${c.t.man().id}/consent`, { method: 'PUT', json: { consented: true, date: new Date().toISOString().slice(0, 10) }, token: c.token }),
    check: (r, c) => assert.equal(r.json.groups.find((g) => g.id === c.t.man().id)?.consent?.consented, true, show(r)),
  },
  'PATCH /units/{id}/privacy': {
    // the value already stored (the default)
    call: (c) => patch(`/units/${c.t.unit.id}/privacy`, { without_consent: 'refuse' }, c.token),
    check: (r) => assert.equal(r.json.without_consent, 'refuse', show(r)),
  },
  'GET /units/{id}/signoff': analysisCall('GET', 'signoff'),
  'POST /units/{id}/signoff/confirm': analysisCall('POST', 'signoff/confirm'),
  'POST /units/{id}/signoff/return': analysisCall('POST', 'signoff/return'),
  'POST /units/{id}/signoff/resubmit': analysisCall('POST', 'signoff/resubmit'),
  'GET /units/{id}/status': analysisCall('GET', 'status'),
  'PUT /units/{id}/status': analysisCall('PUT', 'status'),
  'GET /units/{id}/storage': {
    call: (c) => get(`/units/${c.t.unit.id}/storage`, c.token),
    check: (r, c) => assert.deepEqual([r.json.kindergarten_id, r.json.quota > 0], [c.t.unit.id, true], show(r)),
  },
  'GET /audit': {
    call: (c) => get(`/audit?entity=org_unit&entity_id=${c.t.audit().id}`, c.token),
    check: (r, c) => {
      const n = r.json.items.length;
      if (c.where === 'inside') assert.ok(n >= 1 && r.json.items.every((a) => a.entity_id === c.t.audit().id), show(r));
      else assert.equal(n, 0, `rows of unit ${c.t.audit().id} outside the scope are visible: ${show(r)}`);
    },
  },
};

function planTask(c) {
  return { action: `authz ${RUN} ${c.role} ${c.where}`, responsible: 'Проверкина', due_on: '2030-05-31' };
}

/** A dashboard view of the target kindergarten without its required campaign. */
function dashboardCall(view) {
  return {
    call: (c) => get(`/dashboards/units/${c.t.unit.id}/${view}`, c.token),
    checkProblems: true,
    check: (r, c) =>
      r.status !== 422 || assert.ok((r.json?.errors || []).some((e) => e.field === 'campaign'), `not the missing campaign: ${show(r)}`),
  };
}

/** A route of the analysis stage without a campaign: 422 names campaign_id. */
function analysisCall(method, tail) {
  return {
    call: (c) => request(`${API}/units/${c.t.unit.id}/${tail}`, { method, token: c.token, ...(method === 'GET' ? {} : { json: {} }) }),
    checkProblems: true,
    check: (r) =>
      r.status !== 422 || assert.ok((r.json?.errors || []).some((e) => e.field === 'campaign_id' || e.field === 'comment'), `not the missing campaign: ${show(r)}`),
  };
}

/** The kindergarten link of the setup's campaign for kg (any id for a unit without one). */
const surveyLinkOf = (kg) => need('surveyLinks').get(kg.id) ?? NO_SUCH_ID;

function checkDryRun(r, c) {
  const d = r.json;
  assert.equal(d.dry_run, true, show(r));
  assert.equal(d.applied, false, show(r));
  if (c.where === 'inside') {
    assert.deepEqual(d.errors, [], show(r));
    assert.equal(d.create.length, 1, show(r));
  } else {
    assert.ok(d.errors.length >= 1, `a row outside the scope was accepted: ${show(r)}`);
    assert.deepEqual([d.create, d.update], [[], []], show(r));
  }
}

// ---------------------------------------------------------------------------------------
// The cells

test('fixture: the demo expert gets a kindergarten through PUT /users/{id}/assignments/{unit_id}', () => {
  // the matrix assigns one when the demo has none; a refused call is reported here (and the
  // assignment is made in SQL so that the expert's cells still say something)
  assert.equal(fixtureErrors.assignViaApi, undefined, fixtureErrors.assignViaApi);
});

for (const [ep, statuses] of Object.entries(MATRIX)) {
  ROLES.forEach((role, i) => {
    ['inside', 'outside'].forEach((where, j) => {
      const expected = statuses[2 * i + j];
      if (expected === NA) return;
      test(`${ep} · ${role} · ${where} → ${expected}`, async () => {
        const c = { role, where, token: S[role].token, t: targets(role, where) };
        const r = await CALLS[ep].call(c);
        const cell = `${ep} as ${role}, target ${where} the scope`;
        assert.equal(r.status, expected, `${cell}: expected ${expected}, got ${show(r)}`);
        if (CALLS[ep].check && (expected < 300 || CALLS[ep].checkProblems)) {
          try {
            await CALLS[ep].check(r, c);
          } catch (e) {
            e.message = `${cell}: ${expected} as expected, but ${e.message}`;
            throw e;
          }
        }
      });
    });
  });
}

// A user whose must_change_password is set may call only GET /me, POST /me/password and
// /auth/*: everything else is 403 /problems/password-change-required, whatever the role.
test('pending password: GET /me answers 200 with must_change_password', async () => {
  const p = need('pending');
  const r = await get('/me', p.token);
  assert.equal(ok(r, 200, 'GET /me').must_change_password, true);
});
for (const ep of Object.keys(MATRIX)) {
  if (ep === 'POST /me/password') continue;
  test(`pending password: ${ep} → 403 password-change-required`, async () => {
    const p = need('pending');
    const c = { role: 'municipal_coordinator', where: 'inside', token: p.token, t: targets('municipal_coordinator', 'inside') };
    const r = await CALLS[ep].call(c);
    assert.equal(r.status, 403, `${ep} with a pending password: expected 403, got ${show(r)}`);
    assert.match(r.json?.type || '', /\/problems\/password-change-required$/, show(r));
  });
}

// In scope but not theirs to change: the unit or role is at or above the caller's own.
// prettier-ignore
const NOT_THEIRS = [
  ['doo_coordinator edits its own kindergarten', () => patch(`/units/${F.K.id}`, { name: F.K.name }, S.doo_coordinator.token)],
  ['municipal_coordinator edits its own municipality', () => patch(`/units/${F.M.id}`, { name: F.M.name }, S.municipal_coordinator.token)],
  ['region_coordinator edits its own region', () => patch(`/units/${F.region.id}`, { name: F.region.name }, S.region_coordinator.token)],
  ['doo_coordinator creates a kindergarten coordinator', () => newUser('doo_coordinator', F.K.id, S.doo_coordinator.token)],
  ['municipal_coordinator creates a municipal coordinator', () => newUser('municipal_coordinator', F.M.id, S.municipal_coordinator.token)],
  ['region_coordinator creates a regional coordinator', () => newUser('region_coordinator', F.region.id, S.region_coordinator.token)],
  ['region_coordinator creates a region (parent_id null)', () => post('/units', { parent_id: null, name: `authz ${RUN} область` }, S.region_coordinator.token)],
];
async function newUser(role, unitId, token) {
  const r = await post('/users', { login: `authz${RUN}x${role.slice(0, 3)}`, full_name: `Лишний ${RUN}`, role, org_unit_id: unitId }, token);
  if (r.status === 201 && r.json?.id) created.users.push(r.json.id);
  return r;
}
for (const [what, call] of NOT_THEIRS) {
  test(`not theirs: ${what} → 403`, async () => {
    const r = await call();
    if (r.status === 201 && r.json?.id && r.json.level) created.units.push(r.json.id);
    assert.equal(r.status, 403, `${what}: expected 403, got ${show(r)}`);
  });
}

// ---------------------------------------------------------------------------------------
// Review rights (docs/api-forms.md, "Access"; the one table in backend/src/forms/review_rules.c):
// who may return or approve whose sheet. Rank alone does not decide: an expert's sheet goes
// only to municipal or regional coordinators who do not work in the assessed kindergarten
// (never to its own coordinator, nor to the administrator), a kindergarten's self-assessment
// to coordinators above it who do not work in it, a teacher's sheet to the kindergarten's
// coordinator or above; nobody reviews their own sheet. One submitted sheet per author about
// the demo kindergarten K; a reviewer allowed returns it (200, can_review true) and the
// author submits it again; a reviewer refused gets 403 and the sheet stays submitted.
// "municipal@K" is a coordinator of K's municipality whose workplace (works_at) is K.

// prettier-ignore
const REVIEW = {
  //                 administrator region municipal doo  teacher expert municipal@K
  expert:            [403,          200,   200,      403, 403,    403,   403],
  doo_coordinator:   [200,          200,   200,      403, 403,    403,   403],
  teacher:           [200,          200,   200,      200, 403,    403,   200],
};
const REVIEWERS = [...ROLES, 'municipal@K'];

/** Every required answer of a definition (checks met, scales 4, required texts written). */
function completeAnswers(def) {
  const a = {};
  for (const { item } of itemsOf(def)) {
    if (item.type === 'check') a[item.code] = 'met';
    else if (item.type === 'likert5') a[item.code] = 4;
    else if (item.required && (item.type === 'text' || item.type === 'longtext')) a[item.code] = `Проверка ${RUN}`;
  }
  return a;
}

/** A sheet of `ins` started, filled and submitted by token; returns its id. */
async function submittedSheet(token, campaign, ins, def, targetUnit, what) {
  const body = { campaign_id: campaign, instrument_id: ins.id, ...(targetUnit ? { target_unit_id: targetUnit } : {}) };
  const started = ok(await post('/submissions', body, token), 201, `setup: ${what} starts ${ins.code}`);
  const saved = ok(await patch(`/submissions/${started.id}`, { base_version: started.version, answers: completeAnswers(def) }, token), 200, `setup: ${what} fills ${ins.code}`);
  ok(await post(`/submissions/${started.id}/submit`, { base_version: saved.version }, token), 200, `setup: ${what} submits ${ins.code}`);
  return started.id;
}

const authorToken = (author) => S[author].token;
const reviewerToken = (who) => (who === 'municipal@K' ? need('reviewSetup').insiderToken : S[who].token);

/** Called at the end of the setup above (the sheets need its fixtures). */
async function setupReview() {
  await attempt('reviewSetup', async () => {
    const admin = S.administrator.token;
    assert.equal(F.expertIn?.id, F.K.id, 'setup: the demo expert is assigned to the kindergarten of doo');
    const list = ok(await get('/instruments', admin), 200, 'setup: GET /instruments').items;
    const ins = {};
    const def = {};
    for (const code of ['QS', 'TSA']) {
      ins[code] = list.find((i) => i.code === code);
      assert.ok(ins[code], `setup: instrument ${code} is published`);
      def[code] = ok(await get(`/instruments/${ins[code].id}`, admin), 200, `setup: GET /instruments/${code}`).definition;
    }
    const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
    const camp = { title: `authz ${RUN} проверка анкет`, year: Number(day(0).slice(0, 4)), opens_on: day(-2), closes_on: day(30), instrument_ids: [ins.QS.id, ins.TSA.id] };
    const campaign = ok(await post('/campaigns', camp, S.region_coordinator.token), 201, 'setup: POST /campaigns').id;
    // a municipal coordinator of K's municipality who works in K
    const u = await post('/users', { login: loginOf('revinsider'), full_name: fullNameOf('revinsider'), role: 'municipal_coordinator', org_unit_id: F.M.id, works_at_unit_id: F.K.id }, admin);
    if (u.status === 201 && u.json?.id) created.users.push(u.json.id);
    ok(u, 201, 'setup: POST /users municipal@K');
    const first = await login(u.json.login, u.json.temporary_password);
    ok(await post('/me/password', { old_password: u.json.temporary_password, new_password: `Rev-${RUN}-Strong!` }, first.token), 204, 'setup: municipal@K sets a password');
    const insider = await login(u.json.login, `Rev-${RUN}-Strong!`);
    const sheets = {
      expert: await submittedSheet(authorToken('expert'), campaign, ins.QS, def.QS, F.K.id, 'expert'),
      doo_coordinator: await submittedSheet(authorToken('doo_coordinator'), campaign, ins.QS, def.QS, F.K.id, 'doo'),
      teacher: await submittedSheet(authorToken('teacher'), campaign, ins.TSA, def.TSA, null, 'teacher'),
    };
    F.reviewSetup = { insiderToken: insider.token, sheets };
  });
}

for (const [author, statuses] of Object.entries(REVIEW)) {
  REVIEWERS.forEach((who, i) => {
    const expected = statuses[i];
    test(`review: ${who} returns the sheet of a ${author} about the kindergarten → ${expected}`, async () => {
      const token = reviewerToken(who);
      const id = need('reviewSetup').sheets[author];
      const cell = `${who} returning the ${author}'s sheet ${id}`;
      const seen = await get(`/submissions/${id}`, token);
      if (seen.status === 200) assert.equal(seen.json.can_review, expected === 200, `${cell}: can_review ${seen.json.can_review}`);
      const r = await post(`/submissions/${id}/return`, { comment: `Проверка ${who}` }, token);
      assert.equal(r.status, expected, `${cell}: expected ${expected}, got ${show(r)}`);
      const now = ok(await get(`/submissions/${id}`, authorToken(author)), 200, 'the author reads the sheet');
      if (expected !== 200) {
        assert.equal(now.status, 'submitted', `${cell}: refused, yet the sheet is ${now.status}`);
        if (r.status === 403 && r.json?.detail) assert.match(r.json.detail, /[а-я]/i, show(r));
        return;
      }
      assert.equal(now.status, 'returned', cell);
      ok(await post(`/submissions/${id}/submit`, { base_version: now.version }, authorToken(author)), 200, `${author} submits again`);
    });
  });
}

test('review: approving follows the same rule (the kindergarten coordinator and the administrator never approve an expert)', async () => {
  const id = need('reviewSetup').sheets.expert;
  for (const who of ['doo_coordinator', 'administrator', 'municipal@K']) {
    const r = await post(`/submissions/${id}/approve`, {}, reviewerToken(who));
    assert.equal(r.status, 403, `${who} approving the expert's sheet: ${show(r)}`);
  }
  const approved = ok(await post(`/submissions/${id}/approve`, { comment: 'Принято' }, S.municipal_coordinator.token), 200, 'the municipal coordinator approves');
  assert.equal(approved.status, 'approved');
  assert.equal(approved.history.at(-1).actor.role, 'municipal_coordinator');
});

test('review: the kindergarten coordinator does not reopen a stage for its own kindergarten → 403', async () => {
  const l = need('lateStage');
  const body = { kindergarten_id: F.K.id, until: new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10), reason: 'сами себе' };
  const r = await post(`/campaigns/${l.campaign}/stages/${l.stage}/reopen`, body, S.doo_coordinator.token);
  assert.equal(r.status, 403, show(r));
});

// ---------------------------------------------------------------------------------------
// Coverage: the table and the route table name the same endpoints

function capabilityRoutes() {
  const src = readFileSync(path.join(REPO, 'backend', 'src', 'server', 'routes.c'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const all = [...src.matchAll(/\{\s*"([A-Z]+)"\s*,\s*"\/api\/v1(\/[^"]*)"/g)].map(([, m, p]) => `${m} ${p}`);
  assert.ok(all.length >= 5, `only ${all.length} routes read from routes.c`);
  return all.filter((e) => /^[A-Z]+ \/(units|users|import|export|audit|dashboards|admin)(\/|$)|^[A-Z]+ \/me\/password$/.test(e));
}
const norm = (e) => e.replace(/\{[^}]*\}/g, '{}');

test('coverage: every route of routes.c under /units, /users, /me/password, /import, /export, /audit, /dashboards, /admin has a row in the matrix', () => {
  const rows = new Set(Object.keys(MATRIX).map(norm));
  const missing = capabilityRoutes().filter((e) => !rows.has(norm(e)));
  assert.deepEqual(missing, [], `routes without a row in MATRIX (authz-matrix.test.mjs): ${missing.join(', ')}`);
});

test('coverage: every row of the matrix is a route of routes.c', () => {
  const routed = new Set(capabilityRoutes().map(norm));
  const unrouted = Object.keys(MATRIX).filter((e) => !routed.has(norm(e)));
  assert.deepEqual(unrouted, [], `endpoints of docs/api-org.md not in routes.c: ${unrouted.join(', ')}`);
});

test('coverage: every row has a way to call it and 12 cells', () => {
  assert.deepEqual(Object.keys(CALLS).sort(), Object.keys(MATRIX).sort());
  for (const [ep, s] of Object.entries(MATRIX)) assert.equal(s.length, 2 * ROLES.length, ep);
});
