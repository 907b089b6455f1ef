// An independent oracle for the dashboards (docs/api-dashboards.md): seeded random cases,
// each a region of its own (1–3 municipalities, 1–4 kindergartens each, 0–3 groups each,
// teachers, experts and their assignments, children enrolled), a campaign (sometimes
// sampling its kindergartens) and sheets of every status made through the API —
// kindergarten and group sheets, experts' and teachers' sheets, n/a answers, returns,
// re-approvals with other answers —, parent answers through the public survey links,
// groups moved between kindergartens, kindergartens between municipalities, groups closed.
// Every dashboard view of every level (children per source, breakdown, completion,
// parents, and the region's children CSV) is compared with figures computed by
// figures-reference.mjs from the written rules; every ten cases the rollups the cases kept
// incrementally are compared row by row with a rebuild (POST /admin/rollups/rebuild), and
// at the end with `vsokd rebuild-rollups`. A feature probe first reads which of the rules
// of issue 12 the server follows (see there).
//
// Cases: VSOK_ORACLE_CASES (default 100) seeds from VSOK_ORACLE_FIRST (default 1); one
// failing case is replayed with
//     VSOK_ORACLE_SEED=<seed> node --test tests/api/figures-oracle.test.mjs
// (with VSOK_TEST_URL / VSOK_TEST_VAR of the running test stack).
//
// Only the org tree, users and expert assignments are written with SQL (the triggers of
// migration 007 keep their rollup counts, and the rebuild comparison checks them), and a
// campaign is closed by moving its last day; everything else goes through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, show, signJwt, jwtKey, now, requestRetry429, prng, runTag, rebuildRollups } from './lib.mjs';
import { query, parseCsv } from './fixtures-org.mjs';
import { vsokd } from './fixtures-cli.mjs';
import { isoDay } from './fixtures-forms.mjs';
import * as ref from './figures-reference.mjs';

const API = '/api/v1';
const RUN = runTag('o');
const YEAR = Number(isoDay(0).slice(0, 4));
const REPLAY = process.env.VSOK_ORACLE_SEED;
const FIRST = Number(process.env.VSOK_ORACLE_FIRST || 1);
const CASES = REPLAY ? 1 : Number(process.env.VSOK_ORACLE_CASES || 100);
const SEEDS = REPLAY ? [Number(REPLAY)] : Array.from({ length: CASES }, (_, i) => FIRST + i);
const replayHint = (seed) =>
  `replay: ${process.env.VSOK_ORACLE_RULES ? `VSOK_ORACLE_RULES=${process.env.VSOK_ORACLE_RULES} ` : ''}VSOK_ORACLE_SEED=${seed} node --test tests/api/figures-oracle.test.mjs`;

let ADMIN; // token
let KEY; // the stack's JWT key, to sign tokens of the users made with SQL
const INS = {}; // TQ | TE | TP -> {id, code, def}
let RULES = ref.RULES; // the readings the server follows (the feature probe below)
const REGIONS = []; // every region made here, closed in after()
const WORLDS = []; // the cases that passed
const BATCH = []; // the passed cases since the last rebuild
const REBUILD_EVERY = 10;
const SEEN = {}; // what the cases made: feature -> count (the coverage test below)
const saw = (what, n = 1) => (SEEN[what] = (SEEN[what] || 0) + n);

// ---------------------------------------------------------------------------------------
// The tiny instruments of this run: a cumulative scale for kindergartens and groups (areas
// of 3 and 2 indicators, every check item may be n/a), an ecers sheet for teachers, and a
// parent questionnaire.

function checkIndicator(code) {
  return {
    code,
    title: `Показатель ${code}`,
    items: [2, 3, 4, 5].map((level, i) => ({ code: `${code}.${'abcd'[i]}`, type: 'check', level, text: `Пункт уровня ${level}`, na_allowed: true })),
  };
}

function ecersIndicator(code) {
  const cols = [1, 3, 3, 5, 7];
  return {
    code,
    title: `Показатель ${code}`,
    items: cols.map((column, i) => ({ code: `${code}.${'abcde'[i]}`, type: 'ecers', column, text: `Колонка ${column}`, na_allowed: column !== 3 })),
  };
}

const DEFS = {
  TQ: (c) => ({
    code: c,
    version: 1,
    title: `Шкала оракула ${c}`,
    respondents: ['doo_coordinator', 'expert'],
    targets: ['kindergarten', 'group'],
    scoring: 'cumulative',
    sections: [
      { code: `${c}.1`, title: 'Область 1', indicators: [1, 2, 3].map((i) => checkIndicator(`${c}.1.${i}`)) },
      { code: `${c}.2`, title: 'Область 2', indicators: [1, 2].map((i) => checkIndicator(`${c}.2.${i}`)) },
    ],
  }),
  TE: (c) => ({
    code: c,
    version: 1,
    title: `Лист педагога ${c}`,
    respondents: ['teacher'],
    targets: ['teacher'],
    scoring: 'ecers',
    sections: [{ code: `${c}.1`, title: 'Практика', indicators: [1, 2].map((i) => ecersIndicator(`${c}.1.${i}`)) }],
  }),
  TP: (c) => ({
    code: c,
    version: 1,
    title: `Анкета родителей ${c}`,
    respondents: ['parent'],
    targets: ['parent'],
    scoring: 'share_positive',
    sections: [
      {
        code: `${c}.1`,
        title: 'Удовлетворённость',
        indicators: [
          {
            code: `${c}.1.1`,
            title: 'Ответы',
            items: [
              { code: `${c}.1.1.1`, type: 'likert5', text: 'Довольны ли вы', na_allowed: true },
              { code: `${c}.1.1.2`, type: 'likert5', text: 'Информируют ли вас', na_allowed: true },
              { code: `${c}.1.1.3`, type: 'yes_no', text: 'Порекомендуете ли', na_allowed: true },
              { code: `${c}.1.1.4`, type: 'yes_no_unsure', text: 'Безопасно ли', na_allowed: true },
              { code: `${c}.1.1.5`, type: 'longtext', text: 'Комментарий' },
            ],
          },
        ],
      },
    ],
  }),
};

// ---------------------------------------------------------------------------------------
// Calls

const token = (user) => signJwt({ sub: String(user.id), role: user.role, org: user.unit, iat: now(), exp: now() + 3600 }, KEY);

async function call(tok, method, path, json, what) {
  const r = await request(API + path, { method, token: tok, ...(json !== undefined ? { json } : {}) });
  if (r.status >= 300) throw new Error(`${what || `${method} ${path}`}: ${show(r)}`);
  return r.json;
}

const sqlText = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

// ---------------------------------------------------------------------------------------
// One case's world: the model the reference reads, and the ids and tokens of the server

/**
 * Makes the org tree, users and assignments of `plan` with one SQL script and returns the
 * model's units (Map id -> unit) and the users ({role, id, unit}), by plan keys.
 */
