// The scoring rule lives twice: in the server's C engine (backend/src scoring*.c, which
// scores a sheet on submit and stores the result) and in the form's module instrument.js
// under frontend/src (the live level shown while a sheet is being filled). This suite runs
// both on the same seeded answer sets and fails on any difference: every indicator's level
// and tally (cumulative levels 2–5, ecers columns 1/3/5/7), every area's and the overall
// mean taken over the form's levels the way the engine takes them (docs/instruments.md,
// "Areas and overall"), and the one-decimal display of each (formatScore of the exact mean
// and of the stored score).
//
// Instruments: the shipped quality scale (QS, cumulative) and environment scale (ES,
// ecers), and two made here that cover what the shipped ones lack: 1–3 check items per
// level, an area of four indicators (means at .25/.75: the rounding halves), columns of
// one to four items and an empty column 1, "na" allowed on some items and not on others,
// and an unscored item of every other type, required or not. Each answer set is saved on
// one sheet, submitted, compared and returned, so the next set scores again.
//
// Sets per instrument: VSOK_PARITY_SETS (default 30 for the instruments made here, a
// third of it for the shipped ones) from seed VSOK_PARITY_SEED (default 1); a failure
// names its seed and instrument.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, request, login, show, signJwt, jwtKey, now, prng, runTag } from './lib.mjs';
import { query } from './fixtures-org.mjs';
import { isoDay, answerOtherRequired } from './fixtures-forms.mjs';

const API = '/api/v1';
const RUN = runTag('p');
const SETS = Number(process.env.VSOK_PARITY_SETS || 30);
const FIRST_SEED = Number(process.env.VSOK_PARITY_SEED || 1);
const SEEN = {}; // what the answer sets reached: feature -> count (the coverage test below)
const saw = (what) => (SEEN[what] = (SEEN[what] || 0) + 1);

/**
 * The form's rules: the module of frontend/src that exports liveLevel and formatScore
 * (found by what it exports, so that the suite follows the file when folders move).
 */
function formRulesFile() {
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const found = walk(path.join(REPO, 'frontend', 'src')).filter(
    (f) => f.endsWith('.js') && /export function liveLevel\b/.test(readFileSync(f, 'utf8')),
  );
  assert.equal(found.length, 1, `one front-end module exports liveLevel: ${found.join(', ')}`);
  return found[0];
}
const FORM = await import(pathToFileURL(formRulesFile()).href);

// ---------------------------------------------------------------------------------------
// The instruments made here

const OTHER_ITEMS = (c) => [
  { code: `${c}.yn`, type: 'yes_no', text: 'Да или нет', required: true, na_allowed: true },
  { code: `${c}.ynu`, type: 'yes_no_unsure', text: 'Да, нет, не знаю' },
  { code: `${c}.one`, type: 'single', text: 'Один вариант', options: [{ code: 'a', text: 'А', score: 1 }, { code: 'b', text: 'Б', score: 5 }] },
  { code: `${c}.many`, type: 'multi', text: 'Несколько', options: [{ code: 'a', text: 'А' }, { code: 'b', text: 'Б' }], na_allowed: true },
  { code: `${c}.lik`, type: 'likert5', text: 'Согласны ли вы', na_allowed: true },
  { code: `${c}.num`, type: 'number', text: 'Сколько', min: 0, max: 30, integer: true, required: true },
  { code: `${c}.date`, type: 'date', text: 'Когда' },
  { code: `${c}.txt`, type: 'text', text: 'Строка' },
  { code: `${c}.evidence`, type: 'evidence', text: 'Фото' },
  { code: `${c}.comment`, type: 'longtext', text: 'Обоснование', required: true },
];

/** A cumulative indicator: counts[k] check items of level k+2; na(i) for the i-th item. */
function checkIndicator(code, counts, na) {
  const items = [];
  counts.forEach((n, k) => {
    for (let j = 0; j < n; j++) items.push({ code: `${code}.c${items.length}`, type: 'check', level: k + 2, text: `Уровень ${k + 2}`, na_allowed: na(items.length) });
  });
  return { code, title: `Показатель ${code}`, items: [...items, ...OTHER_ITEMS(code)] };
}