async function makeTree(plan) {
  const lines = [];
  const tag = `${RUN}-${plan.seed}`;
  const unitSql = (key, level, parentKey, name) => {
    const parentId = parentKey ? `@${parentKey}` : 'NULL';
    lines.push(
      `INSERT INTO org_units (parent_id, level, path, name) VALUES (${parentId}, '${level}', ${sqlText(`tmp-${tag}-${key}`)}, ${sqlText(name)});`,
      `SET @${key} = LAST_INSERT_ID();`,
      `UPDATE org_units SET path = CONCAT(${parentKey ? `(SELECT p FROM (SELECT path AS p FROM org_units WHERE id = @${parentKey}) x)` : "'/'"}, @${key}, '/') WHERE id = @${key};`,
    );
  };
  unitSql('r', 'region', null, `Оракул ${tag}`);
  for (const u of plan.units) {
    unitSql(u.key, u.level, u.parentKey, `${tag} ${u.key}`);
    if (u.enrolled !== null) lines.push(`UPDATE org_units SET children_enrolled = ${u.enrolled} WHERE id = @${u.key};`);
  }
  for (const p of plan.users) {
    lines.push(
      `INSERT INTO users (login, password_hash, full_name, role, org_unit_id) VALUES (${sqlText(`${tag}-${p.key}`.toLowerCase())}, '!', ${sqlText(`Оракул ${p.key}`)}, '${p.role}', @${p.unitKey});`,
      `SET @${p.key} = LAST_INSERT_ID();`,
    );
  }
  for (const a of plan.assignments) lines.push(`INSERT INTO expert_assignments (expert_id, kindergarten_id) VALUES (@${a.expertKey}, @${a.kgKey});`);
  const keys = ['r', ...plan.units.map((u) => u.key), ...plan.users.map((p) => p.key)];
  lines.push(`SELECT ${keys.map((k) => `@${k}`).join(', ')};`);
  const rows = await query(lines.join('\n'));
  const ids = Object.fromEntries(keys.map((k, i) => [k, Number(rows[rows.length - 1][i])]));
  REGIONS.push(ids.r);
  return ids;
}

function modelOf(plan, ids) {
  const units = new Map();
  const tag = `${RUN}-${plan.seed}`;
  units.set(ids.r, { id: ids.r, level: 'region', parent: null, active: true, enrolled: null, key: 'r', name: `Оракул ${tag}` });
  for (const u of plan.units)
    units.set(ids[u.key], { id: ids[u.key], level: u.level, parent: ids[u.parentKey], active: true, enrolled: u.enrolled, key: u.key, name: `${tag} ${u.key}` });
  return {
    defs: { TQ: INS.TQ.def, TE: INS.TE.def, TP: INS.TP.def },
    units,
    teachers: plan.users.filter((p) => p.role === 'teacher').map((p) => ({ id: ids[p.key], unit: ids[p.unitKey] })),
    assignments: plan.assignments.map((a) => ({ expert: ids[a.expertKey], kg: ids[a.kgKey] })),
    sample: null,
    closed: false,
    sheets: [],
    responses: [],
  };
}

// ---------------------------------------------------------------------------------------
// Answers

/** Answers to the scale giving each indicator exactly the level asked (no n/a, no noise). */
function answersForLevels(def, levelOf) {
  const a = {};
  for (const s of def.sections) for (const i of s.indicators) for (const it of i.items) a[it.code] = it.level <= levelOf(i.code) ? 'met' : 'not_met';
  return a;
}

/** Random answers to the cumulative scale with an n/a pattern. */
function scaleAnswers(rng, def) {
  const pattern = rng.weighted([
    ['none', 5],
    ['sprinkled', 3],
    ['indicator', 1],
    ['area', 1],
    ['all', 0.3],
  ]);
  const inds = def.sections.flatMap((s) => s.indicators.map((i) => ({ s: s.code, i })));
  const naInd = rng.pick(inds).i.code;
  const naArea = rng.pick(def.sections).code;
  const a = {};
  for (const { s, i } of inds) {
    const level = rng.int(1, 5);
    for (const it of i.items) {
      const na =
        pattern === 'all' || (pattern === 'sprinkled' && rng.chance(0.25)) || (pattern === 'indicator' && i.code === naInd) || (pattern === 'area' && s === naArea);
      if (na) a[it.code] = 'na';
      else a[it.code] = (it.level <= level) !== rng.chance(0.12) ? 'met' : 'not_met';
    }
  }
  return a;
}

function ecersAnswers(rng, def) {
  const a = {};
  for (const s of def.sections)
    for (const i of s.indicators)
      for (const it of i.items) a[it.code] = it.na_allowed && rng.chance(0.15) ? 'na' : it.column === 1 ? (rng.chance(0.2) ? 'yes' : 'no') : rng.chance(0.65) ? 'yes' : 'no';
  return a;
}

function parentAnswers(rng, def) {
  const a = {};
  for (const it of def.sections[0].indicators[0].items) {
    if (rng.chance(0.15)) continue; // not answered
    if (it.type === 'longtext') a[it.code] = 'Спасибо';
    else if (rng.chance(0.1)) a[it.code] = 'na';
    else if (it.type === 'likert5') a[it.code] = rng.int(1, 5);
    else if (it.type === 'yes_no') a[it.code] = rng.pick(['yes', 'no']);
    else a[it.code] = rng.pick(['yes', 'no', 'unsure']);
  }
  return a;
}

// ---------------------------------------------------------------------------------------
// Sheets through the API

const FLOWS = {
  draft: [['save']],
  submitted: [['save', 'submit']],
  returned: [['save', 'submit'], ['return']],
  approved: [['save', 'submit'], ['approve']],
  resubmitted: [['save', 'submit', 'return', 'save2', 'submit'], []],
  reapproved: [['save', 'submit', 'return', 'save2', 'submit'], ['approve']],
};

/** Runs steps of a sheet; the model's sheet follows (status, answers). */
async function sheetSteps(world, sh, steps) {
  for (const step of steps) {
    const what = `seed ${world.seed}: ${sh.instrument}/${sh.source} sheet of ${sh.unit} (${step})`;
    if (step === 'save' || step === 'save2') {
      if (!sh.id) {
        const body = { campaign_id: world.campaign, instrument_id: INS[sh.instrument].id };
        if (sh.source !== 'teacher') body.target_unit_id = sh.unit;
        const doc = await call(sh.token, 'POST', '/submissions', body, `${what}: start`);
        sh.id = doc.id;
        sh.version = doc.version;
      }
      const answers = step === 'save' ? sh.first : sh.second;
      const doc = await call(sh.token, 'PATCH', `/submissions/${sh.id}`, { base_version: sh.version, answers }, what);
      sh.version = doc.version;
      sh.answers = answers;
    } else if (step === 'submit') {
      const doc = await call(sh.token, 'POST', `/submissions/${sh.id}/submit`, { base_version: sh.version }, what);
      sh.version = doc.version;
      sh.status = 'submitted';
    } else {
      const doc = await call(world.RC, 'POST', `/submissions/${sh.id}/${step}`, step === 'return' ? { comment: 'Уточните' } : {}, what);
      sh.version = doc.version;
      sh.status = step === 'return' ? 'returned' : 'approved';
    }
  }
}

// ---------------------------------------------------------------------------------------
// A case's plan (pure: from the seed alone)

function planCase(seed) {
  const rng = prng(seed);
  const plan = { seed, units: [], users: [{ key: 'rc', role: 'region_coordinator', unitKey: 'r' }], assignments: [] };
  const munis = rng.weighted([[1, 3], [2, 2], [3, 1]]);
  const kgs = [];
  const groups = [];
  for (let m = 0; m < munis; m++) {
    const mk = `m${m}`;
    plan.units.push({ key: mk, level: 'municipality', parentKey: 'r', enrolled: null });
    for (let k = 0, nk = rng.weighted([[1, 2], [2, 3], [3, 2], [4, 1]]); k < nk; k++) {
      const kk = `${mk}k${k}`;
      kgs.push(kk);
      plan.units.push({ key: kk, level: 'kindergarten', parentKey: mk, enrolled: null });
      plan.users.push({ key: `c${kk}`, role: 'doo_coordinator', unitKey: kk });
      for (let t = 0, nt = rng.weighted([[0, 2], [1, 2], [2, 1]]); t < nt; t++) plan.users.push({ key: `t${kk}${t}`, role: 'teacher', unitKey: kk });
      for (let g = 0, ng = rng.weighted([[0, 2], [1, 3], [2, 2], [3, 1]]); g < ng; g++) {
        const gk = `${kk}g${g}`;
        groups.push(gk);
        plan.units.push({ key: gk, level: 'group', parentKey: kk, enrolled: rng.chance(0.3) ? null : rng.int(5, 25) });
      }
    }
  }
  for (let e = 0, ne = rng.weighted([[0, 1], [1, 2], [2, 1]]); e < ne; e++) {
    plan.users.push({ key: `e${e}`, role: 'expert', unitKey: rng.pick(plan.units.filter((u) => u.level === 'municipality')).key });
    for (const kg of rng.shuffle(kgs).slice(0, rng.int(1, Math.min(2, kgs.length)))) plan.assignments.push({ expertKey: `e${e}`, kgKey: kg });
  }
  plan.sampleKeys = rng.chance(0.25) ? rng.shuffle(kgs).slice(0, rng.int(1, kgs.length)) : null;
  plan.kgs = kgs;
  plan.groups = groups;
  plan.rngState = rng; // the same stream goes on in the run
  return plan;
}

const flowPick = (rng) =>
  rng.weighted([
    ['draft', 1],
    ['submitted', 2],
    ['returned', 1.5],
    ['approved', 4],
    ['resubmitted', 1],
    ['reapproved', 2],
  ]);

// ---------------------------------------------------------------------------------------
// Running a case

async function runCase(seed) {
  const plan = planCase(seed);
  const rng = plan.rngState;
  const ids = await makeTree(plan);
  const model = modelOf(plan, ids);
  const users = Object.fromEntries(plan.users.map((p) => [p.key, { id: ids[p.key], role: p.role, unit: ids[p.unitKey] }]));
  const RC = token(users.rc); // the region's coordinator runs the campaign
  const world = { seed, model, ids, RC };

  const body = {
    title: `Оракул ${RUN} ${seed}`,
    year: YEAR,
    opens_on: isoDay(-1),
    closes_on: isoDay(30),
    instrument_ids: [INS.TQ.id, INS.TE.id, INS.TP.id],
  };
  if (plan.sampleKeys) Object.assign(body, { participation: 'sample', sample_ids: plan.sampleKeys.map((k) => ids[k]) });
  const camp = await call(RC, 'POST', '/campaigns', body, `seed ${seed}: campaign`);
  world.campaign = camp.id;
  if (plan.sampleKeys) model.sample = new Set(plan.sampleKeys.map((k) => ids[k]));
  if (plan.sampleKeys) saw('sampled campaign');
  const taking = (kgKey) => !plan.sampleKeys || plan.sampleKeys.includes(kgKey);

  // the sheets and their flows
  const sheets = [];
  const add = (instrument, source, unitKey, author, answersOf) => {
    const flow = flowPick(rng);
    const sh = { instrument, source, unit: ids[unitKey], token: token(author), status: 'draft', first: answersOf(), second: answersOf(), flow: FLOWS[flow], flowName: flow, answers: {} };
    sheets.push(sh);
  };
  const scale = () => scaleAnswers(rng, INS.TQ.def);
  const ecers = () => ecersAnswers(rng, INS.TE.def);
  for (const kg of plan.kgs.filter(taking)) {
    if (rng.chance(0.75)) add('TQ', 'self', kg, users[`c${kg}`], scale);
    for (const g of plan.groups.filter((gk) => gk.startsWith(`${kg}g`))) if (rng.chance(0.6)) add('TQ', 'group', g, users[`c${kg}`], scale);
    for (const t of plan.users.filter((p) => p.role === 'teacher' && p.unitKey === kg)) if (rng.chance(0.5)) add('TE', 'teacher', kg, users[t.key], ecers);
  }
  for (const a of plan.assignments) if (taking(a.kgKey) && rng.chance(0.75)) add('TQ', 'expert', a.kgKey, users[a.expertKey], scale);
  for (const sh of sheets) model.sheets.push(sh);

  // survey links for every kindergarten taking part and its groups
  const links = (await call(RC, 'POST', `/units/${ids.r}/survey-links`, { campaign_id: camp.id, instrument_id: INS.TP.id, groups: true }, `seed ${seed}: links`)).items;
  const answerSurvey = async () => {
    if (!links.length) return;
    const link = rng.pick(links);
    const answers = parentAnswers(rng, INS.TP.def);
    const cookie = `vsok_survey=${Buffer.from(Array.from({ length: 32 }, () => rng.int(0, 255))).toString('base64url')}`; // a browser of its own
    const r = await requestRetry429(`${API}/public/surveys/${link.token}/responses`, { method: 'POST', cookie, json: { answers } });
    if (r.status !== 201) throw new Error(`seed ${seed}: parent answer: ${show(r)}`);
    model.responses.push({ instrument: 'TP', unit: link.group ? link.group.id : link.kindergarten.id, answers });
    saw(link.group ? 'parent answer through a group link' : 'parent answer through a kindergarten link');
  };

  // 1. the authors' work, sheet by sheet in a shuffled order, with parent answers between
  for (const sh of rng.shuffle(sheets)) {
    await sheetSteps(world, sh, sh.flow[0]);
    if (rng.chance(0.1)) await answerSurvey();
  }
  // 2. the tree changes under the sheets: a group to another kindergarten, a kindergarten
  //    to another municipality
  const active = (level) => [...model.units.values()].filter((u) => u.level === level && u.active);
  if (rng.chance(0.4) && active('group').length && active('kindergarten').length > 1) {
    const g = rng.pick(active('group'));
    const to = rng.pick(active('kindergarten').filter((k) => k.id !== g.parent));
    await call(ADMIN, 'POST', `/units/${g.id}/move`, { parent_id: to.id }, `seed ${seed}: move group ${g.key}`);
    g.parent = to.id;
    saw('group moved to another kindergarten');
  }
  if (rng.chance(0.3) && active('municipality').length > 1) {
    const k = rng.pick(active('kindergarten'));
    const to = rng.pick(active('municipality').filter((m) => m.id !== k.parent));
    await call(ADMIN, 'POST', `/units/${k.id}/move`, { parent_id: to.id }, `seed ${seed}: move kindergarten ${k.key}`);
    k.parent = to.id;
    saw('kindergarten moved to another municipality');
  }
  // 3. the reviews, and more parent answers
  for (const sh of rng.shuffle(sheets)) {
    await sheetSteps(world, sh, sh.flow[1] || []);
    if (rng.chance(0.1)) await answerSurvey();
  }
  // 4. groups closed
  for (const g of active('group')) {
    if (!rng.chance(0.15)) continue;
    await call(ADMIN, 'PATCH', `/units/${g.id}`, { active: false }, `seed ${seed}: close group ${g.key}`);
    g.active = false;
    saw('group closed');
  }
  // 5. sometimes the campaign is over: what is missing is overdue
  if (rng.chance(0.25)) {
    await query(`UPDATE campaigns SET closes_on = CURRENT_DATE - INTERVAL 1 DAY WHERE id = ${Number(camp.id)}`);
    model.closed = true;
    saw('campaign over (overdue)');
  }
  for (const sh of sheets) {
    saw(`${sh.source} sheet ${sh.flowName}`);
    const v = ref.sheetValues(INS[sh.instrument].def, sh.answers);
    if (sh.instrument === 'TQ' && Object.values(v.indicator).some((x) => x === null)) saw('scale sheet with an indicator n/a');
    if (sh.instrument === 'TQ' && Object.values(v.section).some((x) => x === null)) saw('scale sheet with an area n/a');
  }
  world.checks = rng;
  return world;
}