/** An ecers indicator: counts[k] items of column 1, 3, 5, 7. */
function ecersIndicator(code, counts, na) {
  const items = [];
  counts.forEach((n, k) => {
    for (let j = 0; j < n; j++) items.push({ code: `${code}.e${items.length}`, type: 'ecers', column: 2 * k + 1, text: `Колонка ${2 * k + 1}`, na_allowed: na(items.length) });
  });
  return { code, title: `Показатель ${code}`, items: [...items, ...OTHER_ITEMS(code)] };
}

const section = (code, indicators) => ({ code, title: `Область ${code}`, indicators });
const header = (code, scoring) => ({
  code,
  version: 1,
  title: `Проверка правил ${code}`,
  respondents: ['doo_coordinator'],
  targets: ['kindergarten'],
  scoring,
});

const MADE = {
  PC: (c) => ({
    ...header(c, 'cumulative'),
    sections: [
      section(`${c}.1`, [
        checkIndicator(`${c}.1.1`, [1, 1, 1, 1], (i) => i !== 0),
        checkIndicator(`${c}.1.2`, [2, 3, 1, 2], (i) => i % 2 === 1),
        checkIndicator(`${c}.1.3`, [3, 1, 2, 1], () => false),
      ]),
      section(`${c}.2`, [1, 2, 3, 4].map((i) => checkIndicator(`${c}.2.${i}`, [i % 2 ? 1 : 2, 2, 1, i % 3 ? 1 : 3], () => true))),
      section(`${c}.3`, [checkIndicator(`${c}.3.1`, [2, 2, 2, 2], () => true)]),
    ],
  }),
  PE: (c) => ({
    ...header(c, 'ecers'),
    sections: [
      section(`${c}.1`, [
        ecersIndicator(`${c}.1.1`, [0, 2, 2, 1], () => true),
        ecersIndicator(`${c}.1.2`, [1, 4, 3, 2], () => true),
        ecersIndicator(`${c}.1.3`, [2, 1, 4, 4], () => true),
      ]),
      section(`${c}.2`, [1, 2, 3, 4].map((i) => ecersIndicator(`${c}.2.${i}`, [i % 2, 2, i, 2], () => true))),
    ],
  }),
};

// ---------------------------------------------------------------------------------------
// Answer sets

const scored = (item) => item.type === 'check' || item.type === 'ecers';

/** An answer to an unscored item: often none, sometimes "na" (where allowed: checked by the caller). */
function otherAnswer(rng, item) {
  if (rng.chance(0.4)) return undefined;
  if (item.na_allowed && rng.chance(0.2)) return 'na';
  switch (item.type) {
    case 'yes_no':
      return rng.pick(['yes', 'no']);
    case 'yes_no_unsure':
      return rng.pick(['yes', 'no', 'unsure']);
    case 'single':
      return rng.pick(item.options).code;
    case 'multi':
      return rng.shuffle(item.options.map((o) => o.code)).slice(0, rng.int(1, item.options.length));
    case 'likert5':
      return rng.int(1, 5);
    case 'number':
      return rng.int(item.min ?? 0, item.max ?? 30);
    case 'date':
      return isoDay(-rng.int(0, 300));
    case 'text':
    case 'longtext':
      return 'Пример из практики';
    default:
      return undefined; // evidence: files come through the uploads, not here
  }
}

/**
 * The scored answers of one indicator. cumulative: a target level with noise (met above
 * it, not met below); ecers: a mode per column (all, none, exactly half, random).
 */