// ---------------------------------------------------------------------------------------
// Comparing the views with the reference

const near = (got, want, what) => {
  if (want === null || want === undefined) assert.ok(got === null || got === undefined, `${what}: ${got}, expected none`);
  else {
    assert.ok(typeof got === 'number' && Math.abs(got - want) < 1e-6, `${what}: ${got}, expected ${want}`);
    assert.equal(ref.shown(got), ref.shown(want), `${what}: shown ${ref.shown(got)}, expected ${ref.shown(want)} (exact ${want})`);
  }
};

function assertFigure(got, want, what) {
  assert.ok(got, `${what}: missing`);
  assert.equal(got.n, want.n, `${what}: n`);
  near(got.mean, want.mean, `${what}: mean`);
  assert.deepEqual(got.levels, want.levels, `${what}: levels`);
}

function assertChildResults(got, want, def, what) {
  assert.equal(got.n, want.overall.n, `${what}: n`);
  near(got.overall, want.overall.mean, `${what}: overall`);
  assert.deepEqual(got.levels, want.overall.levels, `${what}: levels`);
  for (const s of def.sections) near(got.sections?.[s.code], want.section[s.code].mean, `${what}: area ${s.code}`);
}

const completionOf = (c) => ({ expected: c.expected, submitted: c.submitted, approved: c.approved });

const SOURCES = [
  ['TQ', 'self'],
  ['TQ', 'group'],
  ['TQ', 'expert'],
  ['TE', 'teacher'],
];

async function dash(world, view, unitId, q) {
  const params = new URLSearchParams({ campaign: String(world.campaign), limit: '2000', ...q });
  const r = await request(`${API}/dashboards/units/${unitId}/${view}?${params}`, { token: world.RC });
  assert.equal(r.status, 200, `seed ${world.seed}: ${view} of ${unitId} ${params}: ${show(r)}`);
  return r.json;
}

async function checkChildren(world, unitId, instrument, source) {
  const { model } = world;
  const def = INS[instrument].def;
  const what = `seed ${world.seed}: children of ${model.units.get(unitId).key} (${instrument}/${source})`;
  const d = await dash(world, 'children', unitId, { instrument: String(INS[instrument].id), source });
  const c = ref.completion(model, unitId, instrument, source);
  assert.deepEqual(d.total.completion, completionOf(c), `${what}: total completion`);
  assert.equal(d.total.overdue, c.overdue, `${what}: total overdue`);
  assertChildResults(d.total.results, ref.results(model, unitId, instrument, source, RULES), def, `${what}: total`);
  const kids = ref.childrenOf(model, unitId);
  assert.deepEqual(d.items.map((i) => i.id).sort((a, b) => a - b), kids, `${what}: the active children`);
  assert.equal(d.count, kids.length, `${what}: count`);
  for (const it of d.items) {
    const w = `${what}: item ${model.units.get(it.id).key}`;
    const ci = ref.completion(model, it.id, instrument, source);
    assert.deepEqual(it.completion, completionOf(ci), `${w}: completion`);
    assert.equal(it.overdue, ci.overdue, `${w}: overdue`);
    assertChildResults(it.results, ref.results(model, it.id, instrument, source, RULES), def, w);
  }
}

async function checkBreakdown(world, unitId, instrument, source) {
  const { model } = world;
  const def = INS[instrument].def;
  const unit = model.units.get(unitId);
  const what = `seed ${world.seed}: breakdown of ${unit.key} (${instrument}/${source})`;
  const d = await dash(world, 'breakdown', unitId, { instrument: String(INS[instrument].id), source });
  const mine = ref.results(model, unitId, instrument, source, RULES);
  const parent = unit.parent === null ? null : ref.results(model, unit.parent, instrument, source, RULES);
  assert.equal(d.parent_unit?.id ?? null, unit.parent, `${what}: parent unit`);
  assert.equal(d.previous_campaign, null, `${what}: no campaign a year earlier`);
  const side = (got, want, w) => {
    assertFigure(got.unit, want.mine, `${w}`);
    if (parent) assertFigure(got.parent, want.parent, `${w} (parent)`);
    else assert.equal(got.parent, null, `${w}: no parent`);
  };
  side(d.overall, { mine: mine.overall, parent: parent?.overall }, `${what}: overall`);
  assert.deepEqual(d.sections.map((s) => s.code), def.sections.map((s) => s.code), `${what}: areas`);
  for (const s of d.sections) {
    side(s, { mine: mine.section[s.code], parent: parent?.section[s.code] }, `${what}: area ${s.code}`);
    for (const i of s.indicators) side(i, { mine: mine.indicator[i.code], parent: parent?.indicator[i.code] }, `${what}: indicator ${i.code}`);
  }
}

async function checkCompletion(world, unitId) {
  const { model } = world;
  const what = `seed ${world.seed}: completion of ${model.units.get(unitId).key}`;
  const d = await dash(world, 'completion', unitId, {});
  const got = d.instruments.map((i) => `${i.code}/${i.source}`).sort();
  const want = SOURCES.map(([k, s]) => `${INS[k].code}/${s}`).sort();
  assert.deepEqual(got, want, `${what}: instruments and sources`);
  for (const [k, source] of SOURCES) {
    const e = d.instruments.find((i) => i.code === INS[k].code && i.source === source);
    const c = ref.completion(model, unitId, k, source);
    assert.deepEqual(e.total, c, `${what}: ${k}/${source} total`);
    assert.deepEqual(e.items.map((i) => i.id).sort((a, b) => a - b), ref.childrenOf(model, unitId), `${what}: ${k}/${source} children`);
    for (const it of e.items) {
      const ci = ref.completion(model, it.id, k, source);
      assert.deepEqual({ expected: it.expected, submitted: it.submitted, approved: it.approved, overdue: it.overdue }, ci, `${what}: ${k}/${source} ${model.units.get(it.id).key}`);
    }
  }
}

async function checkParents(world, unitId) {
  const { model } = world;
  const what = `seed ${world.seed}: parents of ${model.units.get(unitId).key}`;
  const d = await dash(world, 'parents', unitId, { instrument: String(INS.TP.id) });
  const want = ref.parents(model, unitId, 'TP');
  const figs = (x) => ({ responses: x.responses, enrolled: x.enrolled, response_rate: x.response_rate, satisfaction: x.satisfaction });
  const close = (got, w, label) => {
    assert.equal(got.responses, w.responses, `${label}: responses`);
    assert.equal(got.enrolled, w.enrolled, `${label}: enrolled`);
    near(got.response_rate, w.response_rate, `${label}: response rate`);
    near(got.satisfaction, w.satisfaction, `${label}: satisfaction`);
  };
  close(d.total, figs(want), `${what}: total`);
  assert.deepEqual(d.statements.map((s) => s.code), want.statements.map((s) => s.code), `${what}: statements in order`);
  for (const [i, s] of d.statements.entries()) {
    const w = want.statements[i];
    assert.deepEqual([s.answered, s.positive], [w.answered, w.positive], `${what}: statement ${s.code}`);
    near(s.share, w.share, `${what}: statement ${s.code} share`);
  }
  assert.deepEqual(d.items.map((i) => i.id).sort((a, b) => a - b), ref.childrenOf(model, unitId), `${what}: children`);
  for (const it of d.items) close(it, figs(ref.parents(model, it.id, 'TP')), `${what}: ${model.units.get(it.id).key}`);
}

/** The children export (CSV, decimal dots) against the reference, row by row by name. */
async function checkChildrenCsv(world, unitId, instrument, source) {
  const { model } = world;
  const def = INS[instrument].def;
  const what = `seed ${world.seed}: children.csv of ${model.units.get(unitId).key} (${instrument}/${source})`;
  const params = new URLSearchParams({ campaign: String(world.campaign), instrument: String(INS[instrument].id), source, sep: ',', limit: '2000' });
  const r = await request(`${API}/dashboards/units/${unitId}/children.csv?${params}`, { token: world.RC });
  assert.equal(r.status, 200, `${what}: ${show(r)}`);
  const [head, ...rows] = parseCsv(r.text, ',').filter((row) => row.length > 1);
  const col = (name) => {
    const i = head.findIndex((h) => h === name || h.startsWith(`${name} `));
    assert.ok(i >= 0, `${what}: no column ${name} in ${head.join(' | ')}`);
    return i;
  };
  const [cn, co] = [col('Анкет в результатах'), col('Общий балл')];
  const num = (cell) => (cell === '' ? null : Number(cell));
  const byName = new Map([...model.units.values()].map((u) => [u.name, u.id]));
  assert.equal(rows.length, 1 + ref.childrenOf(model, unitId).length, `${what}: the total and a row per child`);
  for (const [i, row] of rows.entries()) {
    const id = i === 0 ? unitId : byName.get(row[0]);
    assert.ok(i > 0 || row[0].startsWith('Всего'), `${what}: the total first`);
    assert.ok(id, `${what}: row ${row[0]}`);
    const want = ref.results(model, id, instrument, source, RULES);
    assert.equal(num(row[cn]), want.overall.n, `${what}: ${row[0]}: n`);
    near(num(row[co]), want.overall.mean, `${what}: ${row[0]}: overall`);
    for (const sec of def.sections) near(num(row[col(sec.code)]), want.section[sec.code].mean, `${what}: ${row[0]}: area ${sec.code}`);
  }
}

/** Runs async jobs, `width` at a time (reads only: the views of a case). */
async function pool(jobs, width = 3) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]();
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * The views of the case: every view of the region, of every municipality the children by
 * each source, completion and parents, of every kindergarten its groups; breakdowns and
 * kindergartens' parents for a seeded choice of the rest.
 */
async function checkViews(world) {
  const { model, ids } = world;
  const rng = world.checks;
  const units = [...model.units.values()].filter((u) => u.active);
  const of = (level) => units.filter((u) => u.level === level);
  const jobs = [];
  for (const [k, s] of SOURCES) jobs.push(() => checkChildren(world, ids.r, k, s), () => checkBreakdown(world, ids.r, k, s));
  const [ek, es] = rng.pick(SOURCES);
  jobs.push(() => checkCompletion(world, ids.r), () => checkParents(world, ids.r), () => checkChildrenCsv(world, ids.r, ek, es));
  for (const m of of('municipality')) {
    for (const [k, s] of SOURCES) jobs.push(() => checkChildren(world, m.id, k, s));
    const [k, s] = rng.pick(SOURCES);
    jobs.push(() => checkCompletion(world, m.id), () => checkParents(world, m.id), () => checkBreakdown(world, m.id, k, s));
  }
  for (const kg of of('kindergarten')) {
    jobs.push(() => checkChildren(world, kg.id, 'TQ', 'group'));
    if (rng.chance(0.4)) jobs.push(() => checkParents(world, kg.id));
    const [k, s] = rng.pick(SOURCES);
    if (rng.chance(0.5)) jobs.push(() => checkBreakdown(world, kg.id, k, s));
  }
  for (const g of of('group')) if (rng.chance(0.3)) jobs.push(() => checkBreakdown(world, g.id, 'TQ', 'group'));
  await pool(jobs);
}

// ---------------------------------------------------------------------------------------
// The rollups kept incrementally against a rebuild