function indicatorAnswers(rng, rule, indicator, naOf) {
  const a = {};
  const target = rng.int(1, 5);
  const noise = rng.pick([0, 0.1, 0.3]);
  const modes = [1, 3, 5, 7].map(() => rng.weighted([['all', 3], ['none', 1], ['half', 2], ['random', 2]]));
  const col = {};
  for (const item of indicator.items.filter(scored)) {
    if (item.na_allowed && naOf(item)) {
      a[item.code] = 'na';
      continue;
    }
    if (rule === 'cumulative') {
      a[item.code] = (item.level <= target) !== rng.chance(noise) ? 'met' : 'not_met';
      continue;
    }
    const c = (col[item.column] = (col[item.column] || 0) + 1);
    const mode = item.column === 1 ? (rng.chance(0.2) ? 'random' : 'none') : modes[(item.column - 1) / 2];
    const yes = mode === 'all' || (mode === 'half' && c % 2 === 1) || (mode === 'random' && rng.chance(0.5));
    a[item.code] = yes ? 'yes' : 'no';
  }
  return a;
}

/** One answer set: an n/a pattern over the scored items, levels, and the unscored items. */
function answerSet(rng, def) {
  const pattern = rng.weighted([['none', 4], ['sprinkled', 3], ['indicator', 2], ['area', 1], ['all', 1]]);
  const areas = def.sections.map((s) => s.code);
  const indicators = def.sections.flatMap((s) => s.indicators.map((i) => i.code));
  const naArea = rng.pick(areas);
  const naIndicator = rng.pick(indicators);
  const a = {};
  for (const s of def.sections)
    for (const i of s.indicators) {
      const naOf = () =>
        pattern === 'all' ||
        (pattern === 'sprinkled' && rng.chance(0.3)) ||
        (pattern === 'indicator' && i.code === naIndicator) ||
        (pattern === 'area' && s.code === naArea);
      Object.assign(a, indicatorAnswers(rng, def.scoring, i, naOf));
      for (const item of i.items.filter((x) => !scored(x))) {
        const v = otherAnswer(rng, item);
        if (v !== undefined && (v !== 'na' || item.na_allowed)) a[item.code] = v;
      }
    }
  return answerOtherRequired(def, a); // the required ones left open, so that the set can be submitted
}

// ---------------------------------------------------------------------------------------
// The comparison

const mean = (xs) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : null);
const near = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);

/** The form's result of one indicator, in the server's shape: {level, tally}. */
function formIndicator(rule, indicator, answers) {
  const live = FORM.liveLevel(rule, indicator, answers);
  assert.ok(live, `the form has a live level for the ${rule} rule`);
  const tally =
    rule === 'cumulative'
      ? live.levels.map(({ level, met, applicable }) => ({ level, met, applicable }))
      : live.columns.map(({ column, yes, applicable }) => ({ column, yes, applicable }));
  return { level: live.level, tally };
}

/** A node's mean and its display: the form's formatScore of the exact mean = of the stored score. */
function assertNode(got, wantMean, count, countKey, what) {
  assert.equal(got[countKey], count, `${what}: ${countKey} ${got[countKey]}, the form counts ${count}`);
  assert.ok(near(got.mean, wantMean), `${what}: mean ${got.mean}, the form's levels give ${wantMean}`);
  assert.equal(FORM.formatScore(got.score, 'ru'), FORM.formatScore(wantMean, 'ru'), `${what}: shown score (stored ${got.score}, exact ${wantMean})`);
  if (wantMean !== null && Math.abs(((wantMean * 10) % 1) - 0.5) < 1e-9) saw('a mean at a rounding half');
}