let ROLLUP_TABLES; // [{name, columns[], by: 'campaign_id' | 'unit_id'}]

async function rollupTables() {
  const rows = await query(
    "SELECT table_name, GROUP_CONCAT(column_name ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name LIKE 'rollup\\_%' GROUP BY table_name ORDER BY table_name",
  );
  return rows.map(([name, cols]) => {
    const columns = cols.split(',');
    return { name, columns, by: columns.includes('campaign_id') ? 'campaign_id' : columns.includes('unit_id') ? 'unit_id' : null };
  });
}

/** The rollup rows of the campaigns and units of some cases, as text, in one order. */
async function rollupRows(worlds) {
  const units = worlds.flatMap((w) => [...w.model.units.keys()]).join(',');
  const campaigns = worlds.map((w) => Number(w.campaign)).join(',');
  const parts = [];
  for (const t of ROLLUP_TABLES) {
    if (!t.by) continue;
    const where = t.by === 'campaign_id' ? `campaign_id IN (${campaigns})` : `unit_id IN (${units}) AND NOT (${t.columns.includes('n') ? 'n = 0' : 'FALSE'})`;
    parts.push(`SELECT '${t.name}', CONCAT_WS('|', ${t.columns.map((c) => `\`${c}\``).join(', ')}) FROM \`${t.name}\` WHERE ${where}`);
  }
  const rows = await query(`${parts.join(' UNION ALL ')} ORDER BY 1, 2`);
  return rows.map((r) => r.join(' '));
}

/**
 * Rebuilds every rollup (POST /admin/rollups/rebuild) and compares the rows of each case of
 * the batch with those its own steps left. A rebuild reads the whole database, so it runs
 * once per batch of cases; each case's rows were taken when it ended, and no other case
 * touches its campaign or its units.
 */
async function assertRebuildEqual(batch) {
  const r = await rebuildRollups((method) => request(`${API}/admin/rollups/rebuild`, { method, token: ADMIN }));
  assert.equal(r.status, 200, `rebuild: ${show(r)}`);
  for (const w of batch) {
    assert.ok(w.rows.length > 0, `seed ${w.seed}: rollup rows exist`);
    assertSameRows(await rollupRows([w]), w.rows, `seed ${w.seed}: the rollups kept incrementally differ from a rebuild\n${replayHint(w.seed)}`);
  }
}

/**
 * Rows equal cell by cell: keys, counts and level counts exactly; a decimal cell (a sum of
 * exact scores, kept with many decimals) within 1e-9, since a sum kept by additions and
 * subtractions may end in another last digit than one summed afresh (5.083333333333334
 * and …333): no figure shows or rounds that far. Such last-digit differences are counted in
 * DRIFT and reported by the last test.
 */
function assertSameRows(got, want, what) {
  const cells = (row) => row.split(/[ |]/);
  let drift = 0;
  const same = (a, b) => {
    if (a === b) return true;
    const [x, y] = [cells(a), cells(b)];
    if (x.length !== y.length) return false;
    let d = 0;
    for (const [i, c] of x.entries()) {
      if (c === y[i]) continue;
      if (!/^-?\d+\.\d+$/.test(c) || !/^-?\d+\.\d+$/.test(y[i]) || Math.abs(Number(c) - Number(y[i])) > 1e-9) return false;
      d++;
    }
    drift += d;
    return true;
  };
  if (got.length !== want.length || !got.every((row, i) => same(row, want[i]))) assert.deepEqual(got, want, what);
  DRIFT.cells += drift;
  if (drift) DRIFT.seeds.add(what.match(/^seed ([^:\s]+)/)?.[1]);
}
const DRIFT = { cells: 0, seeds: new Set() };

// ---------------------------------------------------------------------------------------

before(async () => {
  ADMIN = (await login('admin')).token;
  KEY = jwtKey();
  for (const [k, make] of Object.entries(DEFS)) {
    const code = `${k}${RUN}`;
    const doc = await call(ADMIN, 'POST', '/instruments', make(code), `instrument ${k}`);
    await call(ADMIN, 'POST', `/instruments/${doc.id}/publish`, {}, `publish ${k}`);
    const full = await call(ADMIN, 'GET', `/instruments/${doc.id}`, undefined, `read ${k}`);
    INS[k] = { id: doc.id, code, def: full.definition };
  }
  ROLLUP_TABLES = await rollupTables();
});

after(async () => {
  // the regions of this run leave the active tree (deepest first: a unit is never active
  // under an inactive one)
  if (!REGIONS.length) return;
  const list = REGIONS.join(',');
  await query(
    `UPDATE org_units SET active = 0 WHERE level = 'group' AND SUBSTRING_INDEX(SUBSTRING_INDEX(path, '/', 2), '/', -1) IN (${list});` +
      `UPDATE org_units SET active = 0 WHERE level = 'kindergarten' AND SUBSTRING_INDEX(SUBSTRING_INDEX(path, '/', 2), '/', -1) IN (${list});` +
      `UPDATE org_units SET active = 0 WHERE SUBSTRING_INDEX(SUBSTRING_INDEX(path, '/', 2), '/', -1) IN (${list});` +
      `UPDATE users SET active = 0 WHERE login LIKE ${sqlText(`${RUN.toLowerCase()}-%`)};`,
  );
});

// ---------------------------------------------------------------------------------------
// The reference itself, on examples computed by hand

test('reference: a sheet, a kindergarten over its groups, a municipality over its kindergartens (issue 12 example)', () => {
  const def = DEFS.TQ('X');
  const sheet = (levels) => answersForLevels(def, (code) => levels[code]);
  const lv = (a, b, c, d, e) => ({ 'X.1.1': a, 'X.1.2': b, 'X.1.3': c, 'X.2.1': d, 'X.2.2': e });
  // areas 8/3 and 2, overall (8/3 + 2) / 2 = 7/3
  const v = ref.sheetValues(def, sheet(lv(3, 3, 2, 2, 2)));
  assert.equal(v.indicator['X.1.3'], 2);
  assert.ok(Math.abs(v.section['X.1'] - 8 / 3) < 1e-12 && v.section['X.2'] === 2);
  assert.ok(Math.abs(v.overall.overall - 7 / 3) < 1e-12);
  // stored with three decimals before the rules: 2.667, 2.333
  assert.equal(ref.sheetValues(def, sheet(lv(3, 3, 2, 2, 2)), { ...ref.RULES, exactScores: false }).section['X.1'], 2.667);
  const units = new Map(
    [
      [1, 'region', null],
      [2, 'municipality', 1],
      [3, 'kindergarten', 2],
      [4, 'kindergarten', 2],
      [5, 'group', 3],
      [6, 'group', 3],
      [7, 'group', 3],
      [8, 'group', 4],
    ].map(([id, level, parent]) => [id, { id, level, parent, active: true, enrolled: null }]),
  );
  const mk = (unit, levels, status = 'approved') => ({ instrument: 'X', source: 'group', unit, status, answers: sheet(levels) });
  const model = {
    defs: { X: def },
    units,
    teachers: [],
    assignments: [],
    sample: null,
    closed: false,
    responses: [],
    sheets: [
      mk(5, lv(4, 4, 4, 4, 4)), // 4
      mk(6, lv(4, 4, 4, 4, 4)), // 4
      mk(7, lv(3, 3, 4, 4, 5)), // (10/3 + 9/2) / 2 = 47/12
      mk(8, lv(3, 3, 2, 2, 2)), // 7/3
      mk(8, lv(5, 5, 5, 5, 5), 'submitted'), // not final: left out
    ],
  };
  const kg = ref.results(model, 3, 'X', 'group');
  assert.equal(kg.overall.n, 3, 'a kindergarten counts its sheets');
  assert.ok(Math.abs(kg.overall.mean - 143 / 36) < 1e-12, `${kg.overall.mean}`);
  assert.deepEqual(kg.overall.levels, [0, 0, 1, 2, 0, 0, 0], '4, 4 shown 4.0 and 3.917 shown 3.9: levels 4, 4, 3');
  const m = ref.results(model, 2, 'X', 'group');
  assert.equal(m.overall.n, 2, 'a municipality counts its kindergartens');
  assert.ok(Math.abs(m.overall.mean - (143 / 36 + 7 / 3) / 2) < 1e-12, `${m.overall.mean}`);
  assert.equal(ref.shown(m.overall.mean), 3.2);
  assert.deepEqual(m.overall.levels, [0, 1, 0, 1, 0, 0, 0], '3.972 is shown 4.0 and counted at 4; 2.333 at 2');
  // before the rules: every sheet weighs the same, levels by the floor of the value
  const legacy = ref.results(model, 2, 'X', 'group', { perKindergarten: false, bucketOnShown: false, exactScores: false });
  assert.equal(legacy.overall.n, 4);
  assert.ok(Math.abs(legacy.overall.mean - (4 + 4 + 3.917 + 2.333) / 4) < 1e-12, `${legacy.overall.mean}`);
  assert.deepEqual(ref.results(model, 2, 'X', 'group', { ...ref.RULES, bucketOnShown: false }).overall.levels, [0, 1, 1, 0, 0, 0, 0]);
  // an area every sheet left n/a has no value, the overall still has
  const na = { ...sheet(lv(1, 1, 1, 3, 3)) };
  for (const c of Object.keys(na)) if (c.startsWith('X.1.')) na[c] = 'na';
  const nv = ref.sheetValues(def, na);
  assert.equal(nv.section['X.1'], null);
  assert.equal(nv.overall.overall, 3);
});

test('reference: completion, expected of a sample, overdue; parents by hand', () => {
  const units = new Map(
    [
      [1, 'region', null, true, null],
      [2, 'municipality', 1, true, null],
      [3, 'kindergarten', 2, true, null],
      [4, 'kindergarten', 2, true, null],
      [5, 'group', 3, true, 20],
      [6, 'group', 3, false, 7], // closed: not expected, its children not counted
      [7, 'group', 4, true, null],
    ].map(([id, level, parent, active, enrolled]) => [id, { id, level, parent, active, enrolled }]),
  );
  const def = DEFS.TP('P');
  const model = {
    defs: { P: def, Q: DEFS.TQ('Q') },
    units,
    teachers: [
      { id: 100, unit: 3 },
      { id: 101, unit: 4 },
    ],
    assignments: [{ expert: 200, kg: 4 }],
    sample: new Set([3]),
    closed: true,
    sheets: [
      { instrument: 'Q', source: 'group', unit: 5, status: 'approved', answers: {} },
      { instrument: 'Q', source: 'group', unit: 6, status: 'submitted', answers: {} },
      { instrument: 'Q', source: 'self', unit: 3, status: 'returned', answers: {} },
    ],
    responses: [
      { instrument: 'P', unit: 5, answers: { 'P.1.1.1': 5, 'P.1.1.2': 3, 'P.1.1.3': 'yes', 'P.1.1.4': 'unsure' } },
      { instrument: 'P', unit: 3, answers: { 'P.1.1.1': 'na', 'P.1.1.3': 'no', 'P.1.1.5': 'Спасибо' } },
      { instrument: 'P', unit: 7, answers: { 'P.1.1.2': 4 } },
    ],
  };
  // the sample holds kindergarten 3 only: one kindergarten, one active group, one teacher
  assert.deepEqual(ref.completion(model, 2, 'Q', 'self'), { expected: 1, submitted: 0, approved: 0, overdue: true });
  assert.deepEqual(ref.completion(model, 2, 'Q', 'group'), { expected: 1, submitted: 2, approved: 1, overdue: false });
  assert.equal(ref.expected(model, 2, 'teacher'), 1);
  assert.equal(ref.expected(model, 2, 'expert'), 0, 'the assigned kindergarten is not in the sample');
  model.sample = null;
  assert.equal(ref.expected(model, 1, 'expert'), 1);
  assert.equal(ref.expected(model, 1, 'group'), 2);
  // parents of the municipality: 3 responses; answers 5,3,yes,unsure | no | 4 → 6 answered, 3 positive
  const p = ref.parents(model, 2, 'P');
  assert.deepEqual([p.responses, p.enrolled, p.response_rate, p.satisfaction], [3, 20, 3 / 20, 3 / 6]);
  assert.deepEqual(
    p.statements.map((s) => [s.code, s.answered, s.positive]),
    [
      ['P.1.1.1', 1, 1],
      ['P.1.1.2', 2, 1],
      ['P.1.1.3', 2, 1],
      ['P.1.1.4', 1, 0],
    ],
  );
  const k4 = ref.parents(model, 4, 'P');
  assert.deepEqual([k4.responses, k4.enrolled, k4.response_rate, k4.satisfaction], [1, null, null, 1]);
});

// ---------------------------------------------------------------------------------------
// The feature probe: which readings the running server follows, from the issue's own
// example made through the API. Issue 12 items 2 (R3: above a kindergarten every
// kindergarten weighs the same), 4 (R4: levels on the shown score) and 5 (exact sheet
// scores) change the figures; until a server follows them, the cases below are compared
// with the reading it does follow, and this test says which that is. A server that
// follows no known reading fails here.