/** Compares the server's stored scores with the form's rules on the same answers. */
function assertSameScores(def, answers, scores, what) {
  const rule = def.scoring;
  assert.equal(scores.rule, rule, `${what}: rule`);
  const stored = new Map(scores.indicators.map((n) => [n.code, n]));
  const storedAreas = new Map(scores.sections.map((n) => [n.code, n]));
  const tallyKey = rule === 'cumulative' ? 'levels' : 'columns';
  const areaMeans = [];
  for (const s of def.sections) {
    const levels = [];
    for (const i of s.indicators) {
      const form = formIndicator(rule, i, answers);
      const got = stored.get(i.code);
      assert.ok(got, `${what}: no stored node for ${i.code}`);
      assert.equal(got.level, form.level, `${what} ${i.code}: the server's level ${got.level}, the form's ${form.level}`);
      assert.deepEqual(got[tallyKey], form.tally, `${what} ${i.code}: ${tallyKey}`);
      saw(`${rule} level ${form.level}`);
      if (rule === 'ecers' && form.tally.some((c) => c.column > 1 && c.applicable > 0 && 2 * c.yes === c.applicable)) saw('ecers column exactly half');
      if (rule === 'ecers' && form.tally[0].applicable === 0) saw('ecers column 1 empty');
      if (form.level !== null) levels.push(form.level);
    }
    const m = mean(levels);
    assertNode(storedAreas.get(s.code), m, levels.length, 'indicators', `${what} area ${s.code}`);
    if (m === null) saw('area without a scored indicator');
    else areaMeans.push(m);
  }
  const overall = mean(areaMeans);
  assertNode(scores.overall, overall, areaMeans.length, 'sections', `${what} overall`);
  if (overall === null) saw('overall not scored');
}

// ---------------------------------------------------------------------------------------
// The world: a region of its own (units and users written with SQL, tokens signed with the
// stack's key), its coordinator's campaign, one sheet per instrument

let KEY;
const W = {}; // ids, tokens, campaign
const INS = {}; // key -> {id, def}

const sqlText = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const tokenOf = (id, role, unit) => signJwt({ sub: String(id), role, org: unit, iat: now(), exp: now() + 3600 }, KEY);

async function call(tok, method, p, json, what) {
  const r = await request(API + p, { method, token: tok, ...(json !== undefined ? { json } : {}) });
  assert.ok(r.status < 300, `${what || `${method} ${p}`}: ${show(r)}`);
  return r.json;
}

async function makeRegion() {
  const units = [
    ['r', 'region', null],
    ['m', 'municipality', 'r'],
    ['k', 'kindergarten', 'm'],
    ['g', 'group', 'k'],
  ];
  const lines = [];
  for (const [key, level, parent] of units) {
    const parentPath = parent ? `(SELECT p FROM (SELECT path AS p FROM org_units WHERE id = @${parent}) x)` : "'/'";
    lines.push(
      `INSERT INTO org_units (parent_id, level, path, name) VALUES (${parent ? `@${parent}` : 'NULL'}, '${level}', ${sqlText(`tmp-${RUN}-${key}`)}, ${sqlText(`Правила ${RUN} ${key}`)});`,
      `SET @${key} = LAST_INSERT_ID();`,
      `UPDATE org_units SET path = CONCAT(${parentPath}, @${key}, '/') WHERE id = @${key};`,
    );
  }
  for (const [key, role, unit] of [
    ['rc', 'region_coordinator', 'r'],
    ['dc', 'doo_coordinator', 'k'],
  ]) {
    lines.push(
      `INSERT INTO users (login, password_hash, full_name, role, org_unit_id) VALUES (${sqlText(`${RUN}-${key}`)}, '!', ${sqlText(`Правила ${key}`)}, '${role}', @${unit});`,
      `SET @${key} = LAST_INSERT_ID();`,
    );
  }
  lines.push('SELECT @r, @m, @k, @g, @rc, @dc;');
  const rows = await query(lines.join('\n'));
  const [r, m, k, g, rc, dc] = rows[rows.length - 1].map(Number);
  Object.assign(W, { r, m, k, g, RC: tokenOf(rc, 'region_coordinator', r), DC: tokenOf(dc, 'doo_coordinator', k) });
}

/** Saves, submits, compares and returns the sheet of `key` for each answer set. */
async function runSets(key, count) {
  const { def, id: instrumentId } = INS[key];
  const target = def.targets.includes('kindergarten') ? W.k : W.g;
  let sheet = await call(W.DC, 'POST', '/submissions', { campaign_id: W.campaign, instrument_id: instrumentId, target_unit_id: target }, `${key}: start`);
  let before = {};
  for (let n = 0; n < count; n++) {
    const seed = FIRST_SEED + n;
    const what = `${key} seed ${seed} (replay: VSOK_PARITY_SEED=${seed} VSOK_PARITY_SETS=1)`;
    const answers = answerSet(prng(seed * 7919 + key.charCodeAt(0)), def);
    const delta = { ...answers };
    for (const code of Object.keys(before)) if (!(code in answers)) delta[code] = null;
    sheet = await call(W.DC, 'PATCH', `/submissions/${sheet.id}`, { base_version: sheet.version, answers: delta }, `${what}: save`);
    const done = await call(W.DC, 'POST', `/submissions/${sheet.id}/submit`, { base_version: sheet.version }, `${what}: submit`);
    assertSameScores(def, answers, done.scores, what);
    sheet = await call(W.RC, 'POST', `/submissions/${sheet.id}/return`, { comment: 'Следующий набор ответов' }, `${what}: return`);
    before = answers;
  }
}

before(async () => {
  const admin = (await login('admin')).token;
  KEY = jwtKey();
  for (const [key, make] of Object.entries(MADE)) {
    const doc = await call(admin, 'POST', '/instruments', make(`${key}${RUN}`), `instrument ${key}`);
    await call(admin, 'POST', `/instruments/${doc.id}/publish`, {}, `publish ${key}`);
    INS[key] = { id: doc.id, def: (await call(admin, 'GET', `/instruments/${doc.id}`)).definition };
  }
  const shipped = (await call(admin, 'GET', '/instruments')).items;
  for (const key of ['QS', 'ES']) {
    const meta = shipped.find((m) => m.code === key);
    assert.ok(meta, `the shipped instrument ${key} is published`);
    INS[key] = { id: meta.id, def: (await call(admin, 'GET', `/instruments/${meta.id}`)).definition };
  }
  await makeRegion();
  const campaign = {
    title: `Правила оценки ${RUN}`,
    year: Number(isoDay(0).slice(0, 4)),
    opens_on: isoDay(-1),
    closes_on: isoDay(30),
    instrument_ids: Object.values(INS).map((i) => i.id),
  };
  W.campaign = (await call(W.RC, 'POST', '/campaigns', campaign, 'campaign')).id;
});

after(async () => {
  // the region of this run leaves the active tree (deepest first), its users with it
  if (!W.r) return;
  await query(
    `UPDATE org_units SET active = 0 WHERE id IN (${W.g}, ${W.k});` +
      `UPDATE org_units SET active = 0 WHERE id IN (${W.m}, ${W.r});` +
      `UPDATE users SET active = 0 WHERE login LIKE ${sqlText(`${RUN}-%`)};`,
  );
});

// ---------------------------------------------------------------------------------------

test('the form and the server score the instruments made here alike (cumulative and ecers)', async () => {
  await Promise.all([runSets('PC', SETS), runSets('PE', SETS)]);
});

test('the form and the server score the shipped quality and environment scales alike', async () => {
  const n = Math.max(1, Math.round(SETS / 3));
  await Promise.all([runSets('QS', n), runSets('ES', n)]);
});

test('the answer sets reached every level, empty and all-n/a nodes, exact halves', { skip: SETS < 30 && 'fewer sets than the default' }, () => {
  const want = [
    ...[1, 2, 3, 4, 5, null].map((l) => `cumulative level ${l}`),
    ...[1, 2, 3, 4, 5, 6, 7, null].map((l) => `ecers level ${l}`),
    'ecers column exactly half',
    'ecers column 1 empty',
    'area without a scored indicator',
    'overall not scored',
    'a mean at a rounding half',
  ];
  const missing = want.filter((w) => !SEEN[w]);
  assert.deepEqual(missing, [], `not reached: ${missing.join(', ')} (reached: ${JSON.stringify(SEEN)})`);
});