test('feature probe: the readings of issue 12 items 2, 4 and 5 the server follows', async (t) => {
  const plan = {
    seed: 'probe',
    units: [
      { key: 'm0', level: 'municipality', parentKey: 'r', enrolled: null },
      { key: 'k1', level: 'kindergarten', parentKey: 'm0', enrolled: null },
      { key: 'k2', level: 'kindergarten', parentKey: 'm0', enrolled: null },
      ...['k1g1', 'k1g2', 'k1g3'].map((key) => ({ key, level: 'group', parentKey: 'k1', enrolled: null })),
      { key: 'k2g1', level: 'group', parentKey: 'k2', enrolled: null },
    ],
    users: [
      { key: 'rc', role: 'region_coordinator', unitKey: 'r' },
      { key: 'ck1', role: 'doo_coordinator', unitKey: 'k1' },
      { key: 'ck2', role: 'doo_coordinator', unitKey: 'k2' },
    ],
    assignments: [],
  };
  const ids = await makeTree(plan);
  const model = modelOf(plan, ids);
  const RC = token({ id: ids.rc, role: 'region_coordinator', unit: ids.r });
  const camp = await call(RC, 'POST', '/campaigns', { title: `Оракул ${RUN} проба`, year: YEAR, opens_on: isoDay(-1), closes_on: isoDay(30), instrument_ids: [INS.TQ.id] });
  const world = { seed: 'probe', model, ids, RC, campaign: camp.id };
  const c = INS.TQ.code;
  const lv = (a, b, cc, d, e) => (code) => ({ [`${c}.1.1`]: a, [`${c}.1.2`]: b, [`${c}.1.3`]: cc, [`${c}.2.1`]: d, [`${c}.2.2`]: e })[code];
  const groups = [
    ['k1g1', 'ck1', lv(4, 4, 4, 4, 4)], // 4
    ['k1g2', 'ck1', lv(4, 4, 4, 4, 4)], // 4
    ['k1g3', 'ck1', lv(3, 3, 4, 4, 5)], // 47/12 = 3.917; k1: 143/36 = 3.972, shown 4.0
    ['k2g1', 'ck2', lv(3, 3, 2, 2, 2)], // 7/3
  ];
  for (const [g, author, levels] of groups) {
    const answers = answersForLevels(INS.TQ.def, levels);
    const sh = { instrument: 'TQ', source: 'group', unit: ids[g], token: token({ id: ids[author], role: 'doo_coordinator', unit: ids[author.slice(1)] }), status: 'draft', first: answers };
    await sheetSteps(world, sh, ['save', 'submit', 'approve']);
    model.sheets.push(sh);
  }
  const m = await dash(world, 'children', ids.m0, { instrument: String(INS.TQ.id), source: 'group' });
  const k1 = await dash(world, 'breakdown', ids.k1, { instrument: String(INS.TQ.id), source: 'group' });
  const readings = [];
  for (const perKindergarten of [true, false])
    for (const bucketOnShown of [true, false])
      for (const exactScores of [true, false]) readings.push({ perKindergarten, bucketOnShown, exactScores });
  const matches = (rules) => {
    try {
      assertChildResults(m.total.results, ref.results(model, ids.m0, 'TQ', 'group', rules), INS.TQ.def, 'municipality');
      assertFigure(k1.overall.unit, ref.results(model, ids.k1, 'TQ', 'group', rules).overall, 'kindergarten');
      return true;
    } catch {
      return false;
    }
  };
  const found = readings.find(matches);
  assert.ok(found, `the server follows none of the known readings: municipality ${JSON.stringify(m.total.results)}, kindergarten ${JSON.stringify(k1.overall.unit)}`);
  // VSOK_ORACLE_RULES=written compares every case with the written rules whatever the
  // server does, or =perKindergarten,exactScores with those of them (to list what a server
  // still misses, rule by rule)
  const force = (process.env.VSOK_ORACLE_RULES || '').split(',').filter(Boolean);
  RULES = force.includes('written') ? ref.RULES : { ...found, ...Object.fromEntries(force.map((k) => [k, true])) };
  const pending = [];
  if (!RULES.perKindergarten) pending.push('item 2 (R3: a municipality or region averages its kindergartens, not their sheets)');
  if (!RULES.bucketOnShown) pending.push('item 4 (R4: a level distribution counts the whole part of the shown score)');
  if (!RULES.exactScores) pending.push('item 5 (R2: exact area and overall scores of a sheet)');
  t.diagnostic(
    pending.length
      ? `not yet in force on this server, so the cases compare with the server's own reading instead: ${pending.join('; ')}`
      : 'every rule of docs/api-dashboards.md is in force: the cases compare with the written rules',
  );
  if (!RULES.perKindergarten && RULES.bucketOnShown) t.diagnostic('(item 4 cannot show without item 2 with these instruments: a sheet never scores x.95…x.99)');
});

// ---------------------------------------------------------------------------------------
// The cases

for (const seed of SEEDS) {
  test(`case ${seed}`, async () => {
    let failed = null;
    try {
      const world = await runCase(seed);
      await checkViews(world);
      world.rows = await rollupRows([world]);
      WORLDS.push(world);
      BATCH.push(world);
    } catch (e) {
      e.message = `${e.message}\n${replayHint(seed)}`;
      failed = e;
    }
    // the batch's rebuild runs after a failed case too (its own failure is reported first)
    if (BATCH.length >= REBUILD_EVERY || seed === SEEDS[SEEDS.length - 1]) {
      try {
        await assertRebuildEqual(BATCH.splice(0));
      } catch (e) {
        failed ||= e;
      }
    }
    if (failed) throw failed;
  });
}

test('the cases made every kind of data the oracle is about', (t) => {
  t.diagnostic(JSON.stringify(SEEN));
  if (SEEDS.length < 50) return; // a replay or a short run proves nothing about coverage
  const want = [
    'sampled campaign',
    'parent answer through a group link',
    'parent answer through a kindergarten link',
    'group moved to another kindergarten',
    'kindergarten moved to another municipality',
    'group closed',
    'campaign over (overdue)',
    'scale sheet with an indicator n/a',
    'scale sheet with an area n/a',
    ...['self', 'group', 'expert', 'teacher'].flatMap((s) => Object.keys(FLOWS).map((f) => `${s} sheet ${f}`)),
  ];
  assert.deepEqual(want.filter((w) => !SEEN[w]), [], 'kinds of data no case made');
});

test('`vsokd rebuild-rollups` (make rollups) rebuilds the same rows for every case', async () => {
  if (!WORLDS.length) return;
  const before = [];
  for (const w of WORLDS) before.push(await rollupRows([w]));
  const r = await vsokd(['rebuild-rollups']);
  assert.equal(r.code, 0, `vsokd rebuild-rollups: ${r.stdout}${r.stderr}`);
  for (const [i, w] of WORLDS.entries()) assertSameRows(await rollupRows([w]), before[i], `seed ${w.seed}: after vsokd rebuild-rollups`);
});

test('rollup sums kept incrementally and rebuilt: differences in the last decimals only', (t) => {
  t.diagnostic(
    DRIFT.cells
      ? `${DRIFT.cells} decimal cells differed from the rebuild beyond the 9th decimal only, seeds ${[...DRIFT.seeds].join(', ')}`
      : 'every rollup cell kept incrementally equals the rebuild digit for digit',
  );
});
